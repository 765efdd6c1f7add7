"""The app's database: one versioned schema, on SQLite by default or PostgreSQL by URL.

SQLAlchemy Core, no Streamlit and no TensorFlow. SQLite runs in WAL mode with a busy timeout,
so thirty students labelling at once queue for a moment instead of failing; PostgreSQL
(`DIGITLAB_DATABASE_URL`) serves a school that runs several app servers behind one address.
Every failure comes out as a `StorageError` whose message a page can show as it is. The
tables below are the schema of today; migrations/ makes and upgrades it, at every server's
start, one server at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from mnist_core.i18n import msg
from mnist_core.storage.locations import database_url
from mnist_core.storage.migrations import SCHEMA_VERSION, NewerSchema, recorded_version, upgrade

BUSY_TIMEOUT_SECONDS = 10  # how long a writer waits for another before giving up
UNAVAILABLE = "The class's drawings cannot be kept right now"
SETUP_TRIES = 5  # opening a fresh database while another process creates it: look again
# PostgreSQL advisory lock: one schema setup at a time (the key Digit Lab has always taken,
# so that an older server starting beside a newer one waits as well).
SETUP_LOCK_KEY = 0x0D161F1AB
_setup_lock = threading.Lock()  # the class store and the run records open it at once

metadata = sa.MetaData()

# The schema version this database was made or last upgraded to ("schema_version", kept in
# step with Alembic's alembic_version by migrations/), the key of the addresses' hashes
# ("address_key", storage/pace.py), and the class's settings every app server shares.
settings = sa.Table(
    "digitlab_settings",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

drawings = sa.Table(
    "drawings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # The same drawing labelled twice by one browser session is kept once.
    sa.Column("token", sa.String(64), nullable=False, unique=True),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    # The student's anonymous id (their browser's; labels before schema 4: a browser session's).
    sa.Column("session_id", sa.String(64), nullable=False),
    sa.Column("label", sa.SmallInteger, nullable=False),  # the truth, as the student said it
    sa.Column("predicted", sa.SmallInteger),  # what the model read when it was labelled
    sa.Column("confidence", sa.Float),  # how sure it was of that
    sa.Column("model", sa.String(200), nullable=False),  # which model read it
    sa.Column("pixels", sa.LargeBinary, nullable=False),  # the 28x28 uint8 image it received
    sa.Column("original", sa.LargeBinary, nullable=False),  # a small PNG of the drawing
    # Where it came from: a keyed hash of the network address (storage/pace.py), or none.
    sa.Column("address", sa.String(64)),
    sa.CheckConstraint("label >= 0 AND label <= 9", name="label_is_a_digit"),
    # The labelling limits count a student's and an address's latest labels (storage/pace.py).
    sa.Index("drawings_by_address", "address", "created"),
    sa.Index("drawings_by_student", "session_id", "created"),
)

runs = sa.Table(
    "runs",
    metadata,
    # The run's number, given by the database: unique across every app server that uses it.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("preset", sa.String(64)),
    sa.Column("config", sa.JSON, nullable=False),  # the TrainConfig's settings
    sa.Column("owner", sa.String(64), nullable=False),  # the browser session that started it
    sa.Column("by_teacher", sa.Boolean, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created", sa.String(32), nullable=False),
    # When its server last wrote it; an active run's server writes it every few seconds, so a
    # run whose server has gone stops being renewed (runs/registry.py).
    sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
    sa.Column("history", sa.JSON, nullable=False),  # thinned loss curve, epochs, start and end
    sa.Column("result", sa.JSON),  # the final evaluation's figures, once it has one
    sa.Column("checkpoint", sa.String(500)),  # a model file of its latest kept weights
    sa.Column("checkpoint_step", sa.Integer, nullable=False),
    sa.Column("server", sa.String(64)),  # the app server that trains it (its line, its child)
    # The teacher asked, on any server, to stop it: its own server acts on it.
    sa.Column("stop_requested", sa.Boolean, nullable=False, server_default=sa.false()),
)


class StorageError(RuntimeError):
    """The database cannot do what was asked; the message is one plain sentence."""


@contextlib.contextmanager
def guarded(action: str) -> Iterator[None]:
    """Turn any database or file-system failure into one sentence a page can show."""
    try:
        yield
    except StorageError:
        raise
    except (SQLAlchemyError, OSError) as exc:
        raise StorageError(f"{UNAVAILABLE} ({action} failed: {_reason(exc)}).") from exc


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


def open_database(url: str | None = None, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> Engine:
    """Connect, then create the schema or upgrade it to this version, in one transaction."""
    engine = _connect(url, busy_timeout)
    with guarded("opening the database"):
        _create_or_upgrade(engine)
    return engine


def upgrade_database(url: str | None = None) -> tuple[int | None, int]:
    """Upgrade the database by hand (`python -m mnist_core database upgrade`), as a server
    would at its start; returns the version it had (None: there was none) and has now."""
    engine = _connect(url, BUSY_TIMEOUT_SECONDS)
    try:
        with guarded("upgrading the database"):
            return _create_or_upgrade(engine)
    finally:
        engine.dispose()


def database_version(url: str | None = None) -> int | None:
    """The database's schema version, as it is (None: no Digit Lab database there yet)."""
    engine = _connect(url, BUSY_TIMEOUT_SECONDS)
    try:
        with guarded("reading the database's version"), engine.connect() as conn:
            return recorded_version(conn)
    finally:
        engine.dispose()


def _connect(url: str | None, busy_timeout: float) -> Engine:
    url = url or database_url()
    with guarded("opening the database"):
        try:
            parsed = sa.make_url(url)
        except ArgumentError:
            raise StorageError(f"{UNAVAILABLE}: the database address is not a valid URL.") from None
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, busy_timeout)
        return sa.create_engine(parsed, pool_pre_ping=True)


def _sqlite_engine(url: sa.URL, busy_timeout: float) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": busy_timeout})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
        # Durable against a crash of the server process (SIGKILL included); only a power
        # cut can lose the last commits, never corrupt the file.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def _create_or_upgrade(engine: Engine) -> tuple[int | None, int]:
    """Sessions, the run registry and other app servers may all open a fresh database at
    the same moment: one sets it up at a time, and one that lost a race looks again.
    Returns the schema version it had (None: it was empty) and has now."""
    tries = 0
    while True:
        try:
            with _setup_lock, engine.begin() as conn:
                lock_for_writing(conn, SETUP_LOCK_KEY)
                return upgrade(conn)
        except NewerSchema as newer:
            raise StorageError(
                msg(
                    "The class's drawings cannot be kept right now: the database was made by "
                    "a newer Digit Lab (schema {version}, this one knows {known}).",
                    version=newer.version,
                    known=SCHEMA_VERSION,
                )
            ) from None
        except DBAPIError:
            tries += 1
            if tries == SETUP_TRIES:
                raise
            time.sleep(0.1 * tries)


def lock_for_writing(conn: Connection, *keys: int) -> None:
    """Hold back, until this transaction ends, every other writer that asks for one of these
    keys, so that what it reads stays true until it writes (a count, a version). Call it
    first in the transaction. SQLite takes its one write lock now (its driver would begin
    only at the first write, after the reads); PostgreSQL takes an advisory lock per key,
    in one order, so two writers never wait for each other."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        for key in sorted(set(keys)):
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))


def lock_key(kind: str, name: str) -> int:
    """An advisory lock's key for one thing (a student, an address): 64 bits of its hash."""
    digest = hashlib.sha256(f"digitlab {kind} {name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def integrity_ok(engine: Engine) -> bool:
    """SQLite's own check of the file; other databases look after themselves."""
    if engine.dialect.name != "sqlite":
        return True
    with guarded("checking the database"), engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
