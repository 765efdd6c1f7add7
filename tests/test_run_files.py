"""A class's runs and saved models do not fill the server's disk."""

from __future__ import annotations

import concurrent.futures
import shutil
from pathlib import Path

import pytest

from mnist_core.access.roles import Visitor
from mnist_core.runs import registry as registry_module
from mnist_core.runs import saving
from mnist_core.runs.registry import TrainingRegistry
from mnist_core.runs.saving import save_run
from mnist_core.storage.database import open_database
from mnist_core.storage.runs import RunRecords
from tests import fake_training as fake


def test_only_the_newest_runs_keep_their_checkpoints_and_tensorboard_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(registry_module, "train_in_child", fake.fake_child)
    monkeypatch.setattr(registry_module, "KEEP_NETWORKS", 1)
    monkeypatch.setattr(registry_module, "KEEP_RUN_FILES", 2)
    boards = tmp_path / "tensorboard"
    registry = TrainingRegistry(
        records=RunRecords(open_database(f"sqlite:///{tmp_path / 'd.db'}")),
        checkpoints=tmp_path / "checkpoints",
        tensorboard=boards,
        niceness=0,
    )
    try:
        ids = []
        for n in range(4):
            ids.append(registry.submit(fake.config(fake.FINISH), f"run {n}"))
            registry.wait(ids[-1], timeout=60)
            (boards / f"run-{ids[-1]}").mkdir(parents=True, exist_ok=True)
    finally:
        registry.shutdown()  # writes every run down, then prunes
    views = [registry.get(run_id) for run_id in ids]
    assert [view.checkpoint is None for view in views] == [True, True, False, False]
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == [
        f"run-{ids[2]}.npz",
        f"run-{ids[3]}.npz",
    ]
    assert sorted(p.name for p in boards.iterdir()) == [f"run-{ids[2]}", f"run-{ids[3]}"]
    assert [view.result.evaluation.accuracy for view in views]  # the figures stay


def test_saved_models_are_limited_in_number_and_size(tmp_path, monkeypatch, make_registry):
    registry = make_registry()
    run = registry.wait(registry.submit(fake.config(fake.FINISH), "kept"), timeout=60)
    weights = sum(a.nbytes for a in run.result.network.to_arrays())
    monkeypatch.setattr(saving, "MAX_SAVED_MODELS", 2)
    monkeypatch.setattr(saving, "MAX_SAVED_BYTES", int(weights * 1.5))
    save_run(run, "first", tmp_path)
    with pytest.raises(ValueError, match=r"over .* GiB"):
        save_run(run, "second", tmp_path)  # a second copy would pass the size
    monkeypatch.setattr(saving, "MAX_SAVED_BYTES", weights * 100)
    save_run(run, "second", tmp_path)
    with pytest.raises(ValueError, match="already keeps 2 saved models"):
        save_run(run, "third", tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_students_cannot_leave_the_teacher_without_room_to_save(
    tmp_path, monkeypatch, make_registry
):
    registry = make_registry()
    run = registry.wait(registry.submit(fake.config(fake.FINISH), "kept"), timeout=60)
    monkeypatch.setattr(saving, "MAX_SAVED_MODELS", 5)
    student, teacher = Visitor("student"), Visitor("teacher", teacher=True)
    for n in range(4):  # one student saving the same run over and over
        save_run(run, f"copy {n}", tmp_path, student)
    with pytest.raises(ValueError, match="already keeps 4 saved models"):
        save_run(run, "copy 4", tmp_path, student)
    save_run(run, "the teacher's", tmp_path, teacher)  # the teacher's room is still there
    assert len(list(tmp_path.glob("*.npz"))) == 5


def test_keras_files_are_made_one_at_a_time_at_low_priority(monkeypatch):
    from mnist_core.runs import keras_download

    commands, held = [], []

    def fake_run(command, **kwargs):
        held.append(keras_download._one_at_a_time.locked())  # no other conversion now
        commands.append(command)
        Path(command[command.index("--to") + 1]).write_bytes(b"keras")

    monkeypatch.setattr(keras_download.subprocess, "run", fake_run)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        made = list(pool.map(keras_download.keras_file_bytes, [b"model"] * 8))
    assert made == [b"keras"] * 8 and held == [True] * 8
    if shutil.which("nice"):
        assert all(command[:3] == ["nice", "-n", "10"] for command in commands)
