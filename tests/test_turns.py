"""Classes taking turns on one server (benchmarks/turns.py): the language benchmark's CPU
per class is only that class's if no class acts outside its turns and a turn waits for
its last action."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools

from benchmarks.turns import Turns, abba


def test_abba_runs_forwards_then_backwards_and_every_class_takes_every_place():
    assert abba(2, 2) == [0, 1, 1, 0, 1, 0, 0, 1]
    assert abba(3, 1) == [0, 1, 2, 2, 1, 0]
    order = abba(3, 3)
    rounds = [order[i : i + 6] for i in range(0, len(order), 6)]
    assert sorted(r[0] for r in rounds) == sorted(r[2] for r in rounds) == [0, 1, 2]
    # Two turns in a row, the class with the most recent view of the server, fall to each
    # class alike.
    twice = [a for a, b in itertools.pairwise(order) if a == b]
    assert sorted(twice) == [0, 1, 2]


def test_no_class_acts_outside_its_turns_and_a_turn_waits_for_its_last_action():
    seen: list[tuple[int, object, float]] = []  # (class, whose turn it was, when it acted)

    async def student(turns: Turns, group: int) -> None:
        while True:
            async with turns.action(group, 0.003):
                seen.append((group, turns.now, asyncio.get_running_loop().time()))
                await asyncio.sleep(0.02)  # an answer outlasting the turn's end
                assert turns.now in (group, None)  # the next turn waits for it

    async def lesson() -> list[tuple[float, float, int]]:
        turns = Turns()
        tasks = [asyncio.create_task(student(turns, g)) for g in (0, 1, 0, 1)]
        given = []
        for group in abba(2, 2):
            began = asyncio.get_running_loop().time()
            await turns.give(group, 0.05)
            given.append((began, asyncio.get_running_loop().time(), group))
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        return given

    # A loop of its own, in a thread of its own: a browser test's Playwright holds this one's.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        given = pool.submit(asyncio.run, lesson()).result()
    assert {group for group, _, _ in seen} == {0, 1}
    assert all(group == now for group, now, _ in seen)
    for group, _, at in seen:  # each action began within one of its class's turns
        assert any(start <= at <= end and g == group for start, end, g in given)
