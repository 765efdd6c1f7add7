"""The trained network as plain NumPy arrays: what the app serves predictions with.

No TensorFlow here: a Streamlit server that imported it would pay for Keras's clean-up on
every rerun (see README), and a 784-1024-1024-10 forward pass is well under a millisecond
in NumPy (the bundled model is one; three such networks side by side take about 1.3 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mnist_core.config import INPUT_SIZE, NUM_CLASSES, OUTPUTS


@dataclass(frozen=True)
class Forward:
    """One forward pass: raw outputs, probabilities, and each hidden layer's ReLU output."""

    outputs: np.ndarray
    probabilities: np.ndarray
    hidden: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class MLP:
    """Dense ReLU layers, then a softmax or linear output layer."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    output: str = "softmax"

    def __post_init__(self) -> None:
        check_layers(self.weights, self.biases, self.output)

    @classmethod
    def from_arrays(cls, arrays: list[np.ndarray], output: str) -> MLP:
        """From the [W0, b0, W1, b1, ...] list that Keras's get_weights() also gives."""
        if len(arrays) % 2:
            raise ValueError("expected weight and bias arrays in pairs")
        return cls(
            weights=tuple(np.asarray(w, np.float32) for w in arrays[0::2]),
            biases=tuple(np.asarray(b, np.float32) for b in arrays[1::2]),
            output=output,
        )

    def to_arrays(self) -> list[np.ndarray]:
        return [a for pair in zip(self.weights, self.biases) for a in pair]

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[0], *(w.shape[1] for w in self.weights))

    def forward(self, images: np.ndarray) -> Forward:
        """Accepts one image (28x28 or 784) or a batch (N, 28, 28) / (N, 784), values in [0, 1]."""
        x = np.asarray(images, np.float32)
        single = x.ndim == 1 or x.shape == (28, 28)
        x = x.reshape(1 if single else len(x), INPUT_SIZE)
        hidden = []
        for w, b in zip(self.weights[:-1], self.biases[:-1]):
            x = np.maximum(x @ w + b, 0.0)
            hidden.append(x)
        outputs = x @ self.weights[-1] + self.biases[-1]
        if self.output == "softmax":
            outputs = softmax(outputs)
            probabilities = outputs
        else:
            probabilities = normalised_scores(outputs)
        if single:
            return Forward(outputs[0], probabilities[0], tuple(h[0] for h in hidden))
        return Forward(outputs, probabilities, tuple(hidden))

    def predict_proba(self, images: np.ndarray) -> np.ndarray:
        return self.forward(images).probabilities


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def normalised_scores(scores: np.ndarray) -> np.ndarray:
    """Read a linear-output network's scores as probabilities.

    Such a network is trained with squared error to output the one-hot vector itself, so
    its scores clipped at zero and normalised are what it claims; a softmax of numbers near
    0 and 1 would flatten every answer to about 23%.
    """
    clipped = np.clip(scores, 0.0, None)
    total = clipped.sum(axis=-1, keepdims=True)
    uniform = np.full_like(clipped, 1.0 / clipped.shape[-1])
    return np.where(total > 0, clipped / np.where(total > 0, total, 1.0), uniform)


def check_layers(weights: tuple, biases: tuple, output: str) -> None:
    """Shapes must chain 784 -> ... -> 10 with matching biases; values must be finite."""
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
    if len(weights) < 1 or len(weights) != len(biases):
        raise ValueError(f"{len(weights)} weight matrices but {len(biases)} bias vectors")
    expected_in = INPUT_SIZE
    for i, (w, b) in enumerate(zip(weights, biases)):
        if w.ndim != 2 or w.shape[0] != expected_in:
            raise ValueError(f"layer {i} weights have shape {w.shape}, expected ({expected_in}, n)")
        if b.shape != (w.shape[1],):
            raise ValueError(f"layer {i} biases have shape {b.shape}, expected ({w.shape[1]},)")
        if not (np.isfinite(w).all() and np.isfinite(b).all()):
            raise ValueError(f"layer {i} holds NaN or infinite values")
        expected_in = w.shape[1]
    if expected_in != NUM_CLASSES:
        raise ValueError(f"the last layer has {expected_in} outputs, expected {NUM_CLASSES}")
