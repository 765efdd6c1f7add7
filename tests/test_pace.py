"""How fast labels reach the wall (storage/pace.py): a class behind one address loses none, a
script of many sessions is held to the address's rate; on SQLite and PostgreSQL, with a
clock the tests move instead of sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from mnist_core.access.roles import Visitor
from mnist_core.storage.database import drawings, open_database
from mnist_core.storage.drawings import ClassDrawings, NewDrawing
from mnist_core.storage.images import png
from mnist_core.storage.pace import ADDRESS_WINDOWS, TooFast

SCHOOL = "203.0.113.9"  # the one address a whole class behind its school's NAT comes from
ORIGINAL = png(np.zeros((8, 8), np.uint8))


class Clock:
    """A clock the test moves: `seconds` after a fixed moment, timezone-aware as the store's."""

    START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> datetime:
        return self.START + timedelta(seconds=self.seconds)


_made = iter(range(10**9))


def drawing(student: str) -> NewDrawing:
    """A new drawing (never the same pixels twice) labelled by `student`."""
    pixels = np.zeros((28, 28), np.uint8)
    pixels.flat[:4] = np.frombuffer(next(_made).to_bytes(4, "big"), np.uint8)
    return NewDrawing(pixels, ORIGINAL, 7, 7, 0.9, "Bundled model", student)


def try_to_add(store: ClassDrawings, student: str, address: str | None = SCHOOL, **kw) -> bool:
    try:
        store.add(drawing(student), address=address, **kw)
    except TooFast:
        return False
    return True


def kept_times(url: str) -> list[int]:
    """When each kept drawing was kept, in the clock's microseconds, oldest first."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        created = conn.execute(sa.select(drawings.c.created).order_by(drawings.c.created)).all()
    engine.dispose()
    aware = [c if c.tzinfo else c.replace(tzinfo=UTC) for (c,) in created]  # SQLite: UTC, naive
    return [(c - Clock.START) // timedelta(microseconds=1) for c in aware]


def test_thirty_students_behind_one_address_labelling_every_5_s_lose_no_label(url):
    clock = Clock()
    servers = [ClassDrawings(open_database(url), clock=clock) for _ in range(3)]
    rng = np.random.default_rng(0)
    # Every 5 s the teacher says "now" and all 30 label within the next 2 s: 6 a second
    # on average, 15 a second in each burst; 75 s covers the minute window.
    labels = sorted(
        (5.0 * round_ + rng.uniform(0, 2), student) for round_ in range(15) for student in range(30)
    )
    for at, student in labels:
        clock.seconds = at
        servers[student % 3].add(drawing(f"student-{student}"), address=SCHOOL)
    assert servers[0].count() == len(labels) == 450


def test_fifty_sessions_from_one_address_cannot_go_faster_than_its_windows(url):
    clock = Clock()
    servers = [ClassDrawings(open_database(url), clock=clock) for _ in range(3)]
    kept = 0
    for second in range(65):  # each session labels once a second, as fast as one may
        for session in range(50):
            clock.seconds = second + session / 1000
            kept += try_to_add(servers[session % 3], f"script-{session}")
    times = kept_times(url)
    assert len(times) == kept
    for window in ADDRESS_WINDOWS:  # no `labels + 1` kept within any `seconds`
        spans = [b - a for a, b in zip(times, times[window.labels :])]
        assert min(spans) >= window.seconds * 1e6
    minute = ADDRESS_WINDOWS[-1]
    assert minute.labels < kept < 50 * 65 / 4  # held to the limits, and not below them


def test_many_sessions_at_the_same_moment_get_no_more_than_the_burst(url):
    clock = Clock()
    servers = [ClassDrawings(open_database(url), clock=clock) for _ in range(3)]
    start = threading.Barrier(50)
    kept: list[bool] = []

    def session(n: int) -> None:
        start.wait()
        kept.extend(try_to_add(servers[n % 3], f"script-{n}") for _ in range(3))

    threads = [threading.Thread(target=session, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(kept) == ADDRESS_WINDOWS[0].labels == servers[0].count()


def test_the_teacher_and_other_addresses_are_not_held_up(url):
    clock = Clock()
    store = ClassDrawings(open_database(url), clock=clock)
    burst = ADDRESS_WINDOWS[0].labels
    assert all(try_to_add(store, f"student-{n}") for n in range(burst))
    with pytest.raises(TooFast) as refused:
        store.add(drawing("one more"), address=SCHOOL)
    assert str(refused.value) == (
        "Too many labels are arriving from your network: wait a few seconds, then label it again."
    )
    teacher = Visitor("teacher-session", teacher=True)
    for _ in range(3):  # nor one label a second
        store.add(drawing("teacher"), address=SCHOOL, visitor=teacher)
    assert try_to_add(store, "at home", address="198.51.100.4")
    assert try_to_add(store, "unknown address", address=None)
    assert try_to_add(store, "student", address=SCHOOL, visitor=Visitor("s")) is False
    clock.seconds += ADDRESS_WINDOWS[0].seconds
    assert try_to_add(store, "one more")
    assert store.count() == burst + 3 + 3


def test_one_label_a_second_holds_for_a_student_across_servers(url):
    clock = Clock()
    one, other = (ClassDrawings(open_database(url), clock=clock) for _ in range(2))
    one.add(drawing("alice"), address=SCHOOL)
    clock.seconds += 0.5
    with pytest.raises(TooFast, match="One label a second"):
        other.add(drawing("alice"), address="198.51.100.4")  # a new session, elsewhere
    clock.seconds += 0.5
    other.add(drawing("alice"), address="198.51.100.4")


def test_the_address_is_kept_as_a_keyed_hash_alike_on_every_server(url):
    one, other = (ClassDrawings(open_database(url), label_interval=0) for _ in range(2))
    one.add(drawing("a"), address=SCHOOL)
    other.add(drawing("b"), address=SCHOOL)
    one.add(drawing("c"), address="198.51.100.4")
    one.add(drawing("d"))
    one.add(drawing("e"), address=SCHOOL, visitor=Visitor("t", teacher=True))
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        kept = conn.execute(sa.select(drawings.c.address).order_by(drawings.c.id)).scalars().all()
    engine.dispose()
    assert kept[0] == kept[1] and len(kept[0]) == 64 and SCHOOL not in kept[0]
    assert kept[2] not in (kept[0], None)
    assert kept[3:] == [None, None]
