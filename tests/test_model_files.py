"""Model files: a round trip, and every kind of bad file refused with a clear message."""

import hashlib
import json
import os
import pickle
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from mnist_core.serving.model_files import (
    BUNDLED_MODEL,
    ModelFileError,
    load_model,
    read_metadata,
    save_model,
)
from mnist_core.serving.model_listing import list_models, scan_models
from tests.bombs import npz_bomb
from tests.memory import MB, peak_growth
from tests.test_network import random_mlp


def arrays_of(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def test_round_trip_keeps_weights_and_metadata(tmp_path, small_mnist):
    mlp = random_mlp(output="linear")
    path = save_model(tmp_path / "m.npz", mlp, {"name": "demo", "metrics": {"test_accuracy": 0.5}})
    saved = load_model(path)
    assert saved.network.output == "linear"
    for a, b in zip(saved.network.to_arrays(), mlp.to_arrays()):
        assert np.array_equal(a, b)
    assert saved.metadata["name"] == "demo"
    assert saved.metadata["layers"] == [784, 32, 16, 10]
    assert "created" in saved.metadata
    images = small_mnist.x_test[:10]
    assert np.array_equal(saved.network.predict_proba(images), mlp.predict_proba(images))


def test_an_existing_file_is_never_overwritten_unless_asked(tmp_path):
    path = save_model(tmp_path / "m.npz", random_mlp(seed=1), {"name": "first"})
    with pytest.raises(FileExistsError):
        save_model(path, random_mlp(seed=2), {"name": "second"})
    assert read_metadata(path)["name"] == "first"
    save_model(path, random_mlp(seed=2), {"name": "second"}, overwrite=True)
    assert read_metadata(path)["name"] == "second"


def test_writes_leave_no_temporary_files(tmp_path):
    save_model(tmp_path / "m.npz", random_mlp(), {})
    assert os.listdir(tmp_path) == ["m.npz"]


def test_a_model_file_is_never_written_in_place(tmp_path, monkeypatch):
    """Every open of the final name is watched (audit hooks see all of them): it must never
    be opened for writing, only linked or renamed into place once whole, so a crash or a
    full disk halfway through leaves the old file as it was."""
    path = save_model(tmp_path / "m.npz", random_mlp(seed=1), {"name": "old"})
    fresh = tmp_path / "fresh.npz"
    before = path.read_bytes()
    seen, watching = [], [True]

    def audit(event, args):
        if watching[0] and event in ("open", "os.rename", "os.link"):
            seen.append((event, args))

    def disk_full(fd):  # after the bytes are written, before they are put in place
        raise OSError("No space left on device")

    sys.addaudithook(audit)  # cannot be removed; it stops recording below
    try:
        with monkeypatch.context() as patch:
            patch.setattr(os, "fsync", disk_full)
            with pytest.raises(OSError, match="No space"):
                save_model(path, random_mlp(seed=2), {"name": "new"}, overwrite=True)
        assert path.read_bytes() == before
        assert os.listdir(tmp_path) == ["m.npz"]
        save_model(path, random_mlp(seed=2), {"name": "new"}, overwrite=True)
        save_model(fresh, random_mlp(seed=3), {"name": "fresh"})
    finally:
        watching[0] = False
    written = [
        args[0]
        for event, args in seen
        if event == "open"
        and isinstance(args[0], str | os.PathLike)
        and Path(args[0]) in (path, fresh)
        and args[2] & (os.O_WRONLY | os.O_RDWR)
    ]
    assert written == []
    placed = {Path(args[1]) for event, args in seen if event != "open"}
    assert {path, fresh} <= placed
    assert read_metadata(path)["name"] == "new" and read_metadata(fresh)["name"] == "fresh"


def rewrite(path, **changes):
    """Edit a saved file as a crafted or damaged one would look, checksums kept in step."""
    arrays = arrays_of(path)
    meta = json.loads(arrays["metadata"].item())
    for key, value in changes.items():
        if value is None:
            del arrays[key]
        elif key != "metadata" and value.dtype.kind == "f":
            arrays[key] = value
            meta["sha256"][key] = hashlib.sha256(value.tobytes()).hexdigest()
        else:
            arrays[key] = value
    if "metadata" not in changes:
        arrays["metadata"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)


@pytest.fixture
def model_path(tmp_path):
    return save_model(tmp_path / "model.npz", random_mlp(), {"name": "x"})


def test_truncated_file_is_refused(model_path):
    data = model_path.read_bytes()
    model_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="not a Digit Lab model file"):
        load_model(model_path)


def test_corrupt_bytes_are_refused(model_path):
    data = bytearray(model_path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 200] = b"\xff" * 200
    model_path.write_bytes(data)
    with pytest.raises(ModelFileError, match="damaged"):
        load_model(model_path)


def test_altered_weights_fail_their_checksum(model_path):
    arrays = arrays_of(model_path)
    arrays["b0"] = arrays["b0"] + 1.0
    np.savez(model_path, **arrays)
    with pytest.raises(ModelFileError, match="checksum"):
        load_model(model_path)


def test_wrong_shapes_are_refused(model_path):
    rewrite(model_path, W1=np.zeros((31, 16), np.float32))
    with pytest.raises(ModelFileError, match="layer 1 weights have shape"):
        load_model(model_path)


def test_weights_that_disagree_with_metadata_are_refused(model_path):
    rewrite(model_path, W2=None)
    with pytest.raises(ModelFileError, match="missing: \\['W2'\\]"):
        load_model(model_path)


def test_nan_weights_are_refused(model_path):
    w = arrays_of(model_path)["W0"].copy()
    w[0, 0] = np.nan
    rewrite(model_path, W0=w)
    with pytest.raises(ModelFileError, match="NaN"):
        load_model(model_path)


def test_pickled_objects_inside_an_npz_are_refused(model_path):
    rewrite(model_path, W0=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ModelFileError, match="pickled Python objects"):
        load_model(model_path)


def test_a_plain_pickle_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(pickle.dumps({"W0": np.zeros(3)}))
    with pytest.raises(ModelFileError, match="pickled Python objects"):
        load_model(path)


def test_missing_or_foreign_metadata_is_refused(model_path):
    rewrite(model_path, metadata=np.array(json.dumps({"format": "something-else"})))
    with pytest.raises(ModelFileError, match="not a Digit Lab model file"):
        load_model(model_path)
    rewrite(model_path, metadata=None)
    with pytest.raises(ModelFileError, match="no metadata"):
        load_model(model_path)


def test_newer_format_version_is_refused(model_path):
    meta = read_metadata(model_path)
    meta["format_version"] = 99
    rewrite(model_path, metadata=np.array(json.dumps(meta)))
    with pytest.raises(ModelFileError, match="format version 99"):
        load_model(model_path)


@pytest.mark.parametrize(
    "key, dtype, shape, message",
    [
        ("W0", "<f4", (784, 1_000_000), "layer 0 weights have shape (784, 1000000), but"),
        ("metadata", "<U200000000", (), "metadata is larger than 16 MiB"),
    ],
)
def test_a_file_that_unpacks_to_gigabytes_is_refused_before_it_unpacks(
    model_path, key, dtype, shape, message
):
    npz_bomb(model_path, arrays_of(model_path), key, dtype, shape)  # 3.1 GB or 0.8 GB
    assert model_path.stat().st_size < 4 * MB
    with peak_growth() as growth, pytest.raises(ModelFileError, match=re.escape(message)):
        load_model(model_path)
    assert growth() < 50 * MB


def test_metadata_that_promises_a_huge_network_is_refused(model_path):
    meta = read_metadata(model_path)
    meta["layers"] = [784, 4096, 4096, 4096, 4096, 10]
    rewrite(model_path, metadata=np.array(json.dumps(meta)))
    with pytest.raises(ModelFileError, match="holds 53,600,266 weights; Digit Lab reads"):
        load_model(model_path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ModelFileError, match="no model file"):
        load_model(tmp_path / "nope.npz")


def test_listing_is_newest_first_and_skips_bad_files(tmp_path):
    save_model(tmp_path / "old.npz", random_mlp(), {"created": "2026-01-01T00:00:00"})
    save_model(
        tmp_path / "new.npz",
        random_mlp(),
        {"created": "2026-06-01T00:00:00", "metrics": {"test_accuracy": 0.97}},
    )
    (tmp_path / "junk.npz").write_text("not a model")
    infos = list_models(tmp_path)
    assert [i.name for i in infos] == ["new", "old"]
    assert infos[0].test_accuracy == 0.97


def test_odd_metadata_reads_as_unknown_and_unreadable_files_say_why(tmp_path):
    odd = {"metrics": "n/a", "history": {"loss": "none"}, "config": [1], "status": 3}
    save_model(tmp_path / "a.npz", random_mlp(), {"name": "a", **odd})
    save_model(tmp_path / "b.npz", random_mlp(), {"name": 5, "metrics": {"test_accuracy": "high"}})
    (tmp_path / "junk.npz").write_text("not a model")
    scan = scan_models(tmp_path)
    assert sorted((i.name, i.test_accuracy, i.status, i.losses) for i in scan.usable) == [
        ("a", None, "saved", ()),
        ("b", None, "saved", ()),
    ]
    assert [name for name, _ in scan.refused] == ["junk.npz"]
    assert str(scan.refused[0][1]).startswith("junk.npz is not a Digit Lab model file")


def test_bundled_model_loads_and_documents_itself():
    saved = load_model(BUNDLED_MODEL)
    meta = saved.metadata
    assert meta["preset"] == "recommended"
    # One network taught by a convolutional teacher (distillation), and how that was made.
    assert meta["command"].startswith("python -m mnist_core train --preset recommended")
    assert "--teacher" in meta["command"] and "--temperature" in meta["command"]
    assert meta["layers"] == [784, 1200, 1200, 10] and "members" not in meta
    assert meta["config"]["temperature"] > 1
    teacher = meta["teacher"]
    assert teacher["format"] == "digit-lab-cnn-teacher"
    assert teacher["command"].startswith("python -m mnist_core teacher ")
    assert teacher["config"]["members"] == len(teacher["member_val_accuracy"]) >= 2
    assert teacher["val_accuracy"] >= 0.994
    assert meta["metrics"]["test_accuracy"] >= 0.9945
    assert BUNDLED_MODEL.stat().st_size < 12 * 2**20
