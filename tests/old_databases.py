"""Databases of every earlier schema, each made by the Digit Lab of its version: made into
tests/data once, loaded by the tests.

    bash tests/with_postgres python -m tests.old_databases

For each schema version, the code of a commit that had it (`git archive`) runs in a folder of
its own and keeps a few drawings, and from schema 2 a few runs, through its own API: once on
a fresh SQLite file, kept as it is (`schema_N.sqlite`), and once on a fresh PostgreSQL
database, kept as `pg_dump --inserts` statements (`schema_N.postgresql.sql`) that the tests
replay on whatever PostgreSQL they have, without psql. Run it again only to add a version.
`run_old` also lets a test run an old Digit Lab on a database of today.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from mnist_core.serving.model_files import write_atomically
from tests.conftest import ROOT, postgres_url

DATA = ROOT / "tests" / "data"
# The last commit of each schema version before the next one.
OLD_VERSIONS = {
    1: "62cd48c35ef7eb285a7787046fc5d9aeb8e73ad8",
    2: "1153399ec6c0954ba73377170a0d225618ec474d",
    3: "4e74cc49526e69f6c2e23a8b6aa64b99a5e9c5a7",
}

# Runs inside the old code: argv is the database's URL and the version it must have.
FILL = """
import sys
from dataclasses import replace

import numpy as np

from mnist_core.storage.database import SCHEMA_VERSION, open_database
from mnist_core.storage.drawings import ClassDrawings, NewDrawing
from mnist_core.storage.images import png

assert SCHEMA_VERSION == int(sys.argv[2]), SCHEMA_VERSION
engine = open_database(sys.argv[1])
store = ClassDrawings(engine)
store.label_interval = 0  # schema 3 kept one label a second per session; s0 and s1 label twice
rng = np.random.default_rng(SCHEMA_VERSION)
for n in range(5):
    pixels = rng.integers(0, 256, (28, 28), dtype=np.uint8)
    read = None if n == 4 else (n + n % 2) % 10  # one the model read wrong, one unread
    confidence = None if read is None else 0.5 + n / 10
    original = png(pixels[::2, ::2])
    store.add(NewDrawing(pixels, original, n, read, confidence, "Bundled model", f"s{n % 3}"))
if SCHEMA_VERSION >= 2:
    from mnist_core.storage.runs import RunRecord, RunRecords

    records = RunRecords(engine)
    run = RunRecord(
        7, "old run", "recommended", {"epochs": 3}, "s1", False, "finished", "done",
        "2026-11-23 10:00", history={"loss": [1.0, 0.5]}, result={"accuracy": 0.97},
        checkpoint_step=120,
    )
    other = replace(run, id=9, name="stopped run", state="stopped", result=None)
    for record in (run, other):
        records.save(record) if SCHEMA_VERSION == 2 else records.create(record)
engine.dispose()
"""

LEFT_OUT_OF_DUMP = ("SET ", "SELECT pg_catalog.set_config(", "--", "\\")  # lines left out


def load(version: int, url: str) -> None:
    """Put the kept database of `version` at `url`: an SQLite file copied there, or the
    PostgreSQL dump replayed into an empty database."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / f"schema_{version}.sqlite", path)
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql((DATA / f"schema_{version}.postgresql.sql").read_text())
    engine.dispose()


@contextlib.contextmanager
def old_code(version: int) -> Iterator[Path]:
    """A folder holding the `mnist_core` of `version`'s commit, from git."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", OLD_VERSIONS[version], "mnist_core"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def run_old(version: int, code: str, *args: str) -> subprocess.CompletedProcess:
    """Run Python `code` (argv: `args`) with the Digit Lab of `version` as its mnist_core."""
    with old_code(version) as folder:
        env = {**os.environ, "PYTHONPATH": str(folder), "DIGITLAB_DATA_DIR": f"{folder}/data"}
        return subprocess.run(
            [sys.executable, "-c", code, *args],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )


def fill(version: int, url: str) -> None:
    """Run the Digit Lab of `version` on the database at `url`, keeping a few rows."""
    done = run_old(version, FILL, url, str(version))
    if done.returncode != 0:
        raise RuntimeError(f"schema {version}'s Digit Lab failed:\n{done.stderr}")


def make_sqlite(version: int) -> Path:
    path = DATA / f"schema_{version}.sqlite"
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "digitlab.db"
        fill(version, f"sqlite:///{made}")
        write_atomically(path, made.read_bytes())
    return path


def make_postgresql(version: int, server: str) -> Path:
    path = DATA / f"schema_{version}.postgresql.sql"
    name = f"digitlab_schema_{version}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
        fill(version, url)
        dump = subprocess.run(
            ["pg_dump", "--inserts", "--no-owner", "--no-privileges", "--no-comments", name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()
    lines = [line for line in dump.splitlines() if line and not line.startswith(LEFT_OUT_OF_DUMP)]
    header = f"-- Schema {version}, made by Digit Lab {OLD_VERSIONS[version][:7]}"
    header += " (tests/make_old_databases.py)."
    write_atomically(path, "\n".join([header, *lines, ""]).encode())
    return path


def main() -> int:
    server = postgres_url()
    if server is None:
        print("run under tests/with_postgres: the PostgreSQL dumps need a server", file=sys.stderr)
        return 1
    for version in OLD_VERSIONS:
        print(make_sqlite(version).relative_to(ROOT))
        print(make_postgresql(version, server).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
