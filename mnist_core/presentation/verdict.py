"""Whether an ended run actually learnt: "Training finished" under 18% must not look green.

A run can end normally yet have learnt nothing: its accuracy near chance (ten digits, so
guessing is right 10% of the time), or its loss going up or turning into NaN. The page shows
such a run as a warning, with one plain sentence and a hint of what to change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mnist_core.config import written
from mnist_core.i18n.translator import Translator, english
from mnist_core.runs.registry import RunView
from mnist_core.runs.states import FINISHED, STOPPED

NEAR_CHANCE = 0.3  # below this test accuracy a run has hardly learnt (guessing gets 10%)
GUESSING_LOSS = math.log(10)  # cross-entropy of a network that gives each digit 10%
MIN_POINTS = 8  # loss points needed before "the loss went up" can be told from noise
ROSE_BY = 1.5  # "went up": the end's typical loss this many times the start's
LEARNT = 0.9  # a run reading this share of the test digits learnt, whatever its loss did
HIGH_RATE = {"sgd": 1.0}  # learning rates at or above this are "high"; others: DEFAULT_HIGH
DEFAULT_HIGH = 0.03  # for optimizers that adapt the step size (Adam, RMSprop)
ENGLISH = english()


@dataclass(frozen=True)
class Verdict:
    problem: str  # what went wrong, in one sentence a 12-year-old reads
    hint: str  # what to try next


def verdict(run: RunView, tr: Translator = ENGLISH) -> Verdict | None:
    """A warning for a finished or stopped run that did not learn; None when it did (or it
    has not ended with a result: failures and divergence say so themselves)."""
    if run.result is None or run.state not in (FINISHED, STOPPED):
        return None
    losses = [loss for _, loss in run.losses]
    accuracy = run.result.evaluation.accuracy
    blew_up = any(not math.isfinite(loss) for loss in losses)
    rose = accuracy < LEARNT and loss_rose(losses)
    worse = run.config.loss == "cross_entropy" and ended_above(losses, GUESSING_LOSS)
    guessing = accuracy < NEAR_CHANCE
    sentence = _sentence(tr, blew_up, rose, worse, guessing, accuracy)
    if sentence is None:
        return None
    return Verdict(sentence, _hint(run, blew_up or rose or worse, tr))


def _sentence(
    tr: Translator, blew_up: bool, rose: bool, worse: bool, guessing: bool, accuracy: float
) -> str | None:
    """What went wrong, as one whole sentence for each case (so that every language orders
    its own words); None when nothing did."""
    values = {
        "right": tr.percent(accuracy),
        "chance": tr.percent(0.1),
        "limit": tr.number(GUESSING_LOSS, 1),
    }
    if blew_up:
        # Translators: loss is how wrong the network is; NaN stands for "not a number".
        alone = tr(
            "This run did not learn: its loss became NaN (not a number): the numbers grew too big."
        )
        both = tr(
            "This run did not learn: its loss became NaN (not a number): the numbers grew "
            "too big, and it reads only {right} of the test digits right, and guessing at "
            "random gets {chance}.",
            **values,
        )
    elif rose:
        alone = tr("This run did not learn: its loss went up instead of down.")
        both = tr(
            "This run did not learn: its loss went up instead of down, and it reads only "
            "{right} of the test digits right, and guessing at random gets {chance}.",
            **values,
        )
    elif worse:
        # Translators: {limit} is the loss of a network that gives each digit 10% (2.3).
        alone = tr(
            "This run did not learn: its loss ended above {limit}, worse than a network "
            "that gives every digit the same chance.",
            **values,
        )
        both = tr(
            "This run did not learn: its loss ended above {limit}, worse than a network "
            "that gives every digit the same chance, and it reads only {right} of the test "
            "digits right, and guessing at random gets {chance}.",
            **values,
        )
    else:
        alone = None
        both = tr(
            "This run did not learn: it reads only {right} of the test digits right, and "
            "guessing at random gets {chance}.",
            **values,
        )
    return both if guessing else alone


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


def _hint(run: RunView, unstable: bool, tr: Translator = ENGLISH) -> str:
    config = run.config
    high = config.learning_rate >= HIGH_RATE.get(config.optimizer, DEFAULT_HIGH)
    if unstable or high:
        rate, smaller = written(config.learning_rate), written(config.learning_rate / 10)
        return tr(
            "The step size (learning rate) may be too big ({rate}): each step jumps too far. "
            "Try one ten times smaller ({smaller}).",
            rate=tr.number(rate.value, rate.decimals),
            smaller=tr.number(smaller.value, smaller.decimals),
        )
    if run.state == STOPPED:
        return tr("It was stopped early: let it train for longer.")
    return tr(
        # Translators: epochs are passes over all the training images.
        "It may need more passes over the images (epochs), or a bigger step size (learning rate)."
    )
