"""Keras model files: a Digit Lab network as a `.keras` Sequential model, and back.

Export builds Dense layers (ReLU hidden, softmax or linear output) that hold the same weights,
so Keras predicts what the NumPy forward pass predicts. Import takes only that kind of model,
loaded in Keras's safe mode (no code from the file runs), and refuses anything else with a
sentence that says what is wrong with it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import keras
import numpy as np

from mnist_core.config import INPUT_SIZE, MAX_HIDDEN_LAYERS, MAX_PARAMETERS
from mnist_core.serving.model_files import MAX_FILE_BYTES, ModelFileError
from mnist_core.serving.network import MLP

KERAS_SUFFIX = ".keras"
OUTPUT_ACTIVATIONS = {"softmax": "softmax", "linear": None}


def to_keras(network: MLP) -> keras.Sequential:
    """A Sequential model of Dense layers holding `network`'s weights."""
    last = len(network.weights) - 1
    layers: list = [keras.Input((INPUT_SIZE,))]
    for i, w in enumerate(network.weights):
        activation = OUTPUT_ACTIVATIONS[network.output] if i == last else "relu"
        layers.append(keras.layers.Dense(w.shape[1], activation=activation))
    model = keras.Sequential(layers)
    model.set_weights(network.to_arrays())
    return model


def export_keras(network: MLP, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write `network` as a .keras file; written beside it first, then renamed into place."""
    path = Path(path)
    if path.suffix != KERAS_SUFFIX:
        raise ModelFileError(f"a Keras model file ends in {KERAS_SUFFIX}: {path.name}")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists; add --force to replace it")
    with tempfile.TemporaryDirectory(dir=path.parent) as folder:
        partial = Path(folder) / path.name
        to_keras(network).save(partial)
        os.replace(partial, path)
    return path


def import_keras(path: str | os.PathLike) -> MLP:
    """The network in a .keras file of Dense layers: ReLU hidden, softmax or linear output."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"no Keras model file at {path}")
    if path.suffix != KERAS_SUFFIX:
        raise ModelFileError(f"a Keras model file ends in {KERAS_SUFFIX}: {path.name}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ModelFileError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        model = keras.saving.load_model(path, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many kinds; each gets the same sentence
        raise ModelFileError(f"{path.name} cannot be read as a Keras model: {exc}") from None
    return network_of(model, path.name)


def network_of(model: keras.Model, name: str) -> MLP:
    """`model`'s weights as an MLP, if it is a Sequential model this project can run."""
    if not isinstance(model, keras.Sequential):
        raise ModelFileError(
            f"{name} holds a {type(model).__name__} model: only a Sequential model of Dense "
            "layers can be brought in"
        )
    layers = model.layers
    if not 1 <= len(layers) <= MAX_HIDDEN_LAYERS + 1:
        raise ModelFileError(
            f"{name} has {len(layers)} layers: 1 to {MAX_HIDDEN_LAYERS + 1} Dense layers are needed"
        )
    output = "softmax"
    for i, layer in enumerate(layers):
        where = f"layer {i + 1} of {name} ({layer.name})"
        if type(layer) is not keras.layers.Dense:
            raise ModelFileError(
                f"{where} is a {type(layer).__name__}: only Dense layers can be brought in"
            )
        if not layer.use_bias:
            raise ModelFileError(f"{where} has no bias: every Dense layer needs one")
        activation = keras.activations.serialize(layer.activation)
        if i < len(layers) - 1 and activation != "relu":
            raise ModelFileError(f"{where} uses {activation}: hidden layers must use relu")
        if i == len(layers) - 1:
            if activation not in OUTPUT_ACTIVATIONS:
                raise ModelFileError(
                    f"{where} uses {activation}: the last layer must be softmax or linear"
                )
            output = activation
    if model.count_params() > MAX_PARAMETERS:
        raise ModelFileError(
            f"{name} has {model.count_params():,} weights, more than {MAX_PARAMETERS:,}"
        )
    try:
        return MLP.from_arrays([np.asarray(a) for a in model.get_weights()], output)
    except ValueError as exc:  # shapes that do not chain 784 -> ... -> 10, or NaN weights
        raise ModelFileError(f"{name} does not fit MNIST: {exc}") from None
