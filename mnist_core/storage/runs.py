"""Training runs as the database keeps them, so they outlast the server that ran them and
every app server of a class sees every run.

Each run belongs to the app server that trains it (`server`): only that one writes the run,
and it renews the row every few seconds while the run waits or trains. Other servers read
it, and ask for a stop through the database (`stop_requested`), which the owner acts on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .class_settings import read_setting, write_setting
from .database import guarded, runs

TEACHER_ONLY = "teacher_only"  # the settings key of "Only the teacher starts training"


@dataclass(frozen=True)
class RunRecord:
    """Plain JSON-ready data: what the Train page needs to show a run again after a restart."""

    id: int
    name: str
    preset: str | None
    config: dict
    owner: str
    by_teacher: bool
    state: str
    message: str
    created: str
    history: dict = field(default_factory=dict)
    result: dict | None = None
    checkpoint: str | None = None
    checkpoint_step: int = 0
    server: str | None = None  # the app server that trains it; None in runs from before 3
    updated: datetime | None = None  # when its server last wrote it (read only: set on saving)


# What a server writes of its own run; the id and any stop request are not its to change.
_WRITTEN = [name for name in RunRecord.__dataclass_fields__ if name not in ("id", "updated")]


class RunRecords:
    """Every run of the app, one row each, rewritten in one transaction as the run goes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, record: RunRecord) -> int:
        """Keep a new run; its number is the database's, never one another server has."""
        values = {name: getattr(record, name) for name in _WRITTEN}
        with guarded("keeping the run"), self.engine.begin() as conn:
            inserted = conn.execute(sa.insert(runs).values({**values, "updated": _now()}))
            return int(inserted.inserted_primary_key[0])

    def save(self, record: RunRecord) -> None:
        """Rewrite a run created before (by `create`) with what it is now."""
        values = {name: getattr(record, name) for name in _WRITTEN}
        with guarded("keeping the run"), self.engine.begin() as conn:
            conn.execute(
                sa.update(runs).where(runs.c.id == record.id).values({**values, "updated": _now()})
            )

    def renew(self, ids: Iterable[int]) -> None:
        """Say the server of these runs is still there (their `updated` is now)."""
        ids = list(ids)
        if not ids:
            return
        with guarded("keeping the run"), self.engine.begin() as conn:
            conn.execute(sa.update(runs).where(runs.c.id.in_(ids)).values(updated=_now()))

    def versions(self) -> dict[int, datetime]:
        """When each run was last written: a cheap look for what changed since."""
        with guarded("reading the runs"), self.engine.connect() as conn:
            return dict(conn.execute(sa.select(runs.c.id, runs.c.updated)).all())

    def all(self, ids: Iterable[int] | None = None) -> list[RunRecord]:
        """Every kept run (or those of `ids`), oldest first."""
        columns = [runs.c[name] for name in RunRecord.__dataclass_fields__]
        query = sa.select(*columns).order_by(runs.c.id)
        if ids is not None:
            query = query.where(runs.c.id.in_(list(ids)))
        with guarded("reading the runs"), self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [RunRecord(**row._asdict()) for row in rows]

    def end_if_unchanged(self, record: RunRecord, state: str, message: str) -> bool:
        """Write down how a run of a server that has gone ended, unless its server wrote it
        again since `record` was read (then it is there after all). True if written."""
        with guarded("keeping the run"), self.engine.begin() as conn:
            done = conn.execute(
                sa.update(runs)
                .where(runs.c.id == record.id, runs.c.updated == record.updated)
                .values(state=state, message=message, updated=_now())
            )
            return done.rowcount == 1

    def request_stop(self, run_id: int) -> None:
        """Ask the server that trains the run to stop it."""
        with guarded("asking for the stop"), self.engine.begin() as conn:
            conn.execute(sa.update(runs).where(runs.c.id == run_id).values(stop_requested=True))

    def stop_requests(self, server: str, active: Iterable[str]) -> list[int]:
        """The runs of `server`, still in one of the `active` states, asked to stop."""
        query = sa.select(runs.c.id).where(
            runs.c.server == server, runs.c.stop_requested, runs.c.state.in_(list(active))
        )
        with guarded("reading the stop requests"), self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def teacher_only(self) -> bool:
        """Whether only the teacher starts training, on every server of the class."""
        with guarded("reading the settings"), self.engine.connect() as conn:
            return read_setting(conn, TEACHER_ONLY) == "1"

    def set_teacher_only(self, on: bool) -> None:
        with guarded("keeping the setting"), self.engine.begin() as conn:
            write_setting(conn, TEACHER_ONLY, "1" if on else "0")


def _now() -> datetime:
    return datetime.now(UTC)
