"""What a language costs the server: classes in several languages taking turns on one server.

`python -m benchmarks.load --students 30 --languages en de` runs here. One class of
`--students` per language, each with its projector on the Class page, all joined to one
server at once; they take turns of TURN_SECONDS in ABBA order (benchmarks/turns.py), and
each class's CPU per rerun is the server's CPU time within its turns over the reruns it
answered in them. The first round is a warm-up (every student joins in it) and is not
counted. Each round's ratio is printed too: their spread is the measurement's own noise.
A language named twice (`--languages en de en`) is two classes of it: English against
itself.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.load import PAUSE, Report, Server, one_student, projector
from benchmarks.turns import Turns, abba

TURN_SECONDS = 10.0  # long enough for a few hundred reruns, short against the machine's drifts


@dataclass
class Spoken:
    """One class in one language, and what its turns cost the server."""

    language: str
    report: Report
    cpu_seconds: list[float]  # the server's CPU within this class's turns, per counted round
    reruns: list[int]  # the reruns this class's sessions had answered in them, per round

    def ms_per_rerun(self, rounds: slice = slice(None)) -> float:
        return 1000 * sum(self.cpu_seconds[rounds]) / max(1, sum(self.reruns[rounds]))


async def take_turns(
    server: Server, languages: list[str], students: int, rounds: int, seed: int = 0
) -> list[Spoken]:
    """Every class joins the server, then the classes take `rounds` counted rounds of turns."""
    turns = Turns()
    classes = [
        Spoken(language, Report(students), [0.0] * rounds, [0] * rounds) for language in languages
    ]
    never = asyncio.Event()  # the projectors are stopped with the students, never done
    tasks = []
    for group, spoken in enumerate(classes):
        tasks.append(
            asyncio.create_task(
                projector(server.url, never, spoken.report, spoken.language, turns, group)
            )
        )
        tasks += [
            asyncio.create_task(
                one_student(
                    server.url,
                    sys.maxsize,  # drawing until the last turn ends
                    PAUSE,
                    seed * 1000 + i,  # every class draws the same digits
                    spoken.report,
                    spoken.language,
                    turns,
                    group,
                )
            )
            for i in range(students)
        ]
    try:
        for group in range(len(classes)):  # the warm-up: every student joins
            await turns.give(group, TURN_SECONDS)
        for n, group in enumerate(abba(len(classes), rounds)):
            spoken, counted = classes[group], n // (2 * len(classes))  # a round: 2 turns a class
            cpu, reruns = server.cpu_seconds(), spoken.report.reruns
            await turns.give(group, TURN_SECONDS)
            spoken.cpu_seconds[counted] += server.cpu_seconds() - cpu
            spoken.reruns[counted] += spoken.report.reruns - reruns
            _failed(tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return classes


def _failed(tasks: list[asyncio.Task]) -> None:
    """Stop at once when a student or a projector failed (a refused join, a lost socket)."""
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()


def compare(server: Server, args, fresh_class: Callable[[], object]) -> None:
    """Print each language's CPU per rerun beside the first's, over all rounds and per round."""
    for students in args.students:
        fresh_class()
        classes = asyncio.run(take_turns(server, args.languages, students, args.rounds))
        first = classes[0]
        print(f"{students} students a class, {args.rounds} rounds of {TURN_SECONDS:.0f} s turns:")
        for n, spoken in enumerate(classes):
            report = spoken.report
            ratios = [
                spoken.ms_per_rerun(slice(r, r + 1)) / first.ms_per_rerun(slice(r, r + 1))
                for r in range(args.rounds)
            ]
            rounds = ", ".join(f"{ratio:.3f}" for ratio in ratios)
            print(
                f"  class {n + 1} in {spoken.language}: {spoken.ms_per_rerun():.1f} ms CPU per "
                f"rerun ({sum(spoken.reruns)} reruns; all turns: "
                f"{sum(report.acknowledged.values())}/{len(report.labels)} labels kept, "
                f"{report.refreshes} wall refreshes, {len(report.exceptions)} exceptions) "
                f"= {spoken.ms_per_rerun() / first.ms_per_rerun():.3f}x class 1; "
                f"per round {rounds} (median {statistics.median(ratios):.3f})"
            )
            for exception in report.exceptions[:5]:
                print("   ", exception)
