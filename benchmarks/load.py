"""A classroom of students drawing at once, spoken in Streamlit's own websocket protocol.

Browsers cannot make this load on a small machine (a handful of headless Chromiums fill two
cores), so each simulated student does what the browser does: opens /_stcore/stream,
asks for a first run, finds the canvas widget in what comes back, then after each stroke
sends a rerun whose widget state carries the drawing (Fabric JSON plus a PNG data URL) and
reads ForwardMsgs until the script has finished. The answer time is from sending the rerun
to `script_finished`.

Usage: python -m benchmarks.load [--students 1 10 30] [--drawings 6] [--url URL]
(without --url it starts the app itself, with a training run going if --train is given).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import random
import re
import statistics
import time
from dataclasses import dataclass, field

import websockets
from PIL import Image
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.digits import DIGITS, data_url, render

BIG_DIGIT = re.compile(r"font-size:110px[^>]*>(\d)<")


@dataclass
class Answer:
    seconds: float
    digit: int | None  # what the page showed as its prediction
    exceptions: list[str]


@dataclass
class Report:
    students: int
    latencies: list[float] = field(default_factory=list)
    wrong: list[tuple[int, int | None]] = field(default_factory=list)  # (drawn, shown)
    exceptions: list[str] = field(default_factory=list)
    drawings: int = 0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]

    def summary(self) -> dict:
        return {
            "students": self.students,
            "answers": len(self.latencies),
            "drawings": self.drawings,
            "p50_s": round(statistics.median(self.latencies), 3),
            "p95_s": round(self.percentile(95), 3),
            "max_s": round(max(self.latencies), 3),
            "wrong": len(self.wrong),
            "exceptions": len(self.exceptions),
        }


class Student:
    """One browser tab's worth of protocol."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None
        self.canvas_id: str | None = None
        self.page_hash = ""

    async def __aenter__(self) -> Student:
        self.ws = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=2**24, open_timeout=30
        )
        answer = await self.rerun([])
        if answer.exceptions:
            raise RuntimeError(f"the first run raised: {answer.exceptions}")
        if self.canvas_id is None:
            raise RuntimeError("no canvas (bidi_component) in the page's first run")
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def draw(self, image: Image.Image, strokes: list) -> Answer:
        state = {"drawing": {"raw": _fabric_json(strokes), "data": data_url(image)}}
        widget = {"id": self.canvas_id, "json_value": json.dumps(state)}
        return await self.rerun([widget])

    async def rerun(self, widgets: list[dict]) -> Answer:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.page_script_hash = self.page_hash
        rerun.context_info.timezone = "UTC"
        rerun.context_info.url = self.url
        for widget in widgets:
            state = rerun.widget_states.widgets.add()
            state.id = widget["id"]
            state.json_value = widget["json_value"]
        began = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        digit, exceptions = None, []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash or self.page_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                which = element.WhichOneof("type")
                if which == "bidi_component" and self.canvas_id is None:
                    self.canvas_id = element.bidi_component.id
                elif which == "markdown" and digit is None:
                    found = BIG_DIGIT.search(element.markdown.body)
                    digit = int(found.group(1)) if found else None
                elif which == "exception":
                    exceptions.append(f"{element.exception.type}: {element.exception.message}")
            elif kind == "script_finished":
                return Answer(time.perf_counter() - began, digit, exceptions)


def _fabric_json(strokes: list) -> dict:
    """A minimal Fabric.js document for the strokes: the page reads only the PNG."""
    return {
        "version": "7.4.0",
        "objects": [
            {"type": "Path", "path": [["M", *s[0]], *[["L", *p] for p in s[1:]]]} for s in strokes
        ],
    }


async def one_student(
    url: str, drawings: int, pause: tuple[float, float], seed: int, report: Report
) -> None:
    rng = random.Random(seed)
    async with Student(url) as student:
        for _ in range(drawings):
            digit = rng.randrange(10)
            strokes = DIGITS[digit]
            dx, dy = rng.uniform(-25, 25), rng.uniform(-25, 25)
            moved = [[(x + dx, y + dy) for x, y in stroke] for stroke in strokes]
            # One message per stroke, as the canvas sends after each mouse-up.
            for n in range(1, len(moved) + 1):
                await asyncio.sleep(rng.uniform(*pause))
                answer = await student.draw(render(moved[:n]), moved[:n])
                report.latencies.append(answer.seconds)
                report.exceptions.extend(answer.exceptions)
            report.drawings += 1
            if answer.digit != digit:
                report.wrong.append((digit, answer.digit))


async def classroom(
    url: str, students: int, drawings: int, pause=(0.5, 2.0), seed: int = 0
) -> Report:
    report = Report(students)
    await asyncio.gather(
        *(one_student(url, drawings, pause, seed * 1000 + i, report) for i in range(students))
    )
    return report


def run_classroom(url: str, students: int, drawings: int, pause=(0.5, 2.0)) -> Report:
    # A thread of its own: Playwright's sync API (load.py --train) holds this thread's loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, classroom(url, students, drawings, pause)).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--drawings", type=int, default=6, help="digits each student draws")
    parser.add_argument("--url", help="an app already running (default: start one)")
    parser.add_argument("--train", action="store_true", help="keep a training run going")
    args = parser.parse_args()
    if args.url:
        measure(args.url, args)
        return
    from benchmarks.app_server import running_app

    with running_app() as url:
        measure(url, args)


def measure(url: str, args: argparse.Namespace) -> None:
    if args.train:
        from benchmarks.training_load import keep_training

        with keep_training(url):
            _measure_all(url, args)
    else:
        _measure_all(url, args)


def _measure_all(url: str, args: argparse.Namespace) -> None:
    for students in args.students:
        report = run_classroom(url, students, args.drawings)
        summary = report.summary()
        print(
            f"{students:3d} students: p50 {summary['p50_s']:.3f} s  p95 {summary['p95_s']:.3f} s"
            f"  max {summary['max_s']:.3f} s  ({summary['answers']} answers, "
            f"{summary['wrong']} misread, {summary['exceptions']} exceptions)"
        )
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
