"""Runs outlast the server: written down as they go, there again after a restart or a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from mnist_core.config import TrainConfig
from mnist_core.runs.records import MAX_LOSS_POINTS, from_record, thinned, to_record
from mnist_core.runs.registry import TrainingRegistry
from mnist_core.runs.saving import continuation, kept_network, save_run
from mnist_core.runs.states import CANCELLED, FAILED, FINISHED, INTERRUPTED, RUNNING, STOPPED
from mnist_core.serving.model_files import load_model
from mnist_core.storage.database import open_database
from mnist_core.storage.runs import RunRecords
from tests import fake_training as fake
from tests.conftest import ROOT, SMALL_MNIST

LONG = TrainConfig(hidden=(32,), epochs=500, batch_size=64, report_every=5)


@pytest.fixture
def places(tmp_path):
    url = f"sqlite:///{tmp_path / 'digitlab.db'}"
    return url, tmp_path / "checkpoints"


def registry_on(places, **kwargs) -> TrainingRegistry:
    url, checkpoints = places
    return TrainingRegistry(
        records=RunRecords(open_database(url)), checkpoints=checkpoints, niceness=0, **kwargs
    )


def test_a_long_curve_is_thinned_but_keeps_its_ends():
    losses = [(step, 1.0 / step) for step in range(1, 5001)]
    kept = thinned(losses)
    assert len(kept) <= MAX_LOSS_POINTS
    assert kept[0] == [1, 1.0] and kept[-1] == [5000, 1 / 5000]


def test_a_finished_run_is_there_again_after_a_restart(places, monkeypatch):
    from mnist_core.runs import registry as registry_module

    monkeypatch.setattr(registry_module, "train_in_child", fake.fake_child)
    first = registry_on(places)
    run_id = first.submit(fake.config(fake.FINISH), "kept")
    finished = first.wait(run_id, timeout=60)
    assert finished.state == FINISHED
    first.shutdown()  # writes every run down

    again = registry_on(places)
    try:
        view = again.get(run_id)
        assert view.state == FINISHED and view.name == "kept"
        assert view.result.evaluation.accuracy == finished.result.evaluation.accuracy
        assert view.checkpoint and load_model(view.checkpoint).network.layer_sizes[0] == 784
        assert again.submit(fake.config(fake.FINISH), "next") == run_id + 1
    finally:
        again.shutdown()


def test_a_run_cancelled_while_waiting_stays_cancelled_after_a_restart(places, monkeypatch):
    from mnist_core.runs import registry as registry_module

    monkeypatch.setattr(registry_module, "train_in_child", fake.fake_child)
    first = registry_on(places)
    busy = first.submit(fake.config(fake.UNTIL_STOPPED), "busy")
    waiting = first.submit(fake.config(fake.FINISH), "waiting")
    first.stop(waiting)
    assert first.get(waiting).state == CANCELLED
    first.stop(busy)
    assert first.wait(busy, timeout=60).state == STOPPED
    first.shutdown()

    again = registry_on(places)
    try:
        view = again.get(waiting)
        assert view.state == CANCELLED and "nothing was trained" in view.message
    finally:
        again.shutdown()


def test_a_killed_training_process_keeps_its_curve_and_last_weights(places, tmp_path):
    registry = registry_on(places, data_path=str(SMALL_MNIST), snapshot_every=0.2)
    try:
        run_id = registry.submit(LONG, "doomed")
        registry.wait(run_id, until=lambda v: len(v.epochs) >= 1 and v.live_step > 0, timeout=120)
        os.kill(registry._runs[run_id].process.pid, signal.SIGKILL)
        view = registry.wait(run_id, timeout=30)
    finally:
        registry.shutdown()
    assert view.state == FAILED and "was killed" in view.message
    [record] = [r for r in RunRecords(open_database(places[0])).all() if r.id == run_id]
    fields, history = from_record(record)
    assert fields["state"] == FAILED and history.losses and history.epochs
    saved = save_run(view, "after the kill", tmp_path / "models")
    assert load_model(saved).network.layer_sizes == (784, 32, 10)


def test_a_run_cut_off_by_the_server_is_interrupted_and_can_go_on(places):
    url, checkpoints = places
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from mnist_core.config import TrainConfig
        from mnist_core.runs.registry import TrainingRegistry
        from mnist_core.storage.database import open_database
        from mnist_core.storage.runs import RunRecords
        if __name__ == "__main__":
            reg = TrainingRegistry(
                data_path={str(SMALL_MNIST)!r}, snapshot_every=0.2, niceness=0,
                records=RunRecords(open_database({url!r})), checkpoints=Path({str(checkpoints)!r}),
            )
            run_id = reg.submit(TrainConfig(hidden=(32,), epochs=500, batch_size=64), "cut off")
            reg.wait(run_id, until=lambda v: v.checkpoint is not None, timeout=120)
            reg.wait(run_id, until=lambda v: len(v.losses) > 20, timeout=120)
            reg._write_journal()
            os.kill(os.getpid(), signal.SIGKILL)  # the server dies: no clean-up runs
        """
    )
    server = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert server.returncode == -signal.SIGKILL, server.stderr[-2000:]

    again = TrainingRegistry(records=RunRecords(open_database(url)), checkpoints=checkpoints)
    try:
        [view] = again.runs()
        assert view.state == INTERRUPTED
        assert view.message.startswith("Interrupted at epoch ")
        assert "of 500 when the server stopped" in view.message
        assert view.losses and view.epochs
        network = kept_network(view)
        assert network.layer_sizes == (784, 32, 10)
        config, name = continuation(view)
        assert config.epochs == 500 - len(view.epochs) and name == "cut off (continued)"
    finally:
        again.shutdown()
    assert [r.state for r in RunRecords(open_database(url)).all()] == [INTERRUPTED]


def test_a_record_round_trips_what_the_page_shows():
    view_fields = {
        "id": 7,
        "name": "x",
        "preset": None,
        "config": TrainConfig(),
        "state": RUNNING,
        "created": "2026-11-23T10:00:00",
        "owner": "s",
    }
    from mnist_core.runs.history import History
    from mnist_core.runs.registry import RunView

    record = to_record(RunView(**view_fields), History())
    fields, _ = from_record(record)
    assert fields["state"] == INTERRUPTED and fields["owner"] == "s"
    assert "it had not kept any weights yet" in fields["message"]


def test_the_journal_writes_every_journal_seconds_not_twice_that(monkeypatch):
    """Other servers show a run as its server last wrote it, and docs/deployment.md and the
    Train page promise that is every JOURNAL_SECONDS: the journal's own waits between two
    writes add up to that, not to twice it. Run in this thread, with its waits counted."""
    from mnist_core.runs import registry as registry_module

    registry = TrainingRegistry()  # no database: the loop alone, its writes counted
    waited, writes = [], []

    class Due:
        def wait(self, timeout):
            waited.append(timeout)

        def clear(self):
            pass

    def write():
        writes.append(sum(waited))
        registry._closed = len(writes) == 3

    monkeypatch.setattr("time.sleep", lambda seconds: waited.append(seconds))
    registry._journal_due, registry._write_journal = Due(), write
    registry._journal()
    step = registry_module.JOURNAL_SECONDS
    assert writes[1] - writes[0] == writes[2] - writes[1] == step
