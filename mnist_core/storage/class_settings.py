"""The class's settings, kept in the database so every app server and every new student agree.

A small key-value table (`digitlab_settings`): "Only the teacher starts training" and the
class's language live here. Reads are cheap but happen on every rerun of every student, so
the language is remembered for a moment (LANGUAGE_TTL) instead of read each time.
"""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from mnist_core.access.roles import Visitor, require_teacher
from mnist_core.i18n import msg
from mnist_core.i18n.languages import find

from .database import guarded, settings

LANGUAGE = "language"  # the settings key of the class's language (a tag of LANGUAGES, or "")
LANGUAGE_TTL = 2.0  # seconds a server keeps the class's language before reading it again


def read_setting(conn: Connection, key: str) -> str | None:
    """The setting's value, or None when it was never set."""
    return conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar()


def write_setting(conn: Connection, key: str, value: str) -> None:
    """Set the setting inside the caller's transaction: update it, or add it the first time."""
    changed = conn.execute(sa.update(settings).where(settings.c.key == key).values(value=value))
    if changed.rowcount == 0:
        conn.execute(sa.insert(settings).values(key=key, value=value))


class ClassSettings:
    """The class's language, as the teacher set it on the Class page."""

    def __init__(self, engine: Engine, clock=time.monotonic) -> None:
        self.engine = engine
        self._clock = clock
        self._lock = threading.Lock()
        self._language: tuple[float, str] | None = None  # (read at, tag)

    def language(self) -> str:
        """The class's language tag, "" when the teacher has not chosen one."""
        with self._lock:
            kept = self._language
            if kept is not None and self._clock() - kept[0] < LANGUAGE_TTL:
                return kept[1]
        with guarded("reading the settings"), self.engine.connect() as conn:
            tag = read_setting(conn, LANGUAGE) or ""
        with self._lock:
            self._language = (self._clock(), tag)
        return tag

    def set_language(self, tag: str, visitor: Visitor | None) -> None:
        """Set the class's language ("" for none: each browser's own); the teacher's alone."""
        require_teacher(visitor, msg("set the class's language"))
        language = find(tag)
        if tag and (language is None or language.tag != tag):
            raise ValueError(f"not a language Digit Lab speaks: {tag[:40]!r}")
        with guarded("keeping the setting"), self.engine.begin() as conn:
            write_setting(conn, LANGUAGE, tag)
        with self._lock:
            self._language = (self._clock(), tag)
