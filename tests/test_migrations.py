"""Schema upgrades through Alembic: databases made by every earlier Digit Lab (tests/data, made
by tests/old_databases.py) keep their rows, a fresh one gets the schema the code describes,
and a database newer than the code is refused, by this code and by the old."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import subprocess

import numpy as np
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from mnist_core.storage import database
from mnist_core.storage.database import (
    SCHEMA_VERSION,
    StorageError,
    database_version,
    open_database,
    upgrade_database,
)
from mnist_core.storage.drawings import ClassDrawings, NewDrawing
from mnist_core.storage.images import png
from mnist_core.storage.migrations import revision, scripts
from mnist_core.storage.runs import RunRecord, RunRecords
from tests.conftest import ROOT
from tests.old_databases import OLD_VERSIONS, load, run_old

# What each kept database holds (tests/old_databases.py's FILL): drawings, and runs from 2.
DRAWINGS = 5
RUN_IDS = {1: [], 2: [7, 9], 3: [1, 2]}


def rows(url: str) -> dict[str, dict[tuple, dict]]:
    """Every row of every table by its primary key, read without the app's own tables."""
    engine = sa.create_engine(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.connect() as conn:
        found = {
            name: {
                tuple(row._mapping[c.name] for c in table.primary_key.columns): dict(row._mapping)
                for row in conn.execute(sa.select(table))
            }
            for name, table in tables.tables.items()
        }
    engine.dispose()
    return found


def differences(url: str) -> list:
    """What the database's schema lacks or has beyond the app's tables of today."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = compare_metadata(MigrationContext.configure(conn), database.metadata)
    engine.dispose()
    return found


def a_drawing(student: str, seed: int) -> NewDrawing:
    pixels = np.random.default_rng(seed).integers(0, 256, (28, 28), dtype=np.uint8)
    return NewDrawing(pixels, png(pixels), 3, 3, 0.9, "Bundled model", student)


def test_the_migrations_are_one_line_ending_at_the_schema_version():
    chain = [script.revision for script in scripts().walk_revisions()]
    assert chain == [revision(v) for v in range(SCHEMA_VERSION, 0, -1)]


def test_a_fresh_database_gets_the_schema_the_code_describes(url):
    assert database_version(url) is None
    assert upgrade_database(url) == (None, SCHEMA_VERSION)
    assert differences(url) == []
    assert upgrade_database(url) == (SCHEMA_VERSION, SCHEMA_VERSION)  # nothing more to do


@pytest.mark.parametrize("version", sorted(OLD_VERSIONS))
def test_a_database_of_each_earlier_schema_is_upgraded_with_its_rows_intact(url, version):
    load(version, url)
    before = rows(url)
    assert len(before["drawings"]) == DRAWINGS
    assert sorted(key for (key,) in before.get("runs", {})) == RUN_IDS[version]
    assert database_version(url) == version

    engine = open_database(url)  # as a server of today starts on it

    after = rows(url)
    assert differences(url) == []
    assert list(after["alembic_version"]) == [(revision(SCHEMA_VERSION),)]
    before["digitlab_settings"][("schema_version",)]["value"] = str(SCHEMA_VERSION)
    for table, old_rows in before.items():
        assert after[table].keys() >= old_rows.keys(), table
        for key, old in old_rows.items():
            assert {column: after[table][key][column] for column in old} == old, (table, key)
    assert sorted(key for (key,) in after["digitlab_settings"]) == ["address_key", "schema_version"]
    assert all(row["address"] is None for row in after["drawings"].values())
    if version < 3:  # runs from before 3 have no server and no stop request
        assert not any(run["stop_requested"] for run in after["runs"].values())

    records = RunRecords(engine)  # new runs follow the old ones' numbers
    new = RunRecord(0, "new", None, {}, "s", False, "queued", "", "2026-12-06", server="b")
    assert records.create(new) == max(RUN_IDS[version], default=0) + 1
    store = ClassDrawings(engine)
    kept_id = store.add(a_drawing("new student", version), address="10.0.0.7")
    assert kept_id == DRAWINGS + 1 and store.count() == DRAWINGS + 1
    assert store.remove_session(1, None) == 2  # an old student's drawings are still theirs


def test_two_servers_upgrading_one_old_database_at_once_both_start(url):
    load(1, url)
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=spawn) as servers:
        steps = list(servers.map(upgrade_database, [url, url]))
    assert sorted(steps, key=str) == [(1, SCHEMA_VERSION), (SCHEMA_VERSION, SCHEMA_VERSION)]
    assert differences(url) == []
    assert len(rows(url)["drawings"]) == DRAWINGS


@pytest.mark.parametrize("newer", ["schema_version", "alembic_version"])
def test_a_database_newer_than_the_code_is_refused_in_one_sentence(url, newer):
    open_database(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if newer == "schema_version":
            conn.execute(
                sa.update(database.settings)
                .where(database.settings.c.key == "schema_version")
                .values(value=str(SCHEMA_VERSION + 1))
            )
        else:
            conn.execute(
                sa.text(f"UPDATE alembic_version SET version_num = '{SCHEMA_VERSION + 1:04d}'")
            )
    engine.dispose()
    with pytest.raises(StorageError) as refused:
        open_database(url)
    assert str(refused.value) == (
        "The class's drawings cannot be kept right now: the database was made by a newer "
        f"Digit Lab (schema {SCHEMA_VERSION + 1}, this one knows {SCHEMA_VERSION})."
    )


OPEN_AS_OLD = """
import sys
from mnist_core.storage.database import StorageError, open_database
try:
    open_database(sys.argv[1])
except StorageError as refused:
    print(refused)
"""


def test_an_older_digit_lab_refuses_the_upgraded_database(url):
    if subprocess.run(["git", "cat-file", "-e", OLD_VERSIONS[3]], cwd=ROOT).returncode != 0:
        pytest.skip("this clone lacks the history of schema 3's Digit Lab")
    open_database(url).dispose()
    before = rows(url)
    done = run_old(3, OPEN_AS_OLD, url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "The class's drawings cannot be kept right now: the database was made by a newer "
        f"Digit Lab (schema {SCHEMA_VERSION}, this one knows 3)."
    )
    assert rows(url) == before  # it changed nothing
