"""What the network makes of one drawing, and how sure it is allowed to sound."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import MLP
from .preprocess import prepare_digit

BLANK = "blank"
CONFIDENT = "confident"
UNSURE = "unsure"
NOT_A_DIGIT = "not_a_digit"

# Below this top probability the app says it is unsure instead of naming a digit flatly.
CONFIDENT_PROBABILITY = 0.6
# MNIST digits cover at most about a third of the 28x28 field (99.9th percentile 0.34);
# a drawing covering much more is a scribble or a filled shape, whatever the softmax says.
MAX_DIGIT_COVERAGE = 0.42


@dataclass(frozen=True)
class Reading:
    verdict: str  # BLANK, CONFIDENT, UNSURE or NOT_A_DIGIT
    pixels: np.ndarray | None  # the 28x28 image the network received
    probabilities: np.ndarray | None  # ten values summing to 1
    hidden: tuple[np.ndarray, ...] = ()  # each hidden layer's activations

    @property
    def digit(self) -> int | None:
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float | None:
        return None if self.probabilities is None else float(np.max(self.probabilities))


def read_drawing(network: MLP, image: np.ndarray) -> Reading:
    pixels = prepare_digit(image)
    if pixels is None:
        return Reading(BLANK, None, None)
    forward = network.forward(pixels)
    probabilities = forward.probabilities
    if coverage(pixels) > MAX_DIGIT_COVERAGE:
        verdict = NOT_A_DIGIT
    elif probabilities.max() < CONFIDENT_PROBABILITY:
        verdict = UNSURE
    else:
        verdict = CONFIDENT
    return Reading(verdict, pixels, probabilities, forward.hidden)


def coverage(pixels: np.ndarray) -> float:
    """Share of the 28x28 field that holds visible ink."""
    return float(np.mean(pixels > 0.1))
