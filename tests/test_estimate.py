"""How long a run will take, from the speed earlier runs on this server measured."""

import numpy as np
import pytest

from mnist_core.config import TrainConfig
from mnist_core.presentation.describe import rough_duration
from mnist_core.runs.estimate import estimate
from mnist_core.runs.events import RunEnded, RunStarted
from mnist_core.runs.history import History
from mnist_core.runs.registry import RunView
from mnist_core.runs.result import TrainResult
from mnist_core.serving.evaluation import Evaluation

MEASURED = TrainConfig(hidden=(512,), epochs=1, batch_size=100)


def measured_run(run_id: int, config: TrainConfig, images_per_second: float) -> RunView:
    """A run that trained 500 steps of 100 images at `images_per_second`, plus 10 s of
    starting and checking."""
    seconds = 500 * 100 / images_per_second + 10
    evaluation = Evaluation(0.9, (0.9,) * 10, np.zeros((10, 10), int), np.empty(0), np.empty(0))
    result = TrainResult(
        "finished", "", None, config, History(), evaluation, seconds, images_per_second, "x"
    )
    return RunView(
        id=run_id,
        name="m",
        preset=None,
        config=config,
        state="finished",
        created="",
        started=RunStarted(epochs=1, steps_per_epoch=500, train_size=50_000, validation_size=0),
        ended=RunEnded("finished", 500, 1, "", seconds, images_per_second),
        result=result,
    )


def test_no_measured_run_means_no_estimate():
    assert estimate(MEASURED, []) is None
    unfinished = measured_run(1, MEASURED, 1000.0)
    assert estimate(MEASURED, [RunView(**{**unfinished.__dict__, "result": None})]) is None


def test_the_estimate_scales_a_measured_speed_to_other_settings():
    runs = [measured_run(1, MEASURED, 1000.0)]
    same = estimate(MEASURED, runs)
    assert same.seconds == pytest.approx(60.0) and same.run_id == 1 and same.same_kind
    # Ten epochs of a network with twice the weights: twenty times the steady part.
    double = MEASURED.replace(hidden=(1024,), epochs=10)
    assert double.parameter_count == pytest.approx(2 * MEASURED.parameter_count, rel=0.01)
    assert estimate(double, runs).seconds == pytest.approx(10 + 50 * 20, rel=0.01)


def test_a_run_of_the_same_kind_measures_best():
    scratch = measured_run(2, MEASURED, 1000.0)
    augmented = measured_run(1, MEASURED.replace(augment=True), 250.0)
    wanted = MEASURED.replace(augment=True)
    guess = estimate(wanted, [scratch, augmented])  # newest first: the plain run is newer
    assert guess.run_id == 1 and guess.same_kind
    keras = estimate(MEASURED.replace(engine="keras"), [scratch, augmented])
    assert keras.run_id == 2 and not keras.same_kind  # none of its kind: the newest


def test_durations_are_said_as_roughly_as_they_are_known():
    assert rough_duration(20) == "less than a minute"
    assert rough_duration(14 * 60 + 52) == "about 15 minutes"
    assert rough_duration(3 * 3600) == "about 3.0 hours"
