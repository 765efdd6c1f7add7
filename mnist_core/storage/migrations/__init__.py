"""The database's schema versions as Alembic migrations (versions/), run by the app itself.

Every app server upgrades the database as it starts, inside the lock database.py takes, on
the connection it already holds: so the migrations run through Alembic's MigrationContext
on that connection, with the script folder named here in code. There is no alembic.ini and
no env.py, and Alembic's logging is left as the app set it.

The version is kept twice, always alike: Alembic's `alembic_version` ("0004") and the
`schema_version` setting ("4"), which Digit Lab before Alembic reads. By that setting an
older server still refuses a newer database, and a database made before Alembic (no
`alembic_version`) is known as the version it says and upgraded from there.

Upgrades only: an older Digit Lab refuses a newer database instead of undoing it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

# 1: the class's drawings; 2: training runs; 3: runs of several servers; 4: where labels come
# from (the per-address limit) and indexes to count them. Migration N is revision "000N".
SCHEMA_VERSION = 4

# The settings table as every version has had it: a migration's view, not the app's table.
_settings = sa.table("digitlab_settings", sa.column("key"), sa.column("value"))
_VERSION_KEY = "schema_version"


class NewerSchema(Exception):
    """The database was made by a newer Digit Lab than this one."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def revision(version: int) -> str:
    """Alembic's name for schema `version`."""
    return f"{version:04d}"


@functools.cache
def scripts() -> ScriptDirectory:
    """The migrations kept in the package, read once."""
    return ScriptDirectory(str(Path(__file__).parent))


def recorded_version(conn: Connection) -> int | None:
    """The schema version the database says it has (None: an empty database): the higher of
    Alembic's revision and the `schema_version` setting, so a newer one is never missed."""
    said = [_setting_version(conn), _alembic_version(conn)]
    known = [version for version in said if version is not None]
    return max(known) if known else None


def upgrade(conn: Connection) -> tuple[int | None, int]:
    """Bring the database to SCHEMA_VERSION inside the caller's transaction; returns the
    version it had (None: it was empty) and the one it has now.

    Raises NewerSchema, changing nothing, when a newer Digit Lab made it."""
    before = recorded_version(conn)
    if before is not None and before > SCHEMA_VERSION:
        raise NewerSchema(before)
    target = revision(SCHEMA_VERSION)

    def steps(heads: Iterable[str], _context: MigrationContext):
        return scripts()._upgrade_revs(target, heads)

    context = MigrationContext.configure(conn, opts={"fn": steps})
    if before is not None and context.get_current_revision() is None:  # made before Alembic
        context.stamp(scripts(), revision(before))
    with Operations.context(context):
        context.run_migrations()
    if _setting_version(conn) is None:
        conn.execute(sa.insert(_settings).values(key=_VERSION_KEY, value=str(SCHEMA_VERSION)))
    else:
        conn.execute(
            sa.update(_settings)
            .where(_settings.c.key == _VERSION_KEY)
            .values(value=str(SCHEMA_VERSION))
        )
    return before, SCHEMA_VERSION


def _setting_version(conn: Connection) -> int | None:
    if not sa.inspect(conn).has_table("digitlab_settings"):
        return None
    value = conn.execute(
        sa.select(_settings.c.value).where(_settings.c.key == _VERSION_KEY)
    ).scalar()
    return None if value is None else int(value)


def _alembic_version(conn: Connection) -> int | None:
    current = MigrationContext.configure(conn).get_current_revision()
    return None if current is None else int(current)
