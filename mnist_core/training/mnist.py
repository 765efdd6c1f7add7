"""Loading MNIST for training: a local file if one is named, else Keras's own download."""

from __future__ import annotations

import os

import numpy as np

from mnist_core.dataset import ENV_VAR, DataError, Mnist, from_arrays, load_local, resolve_path


def load_mnist(path: str | os.PathLike | None = None) -> Mnist:
    """Load MNIST from a named file, $MNIST_PATH, or Keras's download, in that order."""
    local = resolve_path(path)
    if local is not None:
        return load_local(local)
    return from_arrays(_download_with_keras(), "keras.datasets.mnist")


def _download_with_keras() -> dict[str, np.ndarray]:
    try:
        from keras.datasets import mnist

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    except Exception as exc:  # any network or cache failure gets the same advice
        raise DataError(
            "MNIST could not be loaded: no local file was named (--data or "
            f"${ENV_VAR}) and Keras's download failed ({type(exc).__name__}: {exc}). "
            f"Connect to the internet once, or set {ENV_VAR}=/path/to/mnist.npz."
        ) from None
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
