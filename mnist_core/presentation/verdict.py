"""Whether an ended run actually learnt: "Training finished" under 18% must not look green.

A run can end normally yet have learnt nothing: its accuracy near chance (ten digits, so
guessing is right 10% of the time), or its loss going up or turning into NaN. The page shows
such a run as a warning, with one plain sentence and a hint of what to change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mnist_core.runs.registry import RunView
from mnist_core.runs.states import FINISHED, STOPPED

NEAR_CHANCE = 0.3  # below this test accuracy a run has hardly learnt (guessing gets 10%)
GUESSING_LOSS = math.log(10)  # cross-entropy of a network that gives each digit 10%
MIN_POINTS = 8  # loss points needed before "the loss went up" can be told from noise
ROSE_BY = 1.5  # "went up": the end's typical loss this many times the start's
LEARNT = 0.9  # a run reading this share of the test digits learnt, whatever its loss did
HIGH_RATE = {"sgd": 1.0}  # learning rates at or above this are "high"; others: DEFAULT_HIGH
DEFAULT_HIGH = 0.03  # for optimizers that adapt the step size (Adam, RMSprop)


@dataclass(frozen=True)
class Verdict:
    problem: str  # what went wrong, in one sentence a 12-year-old reads
    hint: str  # what to try next


def verdict(run: RunView) -> Verdict | None:
    """A warning for a finished or stopped run that did not learn; None when it did (or it
    has not ended with a result: failures and divergence say so themselves)."""
    if run.result is None or run.state not in (FINISHED, STOPPED):
        return None
    losses = [loss for _, loss in run.losses]
    accuracy = run.result.evaluation.accuracy
    problems = []
    blew_up = any(not math.isfinite(loss) for loss in losses)
    rose = accuracy < LEARNT and loss_rose(losses)
    worse = run.config.loss == "cross_entropy" and ended_above(losses, GUESSING_LOSS)
    if blew_up:
        problems.append("its loss became NaN (not a number): the numbers grew too big")
    elif rose:
        problems.append("its loss went up instead of down")
    elif worse:
        problems.append(
            f"its loss ended above {GUESSING_LOSS:.1f}, worse than a network that gives "
            "every digit the same chance"
        )
    if accuracy < NEAR_CHANCE:
        problems.append(
            f"it reads only {accuracy:.0%} of the test digits right, and guessing "
            "at random gets 10%"
        )
    if not problems:
        return None
    sentence = "This run did not learn: " + ", and ".join(problems) + "."
    return Verdict(sentence, _hint(run, blew_up or rose or worse))


def loss_rose(losses: list[float]) -> bool:
    """The loss ended clearly higher than it began: the median of the last quarter of the
    points above `ROSE_BY` times that of the first quarter (medians, so one odd batch decides
    nothing; a margin, so a fine-tuned run that starts near 0 and wobbles is not blamed)."""
    finite = [loss for loss in losses if math.isfinite(loss)]
    if len(finite) < MIN_POINTS:
        return False
    quarter = len(finite) // 4
    return float(np.median(finite[-quarter:])) > ROSE_BY * float(np.median(finite[:quarter]))


def ended_above(losses: list[float], limit: float) -> bool:
    """The median of the last quarter of the (finite) losses is above `limit`."""
    finite = [loss for loss in losses if math.isfinite(loss)]
    last = finite[-max(len(finite) // 4, 1) :]
    return bool(last) and float(np.median(last)) > limit


def _hint(run: RunView, unstable: bool) -> str:
    config = run.config
    high = config.learning_rate >= HIGH_RATE.get(config.optimizer, DEFAULT_HIGH)
    if unstable or high:
        return (
            f"The step size (learning rate) may be too big ({config.learning_rate:g}): each "
            f"step jumps too far. Try one ten times smaller ({config.learning_rate / 10:g})."
        )
    if run.state == STOPPED:
        return "It was stopped early: let it train for longer."
    return (
        "It may need more passes over the images (epochs), or a bigger step size (learning rate)."
    )
