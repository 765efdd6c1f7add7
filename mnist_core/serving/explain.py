"""Why the network gave its answer: each input pixel's share of the answer's score.

A network of ReLU layers is linear around any one image: with the units that fired held
fixed, every output score (the logit, before the softmax) is a weighted sum of the 784
pixels plus a constant that the biases make. Its gradient with respect to the input is
those weights, exactly, and the gradient times the input splits the score among the pixels:
the pixels' shares add up to the score less the biases' constant. The share of a black
pixel (0) is nothing, so only the drawn pixels are coloured.

"Why 7 and not 1" is the same for the difference of the two scores: the pixels that make
the answer's score higher than the runner-up's, and those that make it lower.

NumPy only; one backward pass through the weights for both scores at once (about as much
work as the forward pass, which the page's reading has already done), and only when the
page asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mnist_core.config import INPUT_SIZE

from .network import MLP


@dataclass(frozen=True)
class Explanation:
    """Each pixel's share of the answer's score, and of its lead over the runner-up."""

    answer: int  # the digit the page shows: the most probable
    runner_up: int  # the next most probable
    towards: np.ndarray  # 28x28: gradient of the answer's score times the input
    versus: np.ndarray  # 28x28: the same for (answer's score - runner-up's score)


def explain(
    network: MLP,
    pixels: np.ndarray,
    hidden: tuple[np.ndarray, ...] | None = None,
    probabilities: np.ndarray | None = None,
) -> Explanation:
    """Gradient-times-input maps for the answer, and for the answer against the runner-up.

    `pixels` is the 28x28 image the network read (values 0 to 1); `hidden` and
    `probabilities`, when the caller has them from reading it (the Draw page's reading
    does), spare a second forward pass. The answer is the digit the page shows (the highest
    probability); the runner-up is the next most probable, the higher score breaking a tie
    (a linear output's scores at or below zero all read 0%).
    """
    image = np.asarray(pixels, np.float32).reshape(INPUT_SIZE)
    if hidden is None or probabilities is None:
        forward = network.forward(image)
        hidden, probabilities = forward.hidden, forward.probabilities
    scores = logits(network, image, hidden)
    answer = int(np.argmax(probabilities))
    order = np.lexsort((-scores.astype(np.float64), -np.asarray(probabilities, np.float64)))
    runner_up = int(next(d for d in order if d != answer))
    grads = input_gradients(network, hidden, [answer, runner_up])
    towards = grads[:, 0] * image
    versus = (grads[:, 0] - grads[:, 1]) * image
    return Explanation(answer, runner_up, towards.reshape(28, 28), versus.reshape(28, 28))


def logits(network: MLP, image: np.ndarray, hidden: tuple[np.ndarray, ...]) -> np.ndarray:
    """The ten scores before the softmax (a linear output's are its outputs), from the
    last hidden layer's output as `network.forward` gives it."""
    last = hidden[-1] if hidden else np.asarray(image, np.float32).reshape(INPUT_SIZE)
    return last @ network.weights[-1] + network.biases[-1]


def input_gradients(network: MLP, hidden: tuple[np.ndarray, ...], digits: list[int]) -> np.ndarray:
    """The gradient of each named digit's score with respect to the 784 inputs, as a
    (784, len(digits)) array, from the hidden layers' outputs for that input: exact, since a
    ReLU passes its input's change on where it fired and nothing where it did not."""
    grad = network.weights[-1][:, digits]
    for w, h in zip(reversed(network.weights[:-1]), reversed(hidden)):
        grad = w @ (grad * (h > 0)[:, None])
    return grad
