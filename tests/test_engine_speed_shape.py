"""The from-scratch engine runs many steps per compiled call and reports each one as if not."""

import numpy as np
import pytest

from mnist_core.config import TrainConfig
from mnist_core.runs.events import BatchEnd

tf = pytest.importorskip("tensorflow")
from mnist_core.training import scratch_engine  # noqa: E402
from mnist_core.training.scratch_engine import MAX_STEPS_PER_CALL, CallSizer  # noqa: E402
from mnist_core.training.train import train  # noqa: E402

SMALL = TrainConfig(hidden=(64,), epochs=2, batch_size=64, report_every=1, optimizer="adam")


def test_calls_grow_from_one_step_to_what_fits_in_a_quarter_second():
    sizer = CallSizer()
    assert sizer.next(remaining=100) == 1
    sizer.took(3.0, 1)  # the first call compiles
    assert sizer.steps == 1
    sizes = []
    for _ in range(12):
        sizes.append(sizer.next(remaining=1000))
        sizer.took(0.001 * sizes[-1], sizes[-1])  # 1 ms a step
    assert sizes[:5] == [1, 2, 4, 8, 16] and max(sizes) == min(250, MAX_STEPS_PER_CALL)
    assert sizer.next(remaining=3) == 3  # a call never runs past the epoch's end


def run_with_calls_of(steps, data, monkeypatch, config=SMALL):
    monkeypatch.setattr(CallSizer, "took", lambda self, seconds, ran: setattr(self, "steps", steps))
    events = []
    result = train(config, data, on_event=events.append)
    return result, [e.loss for e in events if isinstance(e, BatchEnd)]


@pytest.mark.parametrize("augment", [False, True])
def test_many_steps_per_call_learn_exactly_what_one_step_per_call_learns(
    small_mnist, monkeypatch, augment
):
    config = SMALL.replace(augment=augment, lr_schedule="cosine")
    one, one_losses = run_with_calls_of(1, small_mnist, monkeypatch, config)
    many, many_losses = run_with_calls_of(MAX_STEPS_PER_CALL, small_mnist, monkeypatch, config)
    assert len(one_losses) == len(many_losses) == 70
    np.testing.assert_allclose(many_losses, one_losses, rtol=1e-4)
    for a, b in zip(one.network.to_arrays(), many.network.to_arrays()):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)
    assert one.history.epochs[-1].train_accuracy == many.history.epochs[-1].train_accuracy


def test_one_function_is_traced_once_for_the_whole_run(small_mnist, monkeypatch):
    made = []

    def remember(*args):
        made.append(real(*args))
        return made[-1]

    real = scratch_engine.make_training_loop
    monkeypatch.setattr(scratch_engine, "make_training_loop", remember)
    result = train(SMALL.replace(epochs=3), small_mnist)
    assert made[0].experimental_get_tracing_count() == 1
    assert result.seconds >= result.history.ended.elapsed  # wall clock, compiling included
