"""The from-scratch network of reference 2: NaiveDense layers in a NaiveSequential.

TensorFlow variables and plain matrix products, nothing from Keras, so that every number
the network holds is visible to a student.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import tensorflow as tf

from mnist_core.serving.network import MLP

Activation = Callable[[tf.Tensor], tf.Tensor]


def _he_normal(rng: tf.random.Generator, shape: tuple[int, int]) -> tf.Tensor:
    # Truncating at 2 sigma shrinks the spread; divide by its std (0.8796) as Keras does.
    return rng.truncated_normal(shape, stddev=math.sqrt(2.0 / shape[0]) / 0.87962566103423978)


def _glorot_uniform(rng: tf.random.Generator, shape: tuple[int, int]) -> tf.Tensor:
    limit = math.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(shape, -limit, limit)


INITIALIZERS: dict[str, Callable[[tf.random.Generator, tuple[int, int]], tf.Tensor]] = {
    "truncated_normal": lambda rng, shape: rng.truncated_normal(shape, stddev=0.1),  # ref. 1
    "uniform": lambda rng, shape: rng.uniform(shape, 0.0, 0.1),  # reference 2
    "glorot": _glorot_uniform,
    "he": _he_normal,
}


def identity(x: tf.Tensor) -> tf.Tensor:
    return x


class NaiveDense:
    """activation(x @ W + b): one layer, its weights as two TensorFlow variables."""

    def __init__(
        self,
        input_size: int,
        output_size: int,
        activation: Activation,
        init: str,
        rng: tf.random.Generator,
    ) -> None:
        self.activation = activation
        self.W = tf.Variable(INITIALIZERS[init](rng, (input_size, output_size)), name="W")
        self.b = tf.Variable(tf.zeros((output_size,)), name="b")

    def pre_activation(self, inputs: tf.Tensor) -> tf.Tensor:
        return tf.matmul(inputs, self.W) + self.b

    def __call__(self, inputs: tf.Tensor) -> tf.Tensor:
        return self.activation(self.pre_activation(inputs))

    @property
    def weights(self) -> list[tf.Variable]:
        return [self.W, self.b]


class NaiveSequential:
    """Layers applied in order; `logits` stops before the last activation for stable losses."""

    def __init__(self, layers: list[NaiveDense], output: str) -> None:
        self.layers = layers
        self.output = output

    @classmethod
    def build(cls, sizes: tuple[int, ...], init: str, output: str, seed: int) -> NaiveSequential:
        rng = tf.random.Generator.from_seed(seed)
        last = len(sizes) - 2
        out_activation = tf.nn.softmax if output == "softmax" else identity
        layers = [
            NaiveDense(n_in, n_out, out_activation if i == last else tf.nn.relu, init, rng)
            for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes))
        ]
        return cls(layers, output)

    @classmethod
    def from_mlp(cls, network: MLP) -> NaiveSequential:
        """Layers holding a trained network's weights, to go on training it (fine-tuning)."""
        out_activation = tf.nn.softmax if network.output == "softmax" else identity
        rng = tf.random.Generator.from_seed(0)  # unused: the weights are overwritten below
        last = len(network.weights) - 1
        layers = []
        for i, (w, b) in enumerate(zip(network.weights, network.biases)):
            layer = NaiveDense(*w.shape, out_activation if i == last else tf.nn.relu, "he", rng)
            layer.W.assign(w)
            layer.b.assign(b)
            layers.append(layer)
        return cls(layers, network.output)

    def logits(self, inputs: tf.Tensor) -> tf.Tensor:
        x = inputs
        for layer in self.layers[:-1]:
            x = layer(x)
        return self.layers[-1].pre_activation(x)

    def __call__(self, inputs: tf.Tensor) -> tf.Tensor:
        return self.layers[-1].activation(self.logits(inputs))

    @property
    def weights(self) -> list[tf.Variable]:
        return [w for layer in self.layers for w in layer.weights]

    def to_mlp(self) -> MLP:
        """A NumPy copy for serving, evaluating and saving."""
        return MLP.from_arrays([np.array(v.numpy()) for v in self.weights], self.output)
