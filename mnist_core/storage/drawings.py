"""The class's labelled drawings: keeping, taking back, counting and reading them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from mnist_core.access.roles import Visitor, require_teacher
from mnist_core.i18n import msg
from mnist_core.serving.preprocess import ink_image
from mnist_core.serving.reading import Reading

from .database import drawings, guarded, lock_for_writing, lock_key, settings
from .images import thumbnail
from .pace import ADDRESS_KEY, LABEL_INTERVAL, check_pace, pseudonym

MAX_MODEL_NAME = 200
MAX_STUDENT_ID = 64
MAX_ORIGINAL_BYTES = 64 * 1024  # a small PNG copy of the drawing, not the full canvas


@dataclass(frozen=True)
class NewDrawing:
    """What one tap of "Right" or "No, it's a" keeps: no names, only the student's anonymous
    id (their browser's student cookie; until there is one, the browser session's id)."""

    pixels: np.ndarray  # the 28x28 uint8 image the network received
    original: bytes  # a small PNG of the drawing as drawn
    label: int  # the digit it really is
    predicted: int | None  # what the model read
    confidence: float | None  # how sure the model was
    model: str  # which model read it
    student: str

    def check(self) -> NewDrawing:
        """Refuse anything a page could not have produced, before it reaches the database."""
        if self.pixels.shape != (28, 28) or self.pixels.dtype != np.uint8:
            raise ValueError("a kept drawing must be the 28x28 image the network received")
        if not isinstance(self.label, int) or not 0 <= self.label <= 9:
            raise ValueError("the label must be a digit from 0 to 9")
        if self.predicted is not None and not 0 <= self.predicted <= 9:
            raise ValueError("the reading must be a digit from 0 to 9")
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ValueError("the confidence must be between 0 and 1")
        if not self.original.startswith(b"\x89PNG") or len(self.original) > MAX_ORIGINAL_BYTES:
            raise ValueError("the copy of the drawing must be a small PNG")
        if not self.student or len(self.student) > MAX_STUDENT_ID:
            raise ValueError("the student id must be 1 to 64 characters")
        return self

    @classmethod
    def from_reading(
        cls, reading: Reading, canvas: np.ndarray, label: int, model: str, student: str
    ) -> NewDrawing:
        """What a page keeps of a drawing it has just read, once the student gives its label."""
        if reading.pixels is None:
            raise ValueError("a blank canvas has nothing to keep")
        return cls(
            pixels=(np.clip(reading.pixels, 0.0, 1.0) * 255).round().astype(np.uint8),
            original=thumbnail(ink_image(canvas)),
            label=label,
            predicted=reading.digit,
            confidence=reading.confidence,
            model=model,
            student=student,
        ).check()

    @property
    def token(self) -> str:
        """The same drawing from the same student always gives the same token."""
        digest = hashlib.sha256(self.student.encode())
        digest.update(self.pixels.tobytes())
        digest.update(self.original)
        return digest.hexdigest()


@dataclass(frozen=True)
class StoredDrawing:
    id: int
    created: datetime
    label: int
    predicted: int | None
    confidence: float | None
    model: str
    pixels: np.ndarray  # 28x28 uint8


@dataclass(frozen=True)
class Collection:
    """Every kept drawing at one moment, as arrays: what scoring and export need."""

    ids: np.ndarray  # int64, oldest first
    images: np.ndarray  # (N, 28, 28) uint8
    labels: np.ndarray  # (N,) uint8
    predicted: np.ndarray  # (N,) int16, -1 where nothing was read

    def __len__(self) -> int:
        return len(self.ids)


class ClassDrawings:
    """The class's drawings in the app's database; every write is one transaction."""

    def __init__(
        self,
        engine: Engine,
        label_interval: float = LABEL_INTERVAL,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """`clock` says when a drawing is kept (timezone-aware); tests pass their own."""
        self.engine = engine
        self.label_interval = label_interval
        self.clock = clock
        self._address_key: str | None = None  # the database's, read at the first address

    def add(
        self, drawing: NewDrawing, address: str | None = None, visitor: Visitor | None = None
    ) -> int:
        """Keep a labelled drawing; the same one sent twice is kept once. Returns its id.

        `address` is the visitor's network address (None or "" where the server does not
        know it: then only the student is limited). Raises TooFast when the student kept
        another within `label_interval`, or the address as many as storage/pace.py allows:
        no student draws that fast, a script flooding the class's wall does. The teacher
        (`visitor.teacher`) is held to neither, and their address is not kept; no visitor
        (None) is a student here."""
        drawing.check()
        token = drawing.token
        exempt = visitor is not None and visitor.teacher
        address = None if exempt else address or None
        with guarded("keeping the drawing"), self.engine.begin() as conn:
            keys = [lock_key("student", drawing.student)]
            if address is not None:
                keys.append(lock_key("address", address))
            lock_for_writing(conn, *keys)
            now = self.clock()  # after the wait: no label kept meanwhile is later than this
            existing = conn.execute(
                sa.select(drawings.c.id).where(drawings.c.token == token)
            ).scalar()
            if existing is not None:
                return int(existing)
            source = None if address is None else pseudonym(self._key(conn), address)
            if not exempt:
                check_pace(conn, now, drawing.student, source, self.label_interval)
            return int(
                conn.execute(
                    sa.insert(drawings)
                    .values(
                        token=token,
                        created=now,
                        session_id=drawing.student,
                        label=drawing.label,
                        predicted=drawing.predicted,
                        confidence=drawing.confidence,
                        model=drawing.model[:MAX_MODEL_NAME],
                        pixels=drawing.pixels.tobytes(),
                        original=drawing.original,
                        address=source,
                    )
                    .returning(drawings.c.id)
                ).scalar_one()
            )

    def _key(self, conn: Connection) -> str:
        """The database's key for hashing addresses, made with schema 4 and never changed."""
        if self._address_key is None:
            query = sa.select(settings.c.value).where(settings.c.key == ADDRESS_KEY)
            self._address_key = conn.execute(query).scalar_one()
        return self._address_key

    def take_back(self, drawing_id: int, student: str) -> bool:
        """Remove a drawing, but only for the student who kept it."""
        with guarded("taking the drawing back"), self.engine.begin() as conn:
            result = conn.execute(
                sa.delete(drawings).where(
                    drawings.c.id == drawing_id, drawings.c.session_id == student
                )
            )
            return result.rowcount == 1

    def remove(self, drawing_id: int, visitor: Visitor | None) -> bool:
        """The teacher removes any drawing (a rude one); gone from every wall at its refresh."""
        require_teacher(visitor, msg("remove a drawing"))
        with guarded("removing the drawing"), self.engine.begin() as conn:
            return (
                conn.execute(sa.delete(drawings).where(drawings.c.id == drawing_id)).rowcount == 1
            )

    def remove_session(self, drawing_id: int, visitor: Visitor | None) -> int:
        """The teacher removes every drawing of the student who kept this one (one who floods
        the wall); returns how many."""
        require_teacher(visitor, msg("remove a student's drawings"))
        with guarded("removing the drawings"), self.engine.begin() as conn:
            student = conn.execute(
                sa.select(drawings.c.session_id).where(drawings.c.id == drawing_id)
            ).scalar()
            if student is None:
                return 0
            return conn.execute(
                sa.delete(drawings).where(drawings.c.session_id == student)
            ).rowcount

    def export(self, visitor: Visitor | None) -> tuple[Collection, list[tuple[int, int, bytes]]]:
        """Every drawing and its original, for the teacher to take away; refused to students."""
        require_teacher(visitor, msg("export the class's drawings"))
        return self.collection(), self.originals()

    def clear(self, visitor: Visitor | None) -> int:
        """The teacher removes every drawing of the class; returns how many."""
        require_teacher(visitor, msg("clear the class's drawings"))
        with guarded("clearing the drawings"), self.engine.begin() as conn:
            return conn.execute(sa.delete(drawings)).rowcount

    def count(self) -> int:
        with guarded("counting the drawings"), self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(drawings)).scalar())

    def per_digit(self) -> list[int]:
        """How many drawings of each digit, 0 to 9."""
        query = sa.select(drawings.c.label, sa.func.count()).group_by(drawings.c.label)
        with guarded("counting the drawings"), self.engine.connect() as conn:
            counts = dict(conn.execute(query).all())
        return [int(counts.get(digit, 0)) for digit in range(10)]

    def newest(
        self, limit: int, digit: int | None = None, wrong_only: bool = False
    ) -> list[StoredDrawing]:
        """The latest drawings, optionally of one digit or only those the model read wrong."""
        query = (
            sa.select(
                drawings.c.id,
                drawings.c.created,
                drawings.c.label,
                drawings.c.predicted,
                drawings.c.confidence,
                drawings.c.model,
                drawings.c.pixels,
            )
            .order_by(drawings.c.id.desc())
            .limit(limit)
        )
        if digit is not None:
            query = query.where(drawings.c.label == digit)
        if wrong_only:
            query = query.where(
                sa.or_(drawings.c.predicted.is_(None), drawings.c.predicted != drawings.c.label)
            )
        with guarded("reading the drawings"), self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            StoredDrawing(
                id=row.id,
                created=row.created,
                label=row.label,
                predicted=row.predicted,
                confidence=row.confidence,
                model=row.model,
                pixels=_image(row.pixels),
            )
            for row in rows
        ]

    def collection(self) -> Collection:
        """All drawings as arrays, oldest first."""
        query = sa.select(
            drawings.c.id, drawings.c.label, drawings.c.predicted, drawings.c.pixels
        ).order_by(drawings.c.id)
        with guarded("reading the drawings"), self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return Collection(
            ids=np.array([r.id for r in rows], np.int64),
            images=np.array([_image(r.pixels) for r in rows], np.uint8).reshape(-1, 28, 28),
            labels=np.array([r.label for r in rows], np.uint8),
            predicted=np.array(
                [-1 if r.predicted is None else r.predicted for r in rows], np.int16
            ),
        )

    def originals(self) -> list[tuple[int, int, bytes]]:
        """(id, label, PNG) of every drawing as it was drawn, oldest first."""
        query = sa.select(drawings.c.id, drawings.c.label, drawings.c.original).order_by(
            drawings.c.id
        )
        with guarded("reading the drawings"), self.engine.connect() as conn:
            return [(r.id, r.label, bytes(r.original)) for r in conn.execute(query)]


def _or_minus_one(value: int | None) -> int:
    return -1 if value is None else value


def _image(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), np.uint8).reshape(28, 28)
