"""What learning from the class did, both sides: the class's kept-aside drawings and MNIST.

Fine-tuning on a class's drawings should make the network read the class's own style and
forget nothing of MNIST. The result shows both, before and after, with how many drawings
each figure rests on. A handful of kept-aside drawings cannot show a change: one drawing of
twelve is 8 points. So the class's figures are given only when at least `MIN_HELD_OUT`
drawings were kept aside and the model it started from got at least one of them wrong;
otherwise the result says why there is no figure and what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from mnist_core.i18n.translator import Translator, english
from mnist_core.runs.result import TrainResult

ENGLISH = english()

MIN_HELD_OUT = 20  # kept-aside drawings needed before a change in them is shown
FORGOT = 0.001  # MNIST test accuracy lost beyond this (0.1 point) counts as forgetting


@dataclass(frozen=True)
class BothSides:
    headline: str  # one sentence: what it learnt and what it kept
    class_line: str  # the class's kept-aside drawings, before and after (or why no figure)
    mnist_line: str  # the MNIST test set, before and after


def both_sides(result: TrainResult, tr: Translator = ENGLISH) -> BothSides | None:
    """The two sides of a run that started from a trained model and learnt from the class;
    None for any other run (it has no "before")."""
    held = result.class_evaluation
    before = result.class_accuracy_before
    mnist_before = result.test_accuracy_before
    if held is None or before is None or mnist_before is None:
        return None
    count = int(held.confusion.sum())
    right_before, right_after = round(before * count), round(held.accuracy * count)
    tests = int(result.evaluation.confusion.sum())
    mnist_after = result.evaluation.accuracy
    mnist_line = tr(
        "MNIST test: {before} before, {after} after (on {count} images it never learnt from)",
        before=tr.percent(mnist_before, 2),
        after=tr.percent(mnist_after, 2),
        count=tr.number(tests),
    )
    # Translators: the end of the sentences below: what the network still does on MNIST.
    kept = (
        tr("it still reads MNIST at {accuracy}", accuracy=tr.percent(mnist_after, 1))
        if mnist_after >= mnist_before - FORGOT
        else tr(
            "it forgot some MNIST: {after}, was {before}",
            after=tr.percent(mnist_after, 2),
            before=tr.percent(mnist_before, 2),
        )
    )
    if count < MIN_HELD_OUT:
        class_line = tr.plural(
            # Translators: one drawing of twelve is 8 percentage points ({points}).
            "Only {held} of the class's drawings was kept aside: too few to show a change "
            "(one drawing is {points} points). Label at least {label} drawings so that "
            "{needed} can be kept aside.",
            "Only {held} of the class's drawings were kept aside: too few to show a change "
            "(one drawing is {points} points). Label at least {label} drawings so that "
            "{needed} can be kept aside.",
            count,
            held=count,
            points=tr.number(100 / count, 0),
            label=MIN_HELD_OUT * 4,
            needed=MIN_HELD_OUT,
        )
        headline = tr("No figure for the class's drawings yet; {kept}.", kept=kept)
        return BothSides(headline, class_line, mnist_line)
    if right_before == count:
        class_line = tr(
            "The model it started from already read all {count} kept-aside drawings, so "
            "they cannot show a change: label more of the digits it gets wrong.",
            count=count,
        )
        headline = tr("Nothing to improve on the class's drawings; {kept}.", kept=kept)
        return BothSides(headline, class_line, mnist_line)
    class_line = tr(
        "The class's kept-aside drawings: {right_before} of {count} right before "
        "({before}), {right_after} of {count} after ({after})",
        right_before=right_before,
        right_after=right_after,
        count=count,
        before=tr.percent(before, 1),
        after=tr.percent(held.accuracy, 1),
    )
    if right_after > right_before:
        headline = tr.plural(
            "It now reads {more} more of your {total} drawings; {kept}.",
            "It now reads {more} more of your {total} drawings; {kept}.",
            right_after - right_before,
            more=right_after - right_before,
            total=count,
            kept=kept,
        )
    elif right_after == right_before:
        headline = tr(
            "It reads as many of your {count} drawings as before; {kept}.", count=count, kept=kept
        )
    else:
        headline = tr.plural(
            "It reads {fewer} fewer of your {total} drawings; {kept}.",
            "It reads {fewer} fewer of your {total} drawings; {kept}.",
            right_before - right_after,
            fewer=right_before - right_after,
            total=count,
            kept=kept,
        )
    return BothSides(headline, class_line, mnist_line)
