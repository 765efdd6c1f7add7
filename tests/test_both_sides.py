"""The result of learning from the class shows both sides, or says why it cannot."""

import numpy as np
import pytest

from mnist_core.config import TrainConfig
from mnist_core.presentation.both_sides import MIN_HELD_OUT, both_sides
from mnist_core.runs.history import History
from mnist_core.runs.result import TrainResult
from mnist_core.serving.evaluation import Evaluation


def scored(right: int, count: int) -> Evaluation:
    """An evaluation of `count` images, `right` of them read right (all as 0s)."""
    confusion = np.zeros((10, 10), np.int64)
    confusion[0, 0], confusion[0, 1] = right, count - right
    empty = np.empty(0, np.int64)
    return Evaluation(right / count, (right / count,) + (0.0,) * 9, confusion, empty, empty)


def result(held: tuple[int, int] | None, class_before: float | None, mnist: tuple[float, float]):
    before, after = mnist
    return TrainResult(
        "finished",
        "done",
        None,
        TrainConfig(class_data=True, start_from="default"),
        History(),
        scored(round(after * 10_000), 10_000),
        1.0,
        1.0,
        "x",
        class_evaluation=None if held is None else scored(*held),
        class_accuracy_before=class_before,
        test_accuracy_before=before,
    )


def test_both_sides_before_and_after_with_their_counts():
    sides = both_sides(result((31, 32), 24 / 32, (0.9944, 0.9941)))
    assert sides.headline == (
        "It now reads 7 more of your 32 drawings; it still reads MNIST at 99.4%."
    )
    assert "24 of 32 right before (75.0%), 31 of 32 after (96.9%)" in sides.class_line
    assert sides.mnist_line.startswith("MNIST test: 99.44% before, 99.41% after (on 10,000")


def test_forgetting_mnist_is_said_plainly():
    sides = both_sides(result((30, 32), 24 / 32, (0.9944, 0.9916)))
    assert "it forgot some MNIST: 99.16%, was 99.44%" in sides.headline


@pytest.mark.parametrize(
    "held, before, expected",
    [
        ((12, 12), 10 / 12, "Only 12 of the class's drawings were kept aside: too few"),
        ((32, 32), 1.0, "already read all 32 kept-aside drawings"),
    ],
)
def test_too_few_or_too_easy_kept_aside_drawings_give_no_figure(held, before, expected):
    sides = both_sides(result(held, before, (0.9944, 0.9944)))
    assert expected in sides.class_line
    assert "%" not in sides.class_line
    assert held[0] >= MIN_HELD_OUT or f"{MIN_HELD_OUT}" in sides.class_line


def test_runs_without_a_before_have_no_two_sides():
    assert both_sides(result(None, None, (0.99, 0.99))) is None
    assert both_sides(result((30, 32), None, (0.99, 0.99))) is None


def test_both_sides_survive_a_restart_of_the_server():
    """The figures a finished fine-tune shows are kept in its database row."""
    from mnist_core.runs.records import from_record, to_record
    from mnist_core.runs.registry import RunView

    kept = result((31, 32), 24 / 32, (0.9944, 0.9941))
    view = RunView(
        id=3,
        name="fine-tune",
        preset="fine-tune",
        config=kept.config,
        state="finished",
        created="2026-12-01T10:00:00",
        result=kept,
    )
    fields, _ = from_record(to_record(view, History()))
    again = fields["result"]
    assert fields["config"].start_from == "default"
    assert (again.test_accuracy_before, again.class_accuracy_before) == (0.9944, 0.75)
    assert both_sides(again) == both_sides(kept)
