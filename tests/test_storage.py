"""The class's drawings store, on SQLite always and on a real PostgreSQL when one is running.

PostgreSQL runs under `pg_virtualenv` (Debian's postgresql-common): see the `url` fixture in
conftest.py.
"""

from __future__ import annotations

import concurrent.futures
import io
import multiprocessing
import sqlite3
import threading
import zipfile

import numpy as np
import pytest
import sqlalchemy as sa

from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.reading import read_drawing
from mnist_core.storage import database
from mnist_core.storage.database import (
    SCHEMA_VERSION,
    StorageError,
    integrity_ok,
    open_database,
)
from mnist_core.storage.drawings import ClassDrawings, NewDrawing
from mnist_core.storage.export import ExportError, export, npz_bytes, zip_bytes
from tests.conftest import canvas_drawing, empty_database


@pytest.fixture
def store(url) -> ClassDrawings:
    return ClassDrawings(open_database(url), label_interval=0)  # one session labels fast here


def readings_of(mnist, count: int) -> list:
    """Real MNIST test digits drawn large on a canvas, read by the bundled model."""
    network = load_model(BUNDLED_MODEL).network
    out = []
    for image, label in zip(mnist.x_test[:count], mnist.y_test[:count]):
        canvas = canvas_drawing(image)
        out.append((read_drawing(network, canvas), canvas, int(label)))
    return out


@pytest.fixture(scope="module")
def readings(small_mnist):
    return readings_of(small_mnist, 12)


def kept(reading, canvas, label, session="session-a") -> NewDrawing:
    return NewDrawing.from_reading(reading, canvas, label, "Bundled model", session)


def test_a_labelled_drawing_is_kept_with_everything_the_issue_lists(store, readings):
    reading, canvas, label = readings[0]
    drawing_id = store.add(kept(reading, canvas, label))
    [stored] = store.newest(10)
    assert stored.id == drawing_id and stored.label == label
    assert stored.predicted == reading.digit
    assert stored.confidence == pytest.approx(reading.confidence)
    assert stored.model == "Bundled model"
    assert stored.pixels.dtype == np.uint8 and stored.pixels.shape == (28, 28)
    assert np.abs(stored.pixels / 255.0 - reading.pixels).max() <= 0.5 / 255 + 1e-6
    [(_, _, original)] = store.originals()
    assert original.startswith(b"\x89PNG") and len(original) < 4096


def test_counts_per_digit_and_the_same_drawing_twice_is_kept_once(store, readings):
    for reading, canvas, label in readings:
        store.add(kept(reading, canvas, label))
    store.add(kept(*readings[0]))  # a double tap
    labels = [label for _, _, label in readings]
    assert store.count() == len(readings)
    assert store.per_digit() == [labels.count(d) for d in range(10)]
    collection = store.collection()
    assert list(collection.labels) == labels  # oldest first
    assert collection.images.shape == (len(readings), 28, 28)


def test_only_the_session_that_kept_a_drawing_can_take_it_back(store, readings):
    drawing_id = store.add(kept(*readings[0], session="alice"))
    assert not store.take_back(drawing_id, "bob")
    assert store.count() == 1
    assert store.take_back(drawing_id, "alice")
    assert store.count() == 0


def test_the_wall_filters_by_digit_and_by_wrong_readings(store, readings):
    reading, canvas, _ = readings[0]
    wrong_label = (reading.digit + 1) % 10
    store.add(kept(reading, canvas, reading.digit))
    store.add(kept(reading, canvas, wrong_label, session="other"))
    assert [d.label for d in store.newest(10)] == [wrong_label, reading.digit]
    assert [d.label for d in store.newest(10, wrong_only=True)] == [wrong_label]
    assert [d.label for d in store.newest(10, digit=reading.digit)] == [reading.digit]


def test_thirty_sessions_labelling_at_once_each_label_is_kept_exactly_once(url, readings):
    stores = [ClassDrawings(open_database(url)) for _ in range(3)]  # like 3 app servers
    ids: list[int] = []
    errors: list[Exception] = []

    def student(n: int) -> None:
        reading, canvas, label = readings[n % len(readings)]
        try:
            for round_ in range(4):
                drawing = kept(reading, canvas, label, session=f"student-{n}-{round_}")
                ids.append(stores[n % 3].add(drawing))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=student, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ids) == len(set(ids)) == 120
    assert stores[0].count() == 120


def test_a_bad_drawing_is_refused_before_the_database(store, readings):
    reading, canvas, _ = readings[0]
    with pytest.raises(ValueError, match="digit from 0 to 9"):
        kept(reading, canvas, 12)
    good = kept(reading, canvas, 3)
    with pytest.raises(ValueError, match="28x28"):
        NewDrawing(**{**good.__dict__, "pixels": np.zeros((5, 5), np.uint8)}).check()
    assert store.count() == 0


def test_exports_in_mnists_layout_and_as_png_folders(store, readings, tmp_path):
    for reading, canvas, label in readings[:5]:
        store.add(kept(reading, canvas, label))
    with np.load(io.BytesIO(npz_bytes(store.collection())), allow_pickle=False) as npz:
        assert npz["x"].shape == (5, 28, 28) and npz["x"].dtype == np.uint8
        assert list(npz["y"]) == [label for _, _, label in readings[:5]]
    names = zipfile.ZipFile(io.BytesIO(zip_bytes(store.collection(), store.originals()))).namelist()
    assert len(names) == 10 and all(n.endswith(".png") for n in names)
    assert export(store, tmp_path / "class.npz") == 5
    with pytest.raises(ExportError, match="already exists"):
        export(store, tmp_path / "class.npz")
    with pytest.raises(ExportError, match=r"\.npz or a \.zip"):
        export(store, tmp_path / "class.csv")


def test_the_schema_has_a_version_and_a_newer_one_is_refused(url):
    engine = open_database(url)
    version_row = database.settings.c.key == "schema_version"
    with engine.begin() as conn:
        version = conn.execute(sa.select(database.settings.c.value).where(version_row)).scalar()
        assert version == str(SCHEMA_VERSION)
        conn.execute(
            sa.update(database.settings).where(version_row).values(value=str(SCHEMA_VERSION + 1))
        )
    with pytest.raises(StorageError, match="newer Digit Lab"):
        open_database(url)


def _open_once(url: str, start: threading.Barrier | None = None) -> str:
    """Open the database as a fresh server would; the error's sentence, or "" if it opened."""
    if start is not None:
        start.wait()
    try:
        open_database(url).dispose()
    except StorageError as exc:
        return str(exc)
    return ""


def test_a_fresh_database_opened_by_many_at_once_is_set_up_once(url):
    # The class store and the run records open it in the same moment on a server's first
    # visits, and several app servers may start together on one PostgreSQL.
    start = threading.Barrier(6)
    with concurrent.futures.ThreadPoolExecutor(6) as threads:
        in_threads = list(threads.map(_open_once, [url] * 6, [start] * 6))
    empty_database(url)
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=spawn) as processes:
        in_processes = list(processes.map(_open_once, [url] * 4))
    assert in_threads + in_processes == [""] * 10
    engine = open_database(url)
    with engine.connect() as conn:
        keys = conn.execute(sa.select(database.settings.c.key)).scalars().all()
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert sorted(keys) == ["address_key", "schema_version"] and versions == [("0004",)]


def test_sqlite_runs_in_wal_mode_and_checks_its_integrity(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'd' / 'digitlab.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    assert integrity_ok(engine)


@pytest.mark.parametrize("damage", ["corrupt", "read-only", "missing folder", "locked"])
def test_a_broken_database_gives_one_sentence(tmp_path, readings, damage):
    path = tmp_path / "data" / "digitlab.db"
    url = f"sqlite:///{path}"
    blocker = None
    if damage == "corrupt":
        path.parent.mkdir()
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "read-only":
        open_database(url).dispose()
        url = f"sqlite:///file:{path}?mode=ro&uri=true"
    elif damage == "missing folder":
        (tmp_path / "data").write_text("a file where the folder should be")
    else:  # another program holds the database's write lock
        open_database(url).dispose()
        blocker = sqlite3.connect(path)
        blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as caught:
            ClassDrawings(open_database(url, busy_timeout=0.2)).add(kept(*readings[0]))
    finally:
        if blocker is not None:
            blocker.rollback()
    message = str(caught.value)
    assert message.startswith("The class's drawings cannot be kept right now")
    assert "\n" not in message


def test_runs_are_kept_and_rewritten_as_they_go(url):
    from mnist_core.storage.runs import RunRecord, RunRecords

    records = RunRecords(open_database(url))
    first = RunRecord(0, "a run", None, {"epochs": 3}, "s", False, "running", "", "2026-11-23")
    run_id = records.create(first)
    other = RunRecords(open_database(url)).create(first)  # as another app server would
    assert other == run_id + 1
    records.save(
        RunRecord(**{**first.__dict__, "id": run_id, "state": "finished", "result": {"x": 1}})
    )
    kept, _ = records.all()
    assert kept.id == run_id and kept.state == "finished" and kept.result == {"x": 1}
    assert kept.config == {"epochs": 3}
