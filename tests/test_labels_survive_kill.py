"""Every label the page confirmed survives the server being killed (SIGKILL) mid-burst, and
the SQLite file comes back whole."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import signal
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import websockets

from benchmarks.app_server import app_process
from benchmarks.digits import render
from benchmarks.load import Student, hand_drawn, kept
from tests.conftest import ARTIFACTS, SMALL_MNIST, run_async

STUDENTS = 6
KILL_AFTER = 12  # labels confirmed before the kill
MOST_LABELS = 40  # per student: the burst ends here if the kill never comes


@dataclass
class Burst:
    """What the students sent and what the page confirmed, per digit."""

    sent: collections.Counter[int] = field(default_factory=collections.Counter)
    confirmed: collections.Counter[int] = field(default_factory=collections.Counter)
    in_flight: int = 0  # labels sent, not yet answered
    changed: asyncio.Event = field(default_factory=asyncio.Event)


async def label_one(student: Student, digit: int, rng: random.Random, burst: Burst) -> None:
    """Draw the digit in one go and label it with its truth; note what the page confirms."""
    strokes = hand_drawn(digit, rng)
    answer = await student.draw(render(strokes), strokes)
    assert student.can_label(), f"the page offered no label for a drawn {digit}"
    burst.sent[digit] += 1
    burst.in_flight += 1
    burst.changed.set()
    if answer.digit == digit:
        label = await student.press_right()
    else:
        label = await student.choose_truth(digit)
    burst.in_flight -= 1
    if kept(label, digit):
        burst.confirmed[digit] += 1
    burst.changed.set()


async def labeller(url: str, seed: int, burst: Burst) -> None:
    """Label as fast as the server answers, until the server is gone."""
    rng = random.Random(seed)
    with contextlib.suppress(websockets.ConnectionClosed, OSError):
        async with Student(url) as student:
            for _ in range(MOST_LABELS):
                await label_one(student, rng.randrange(10), rng, burst)


async def kill_mid_burst(process: subprocess.Popen, burst: Burst) -> None:
    """SIGKILL the server once enough labels are confirmed and others are on their way."""
    while sum(burst.confirmed.values()) < KILL_AFTER or burst.in_flight == 0:
        await burst.changed.wait()
        burst.changed.clear()
    process.send_signal(signal.SIGKILL)


async def burst_then_kill(url: str, process: subprocess.Popen) -> tuple[Burst, bool]:
    burst = Burst()
    killer = asyncio.create_task(kill_mid_burst(process, burst))
    await asyncio.gather(*(labeller(url, seed, burst) for seed in range(STUDENTS)))
    killed = killer.done()
    killer.cancel()
    return burst, killed


async def one_more_label(url: str) -> bool:
    rng = random.Random(99)
    async with Student(url) as student:
        strokes = hand_drawn(7, rng)
        answer = await student.draw(render(strokes), strokes)
        label = await (student.press_right() if answer.digit == 7 else student.choose_truth(7))
        return kept(label, 7)


def stored_labels(database: Path) -> tuple[str, collections.Counter[int]]:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT label, COUNT(*) FROM drawings GROUP BY label").fetchall()
    return integrity, collections.Counter(dict(rows))


def test_confirmed_labels_survive_a_killed_server(tmp_path):
    env = {
        "MNIST_PATH": str(SMALL_MNIST),
        "DIGITLAB_MODELS_DIR": str(tmp_path / "models"),
        "DIGITLAB_DATA_DIR": str(tmp_path / "data"),
        "DIGITLAB_DATABASE_URL": "",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with app_process(env, log=ARTIFACTS / "streamlit-killed.log") as (url, process):
        burst, killed = run_async(burst_then_kill(url, process))
        assert killed, f"the burst ended before {KILL_AFTER} labels were confirmed: {burst}"
        assert process.wait(timeout=30) == -signal.SIGKILL

    # The same data folder, a fresh server: it opens the database and keeps labelling.
    with app_process(env, log=ARTIFACTS / "streamlit-restarted.log") as (url, _process):
        assert run_async(one_more_label(url))
    burst.sent[7] += 1
    burst.confirmed[7] += 1

    integrity, stored = stored_labels(tmp_path / "data" / "digitlab.db")
    assert integrity == "ok"
    for digit in range(10):
        # Every confirmed label is there; a label cut off by the kill may or may not be.
        assert burst.confirmed[digit] <= stored[digit] <= burst.sent[digit], (digit, burst, stored)
