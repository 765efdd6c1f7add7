"""The app's training registry: child processes, a waiting line, stops and crashes."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from mnist_core.config import TrainConfig
from mnist_core.runs.registry import TrainingRegistry
from mnist_core.runs.states import CANCELLED, FAILED, FINISHED, QUEUED, RUNNING, STOPPED
from tests.conftest import ROOT, SMALL_MNIST

QUICK = TrainConfig(hidden=(32,), epochs=2, batch_size=64, report_every=5)
LONG = QUICK.replace(epochs=500)


@pytest.fixture
def registry():
    reg = TrainingRegistry(data_path=str(SMALL_MNIST), snapshot_every=0.2)
    yield reg
    reg.shutdown()


def test_a_run_finishes_with_its_result(registry):
    run_id = registry.submit(QUICK, "quick")
    view = registry.wait(run_id, timeout=120)
    assert view.state == FINISHED, view.message
    assert view.result.evaluation.accuracy > 0.5
    assert [e.epoch for e in view.epochs] == [1, 2]
    assert view.losses[-1][0] == view.ended.step == 70
    assert view.mistakes.images.shape[1:] == (28, 28)
    assert len(view.mistakes.labels) == len(view.mistakes.predicted) > 0
    assert view.live_network is view.result.network


def test_runs_wait_in_line_and_a_stop_ends_a_run_quickly(registry):
    first = registry.submit(LONG, "first")
    second = registry.submit(QUICK, "second")
    third = registry.submit(QUICK, "third")
    assert registry.get(second).state == QUEUED and registry.get(second).queue_position == 1
    assert registry.get(third).queue_position == 2
    registry.stop(third)
    assert registry.get(third).state == CANCELLED

    view = registry.wait(first, until=lambda v: v.live_network is not None, timeout=120)
    assert view.state == RUNNING
    registry.stop(first)
    view = registry.wait(first, timeout=5)  # well within one second of batches
    assert view.state == STOPPED
    assert view.result is not None  # what it learnt is kept
    assert registry.wait(second, timeout=120).state == FINISHED


def test_a_killed_training_process_is_reported_and_the_next_run_starts(registry):
    doomed = registry.submit(LONG, "doomed")
    registry.wait(doomed, until=lambda v: v.state == RUNNING, timeout=120)
    later = registry.submit(QUICK, "later")
    pid = registry._runs[doomed].process.pid
    os.kill(pid, signal.SIGKILL)
    view = registry.wait(doomed, timeout=30)
    assert view.state == FAILED
    assert view.message.startswith("The training process was killed (out of memory?); ")
    assert registry.wait(later, timeout=120).state == FINISHED


def test_missing_data_fails_with_advice():
    reg = TrainingRegistry(data_path="/nonexistent/mnist.npz")
    try:
        view = reg.wait(reg.submit(QUICK, "x"), timeout=120)
    finally:
        reg.shutdown()
    assert view.state == FAILED
    assert "does not exist" in view.message and "MNIST_PATH" in view.message


def test_the_server_process_never_imports_tensorflow():
    script = textwrap.dedent(
        f"""
        import sys
        from mnist_core.config import TrainConfig
        from mnist_core.runs.registry import TrainingRegistry
        if __name__ == "__main__":
            reg = TrainingRegistry(data_path={str(SMALL_MNIST)!r})
            view = reg.wait(reg.submit(TrainConfig(hidden=(16,), epochs=1), "x"), timeout=120)
            print(view.state, "tensorflow" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert out.stdout.split() == ["finished", "False"], out.stderr[-2000:]


def test_settings_the_data_cannot_support_fail_with_the_reason(registry):
    view = registry.wait(registry.submit(QUICK.replace(batch_size=3000), "big batch"), timeout=120)
    assert view.state == FAILED
    assert view.message.startswith("a batch of 3000 is larger than the 2200 training images")


def test_training_processes_end_when_the_server_dies():
    script = textwrap.dedent(
        f"""
        import sys
        from mnist_core.config import TrainConfig
        from mnist_core.runs.registry import TrainingRegistry
        if __name__ == "__main__":
            reg = TrainingRegistry(data_path={str(SMALL_MNIST)!r})
            run_id = reg.submit(TrainConfig(hidden=(16,), epochs=500), "x")
            reg.wait(run_id, until=lambda v: v.state == "running", timeout=120)
            print(reg._runs[run_id].process.pid, flush=True)
            sys.stdin.read()  # until the test kills this "server"
        """
    )
    server = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(server.stdout.readline())
    os.kill(server.pid, signal.SIGKILL)  # no clean-up code runs in the server
    server.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.1)
    assert not _alive(child), "the training process outlived its server"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
