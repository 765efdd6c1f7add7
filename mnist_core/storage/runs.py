"""Training runs as the database keeps them, so they outlast the server that ran them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .database import guarded, runs


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


class RunRecords:
    """Every run of the app, one row each, rewritten in one transaction as the run goes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(self, record: RunRecord) -> None:
        values = {**record.__dict__, "updated": datetime.now(UTC)}
        with guarded("keeping the run"), self.engine.begin() as conn:
            updated = conn.execute(sa.update(runs).where(runs.c.id == record.id).values(values))
            if updated.rowcount == 0:
                conn.execute(sa.insert(runs).values(values))

    def all(self) -> list[RunRecord]:
        """Every kept run, oldest first."""
        columns = [runs.c[name] for name in RunRecord.__dataclass_fields__]
        with guarded("reading the runs"), self.engine.connect() as conn:
            rows = conn.execute(sa.select(*columns).order_by(runs.c.id)).all()
        return [RunRecord(**row._asdict()) for row in rows]
