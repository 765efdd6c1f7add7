"""The app's database: one versioned schema, on SQLite by default or PostgreSQL by URL.

SQLAlchemy Core, no Streamlit and no TensorFlow. SQLite runs in WAL mode with a busy timeout,
so thirty students labelling at once queue for a moment instead of failing; PostgreSQL
(`DIGITLAB_DATABASE_URL`) serves a school that runs several app servers behind one address.
Every failure comes out as a `StorageError` whose message a page can show as it is.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from mnist_core.storage.locations import database_url

SCHEMA_VERSION = 3  # 1: the class's drawings; 2: training runs; 3: runs of several servers
BUSY_TIMEOUT_SECONDS = 10  # how long a writer waits for another before giving up
UNAVAILABLE = "The class's drawings cannot be kept right now"
SETUP_TRIES = 5  # opening a fresh database while another process creates it: look again
SETUP_LOCK_KEY = 0x0D161F1AB  # PostgreSQL advisory lock: one schema setup at a time
_setup_lock = threading.Lock()  # the class store and the run records open it at once

metadata = sa.MetaData()

# The schema version this database was made or last upgraded to ("schema_version"), and the
# class's settings every app server shares ("teacher_only": "1" or "0").
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
    sa.Column("session_id", sa.String(64), nullable=False),  # anonymous, per browser session
    sa.Column("label", sa.SmallInteger, nullable=False),  # the truth, as the student said it
    sa.Column("predicted", sa.SmallInteger),  # what the model read when it was labelled
    sa.Column("confidence", sa.Float),  # how sure it was of that
    sa.Column("model", sa.String(200), nullable=False),  # which model read it
    sa.Column("pixels", sa.LargeBinary, nullable=False),  # the 28x28 uint8 image it received
    sa.Column("original", sa.LargeBinary, nullable=False),  # a small PNG of the drawing
    sa.CheckConstraint("label >= 0 AND label <= 9", name="label_is_a_digit"),
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


def _add_runs(conn: Connection) -> None:
    runs.create(conn, checkfirst=True)


def _runs_of_several_servers(conn: Connection) -> None:
    """Version 3: the database numbers the runs (PostgreSQL needs a sequence for that; in
    SQLite an integer primary key already is one) and keeps which server trains each, and
    stop requests. Existing runs keep their numbers; new ones follow the highest."""
    present = {column["name"] for column in sa.inspect(conn).get_columns("runs")}
    for column in (runs.c.server, runs.c.stop_requested):
        if column.name not in present:  # a version 1 database got them with the table
            spec = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE runs ADD COLUMN {spec}"))
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("CREATE SEQUENCE IF NOT EXISTS runs_id_seq OWNED BY runs.id"))
        conn.execute(
            sa.text("SELECT setval('runs_id_seq', COALESCE(MAX(id), 0) + 1, false) FROM runs")
        )
        conn.execute(sa.text("ALTER TABLE runs ALTER COLUMN id SET DEFAULT nextval('runs_id_seq')"))


# Upgrades from version N to N + 1, run in order inside the start-up transaction.
UPGRADES: dict[int, Callable[[Connection], None]] = {1: _add_runs, 2: _runs_of_several_servers}


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
    url = url or database_url()
    with guarded("opening the database"):
        try:
            parsed = sa.make_url(url)
        except ArgumentError:
            raise StorageError(f"{UNAVAILABLE}: the database address is not a valid URL.") from None
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(parsed, busy_timeout)
        else:
            engine = sa.create_engine(parsed, pool_pre_ping=True)
        _create_or_upgrade(engine)
    return engine


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


def _create_or_upgrade(engine: Engine) -> None:
    """Sessions, the run registry and other app servers may all open a fresh database at
    the same moment: one sets it up at a time, and one that lost a race looks again."""
    for attempt in range(SETUP_TRIES):
        try:
            with _setup_lock, engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SETUP_LOCK_KEY)))
                _set_up(conn)
            return
        except DBAPIError:
            if attempt == SETUP_TRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def _set_up(conn: Connection) -> None:
    metadata.create_all(conn)
    row = conn.execute(
        sa.select(settings.c.value).where(settings.c.key == "schema_version")
    ).first()
    if row is None:
        conn.execute(sa.insert(settings).values(key="schema_version", value=str(SCHEMA_VERSION)))
        return
    version = int(row.value)
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"{UNAVAILABLE}: the database was made by a newer Digit Lab "
            f"(schema {version}, this one knows {SCHEMA_VERSION})."
        )
    for step in range(version, SCHEMA_VERSION):
        UPGRADES[step](conn)
    conn.execute(
        sa.update(settings)
        .where(settings.c.key == "schema_version")
        .values(value=str(SCHEMA_VERSION))
    )


def integrity_ok(engine: Engine) -> bool:
    """SQLite's own check of the file; other databases look after themselves."""
    if engine.dialect.name != "sqlite":
        return True
    with guarded("checking the database"), engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
