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

from mnist_core.runs.result import TrainResult

MIN_HELD_OUT = 20  # kept-aside drawings needed before a change in them is shown
FORGOT = 0.001  # MNIST test accuracy lost beyond this (0.1 point) counts as forgetting


@dataclass(frozen=True)
class BothSides:
    headline: str  # one sentence: what it learnt and what it kept
    class_line: str  # the class's kept-aside drawings, before and after (or why no figure)
    mnist_line: str  # the MNIST test set, before and after


def both_sides(result: TrainResult) -> BothSides | None:
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
    mnist_line = (
        f"MNIST test: {mnist_before:.2%} before, {mnist_after:.2%} after "
        f"(on {tests:,} images it never learnt from)"
    )
    kept = (
        f"it still reads MNIST at {mnist_after:.1%}"
        if mnist_after >= mnist_before - FORGOT
        else f"it forgot some MNIST: {mnist_after:.2%}, was {mnist_before:.2%}"
    )
    if count < MIN_HELD_OUT:
        class_line = (
            f"Only {count} of the class's drawings were kept aside: too few to show a change "
            f"(one drawing is {100 / count:.0f} points). Label at least "
            f"{MIN_HELD_OUT * 4} drawings so that {MIN_HELD_OUT} can be kept aside."
        )
        return BothSides(f"No figure for the class's drawings yet; {kept}.", class_line, mnist_line)
    if right_before == count:
        class_line = (
            f"The model it started from already read all {count} kept-aside drawings, so "
            "they cannot show a change: label more of the digits it gets wrong."
        )
        headline = f"Nothing to improve on the class's drawings; {kept}."
        return BothSides(headline, class_line, mnist_line)
    class_line = (
        f"The class's kept-aside drawings: {right_before} of {count} right before "
        f"({before:.1%}), {right_after} of {count} after ({held.accuracy:.1%})"
    )
    if right_after > right_before:
        learnt = f"It now reads {right_after - right_before} more of your {count} drawings"
    elif right_after == right_before:
        learnt = f"It reads as many of your {count} drawings as before"
    else:
        learnt = f"It reads {right_before - right_after} fewer of your {count} drawings"
    return BothSides(f"{learnt}; {kept}.", class_line, mnist_line)
