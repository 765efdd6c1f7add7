"""What the network makes of one drawing, and how sure it is allowed to sound."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import MLP
from .novelty import Detector, bundled_detector
from .preprocess import ink_image, prepare_digit
from .shape import SCRIBBLE, SEVERAL, TOO_SMALL, judge_shape

BLANK = "blank"
CONFIDENT = "confident"
UNSURE = "unsure"
NOT_A_DIGIT = "not_a_digit"

# Why a drawing is NOT_A_DIGIT: the shape rules' answers (shape.py), or the detector's.
UNLIKE_DIGITS = "unlike_digits"
REASONS = (TOO_SMALL, SCRIBBLE, SEVERAL, UNLIKE_DIGITS)

# Below this top probability the app says it is unsure instead of naming a digit flatly.
CONFIDENT_PROBABILITY = 0.6


@dataclass(frozen=True)
class Reading:
    verdict: str  # BLANK, CONFIDENT, UNSURE or NOT_A_DIGIT
    pixels: np.ndarray | None  # the 28x28 image the network received
    probabilities: np.ndarray | None  # ten values summing to 1
    hidden: tuple[np.ndarray, ...] = ()  # each hidden layer's activations
    reason: str = ""  # for NOT_A_DIGIT: one of REASONS

    @property
    def digit(self) -> int | None:
        return None if self.probabilities is None else int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float | None:
        return None if self.probabilities is None else float(np.max(self.probabilities))


def read_drawing(network: MLP, image: np.ndarray, detector: Detector | None = None) -> Reading:
    """The network's reading; a drawing that is no digit (too small, a scribble, several
    digits, or unlike any digit to `detector`, by default the bundled one) says so."""
    ink = ink_image(image)  # once: both below take it as it is
    pixels = prepare_digit(ink)
    reason = judge_shape(ink) or ""
    if pixels is None:  # a speck too small even to read is still a mark the student made
        return (
            Reading(NOT_A_DIGIT, None, None, reason=reason)
            if reason
            else Reading(BLANK, None, None)
        )
    forward = network.forward(pixels)
    probabilities = forward.probabilities
    if not np.isfinite(probabilities).all():
        # The live weights of a run that is blowing up: it cannot tell, so it says so.
        probabilities = np.full(10, 0.1)
    detector = detector or bundled_detector()
    if not reason and detector is not None and detector.flags(pixels):
        reason = UNLIKE_DIGITS
    if reason:
        verdict = NOT_A_DIGIT
    elif probabilities.max() < CONFIDENT_PROBABILITY:
        verdict = UNSURE
    else:
        verdict = CONFIDENT
    return Reading(verdict, pixels, probabilities, forward.hidden, reason)
