"""Classes on one server taking turns, so that their costs can be told apart in one run.

A server's CPU time is one number for every session it serves; two classes that draw at the
same moment cannot be told apart by it, and two classes that draw one after the other meet
different machines (a shared machine's other work drifts by a fifth within minutes). Taking
turns of a few seconds each, in ABBA order, both classes meet the same drifts many times
over, and the CPU spent within a class's turns is that class's alone: a turn ends only once
every rerun begun in it has been answered.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Hashable


class Turns:
    """Whose turn it is. Every session of a class asks before each action (a stroke, a
    label, a wall refresh) and waits while another class has its turn."""

    def __init__(self, now: Hashable | None = None) -> None:
        self.now = now  # the class whose turn it is; None: nobody's (between turns)
        self.acting = 0  # actions begun in this turn and not yet answered
        # One event a class, so that a turn wakes only its own class's sessions.
        self._open: collections.defaultdict[Hashable, asyncio.Event] = collections.defaultdict(
            asyncio.Event
        )
        self._idle = asyncio.Event()
        if now is not None:
            self._open[now].set()

    @contextlib.asynccontextmanager
    async def action(self, group: Hashable, pause: float) -> AsyncIterator[None]:
        """Within `group`'s turn, wait `pause` seconds (a hand moving to the canvas), then
        act. A pause that a turn's end interrupts is taken again in the next turn, so a
        class starts each turn as it starts a lesson, its students one by one, never all
        at once."""
        while True:
            await self._open[group].wait()
            await asyncio.sleep(pause)
            if self.now == group:  # no await between this test and the count: one step
                self.acting += 1
                break
        try:
            yield
        finally:
            self.acting -= 1
            if not self.acting:
                self._idle.set()

    async def give(self, group: Hashable, seconds: float) -> None:
        """`group`'s turn for `seconds`; returns once every action begun in it is done."""
        self.now = group
        self._open[group].set()
        await asyncio.sleep(seconds)
        self._open[group].clear()
        self.now = None
        while self.acting:
            self._idle.clear()
            await self._idle.wait()


def abba(groups: int, rounds: int) -> list[int]:
    """Turn order for `groups` classes: forwards then backwards (0 1 1 0, or 0 1 2 2 1 0),
    so that a steady drift over a round falls on every class alike; each round starts one
    class further on (1 0 0 1, 1 2 0 0 2 1), so that over `groups` rounds every class is
    as often first, last and in the middle (two turns in a row) as every other."""
    order = []
    for r in range(rounds):
        forwards = [(r + g) % groups for g in range(groups)]
        order += forwards + forwards[::-1]
    return order
