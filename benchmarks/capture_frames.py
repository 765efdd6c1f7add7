"""Check that the load generator sends what Chromium sends, against a fresh capture.

The load generator (benchmarks/load.py) speaks Streamlit's websocket protocol without a
browser. This script records a real Chromium tab's frames (BackMsg protobufs going out,
ForwardMsgs coming back) while it draws a 7, presses "Right", draws a 1 on the new canvas,
chooses 7 under "No, it's a", then opens /class and waits for each timed fragment to rerun;
then it makes the generator's Student and projector do the same, and compares the shape of
every rerun: fragment id, auto-rerun flag, each widget state's id, value kind and value
(for JSON values, the canvas's, their layout). It exits 1 if they differ.

Usage: python -m benchmarks.capture_frames [--url URL] [--out FRAMES.jsonl]
(without --url it starts the app itself, on a throwaway data folder; --out keeps every
decoded frame of the browser's session, long strings shortened).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

from google.protobuf.json_format import MessageToDict
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.app_server import CHROMIUM, CHROMIUM_ARGS, running_app
from benchmarks.digits import DIGITS, render
from benchmarks.load import Student, Tab

CANVAS = "[data-testid=stBidiComponentIsolated] canvas.upper-canvas"
READING_SHOWN = """() => { const b = document.querySelector('.st-key-prediction');
    return b && /(^|\\D)\\d(\\D|$)/.test(b.innerText) && !b.innerText.includes('Draw a digit'); }"""
LABEL_KEPT = """() => { const b = document.querySelector('.st-key-labelled');
    return b && b.innerText.includes('Kept'); }"""
TIMED = "timed rerun"

Steps = list[tuple[str, BackMsg]]


def rerun_shape(message: BackMsg) -> dict:
    """What makes two reruns the same: fragment, auto flag, and each widget's id, value kind
    and value (a JSON value's layout only: drawings differ)."""
    rerun = message.rerun_script
    return {
        "page_name": rerun.page_name,
        "has_page_hash": bool(rerun.page_script_hash),
        "fragment_id": rerun.fragment_id,
        "is_auto_rerun": rerun.is_auto_rerun,
        "widgets": sorted(
            [w.id, w.WhichOneof("value") or "", _value(w)] for w in rerun.widget_states.widgets
        ),
    }


def _value(widget: WidgetState) -> str:
    """The value as JSON; for a JSON value (the canvas's) its keys three levels deep."""
    if widget.WhichOneof("value") != "json_value":
        value = MessageToDict(widget, preserving_proto_field_name=True)
        value.pop("id", None)
        return json.dumps(value)

    def keys(value: object, depth: int) -> object:
        if isinstance(value, dict) and depth:
            return {k: keys(v, depth - 1) for k, v in sorted(value.items())}
        return type(value).__name__

    return json.dumps(keys(json.loads(widget.json_value), 3))


class Recorder:
    """Every websocket frame of one Chromium tab, decoded, with the step it belongs to."""

    def __init__(self) -> None:
        self.frames: list[dict] = []
        self.reruns: Steps = []
        self.announced: set[str] = set()  # fragments the server asked to rerun on a timer
        self.timed: set[str] = set()  # fragments the browser has rerun on a timer
        self.step = "open /"
        self.socket = None

    def attach(self, socket) -> None:
        self.socket = socket
        socket.on("framesent", lambda payload: self._record("sent", payload))
        socket.on("framereceived", lambda payload: self._record("received", payload))

    def _record(self, direction: str, payload: bytes | str) -> None:
        if isinstance(payload, str):
            self.frames.append({"step": self.step, "direction": direction, "text": payload})
            return
        message = BackMsg() if direction == "sent" else ForwardMsg()
        message.ParseFromString(payload)
        step = self.step
        if direction == "sent" and message.WhichOneof("type") == "rerun_script":
            if message.rerun_script.is_auto_rerun:
                step = TIMED
                self.timed.add(message.rerun_script.fragment_id)
            self.reruns.append((step, message))
        elif direction == "received" and message.WhichOneof("type") == "auto_rerun":
            self.announced.add(message.auto_rerun.fragment_id)
        decoded = _shorten(MessageToDict(message, preserving_proto_field_name=True))
        self.frames.append({"step": step, "direction": direction, "message": decoded})


def _shorten(value: object, limit: int = 80) -> object:
    """Data URLs and Fabric JSON run to kilobytes; their shape is what matters here."""
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + f"... ({len(value)} chars)"
    if isinstance(value, dict):
        return {k: _shorten(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v, limit) for v in value]
    return value


def browser_session(url: str) -> Recorder:
    """Drive one Chromium tab through the Draw page's steps and /class; return its frames."""
    from playwright.sync_api import sync_playwright

    recorder = Recorder()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            page.on("websocket", recorder.attach)
            page.goto(url)
            page.locator(CANVAS).wait_for()
            recorder.step = "stroke"
            _draw(page, DIGITS[7])
            page.wait_for_function(READING_SHOWN)
            recorder.step = "Right"
            page.get_by_role("button", name="Right", exact=True).click()
            page.wait_for_function(LABEL_KEPT)
            recorder.step = "stroke"
            _draw(page, DIGITS[1])
            page.get_by_text("No, it's a").wait_for()
            recorder.step = "No, it's a 7"
            page.get_by_role("radiogroup", name="No, it's a").get_by_role(
                "radio", name="7", exact=True
            ).click()
            page.wait_for_function(LABEL_KEPT)
            recorder.step = "open /class"
            page.goto(url.rstrip("/") + "/class")
            page.locator(".st-key-class-wall").wait_for()
            while not recorder.announced or recorder.timed != recorder.announced:
                with recorder.socket.expect_event("framesent"):
                    pass
        finally:
            browser.close()
    return recorder


def _draw(page, strokes: list) -> None:
    box = page.locator(CANVAS).bounding_box()
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
        page.mouse.up()


async def generator_session(url: str) -> Steps:
    """The same steps, sent by the load generator's Student and projector tab."""
    student, wall = Student(url), Tab(url, "class")
    student.sent, wall.sent = [], []
    async with student:
        await student.draw(render(DIGITS[7]), DIGITS[7])
        await student.press_right()
        await student.draw(render(DIGITS[1]), DIGITS[1])
        await student.choose_truth(7)
    async with wall:
        for fragment in wall.auto_reruns:
            await wall.rerun(fragment, auto=True)
    steps = ["open /", "stroke", "Right", "stroke", "No, it's a 7"]
    return [*zip(steps, student.sent, strict=True), ("open /class", wall.sent[0])] + [
        (TIMED, message) for message in wall.sent[1:]
    ]


def compare(browser: Steps, generator: Steps) -> list[str]:
    """The differences, step by step; timed reruns compared as a set (timers interleave)."""

    def shapes(steps: Steps, timed: bool) -> list[tuple[str, str]]:
        found = [(s, json.dumps(rerun_shape(m))) for s, m in steps if (s == TIMED) == timed]
        return sorted(set(found)) if timed else found

    problems = []
    for timed in (False, True):
        ours, theirs = shapes(generator, timed), shapes(browser, timed)
        if len(ours) != len(theirs):
            problems.append(f"{len(theirs)} browser reruns, {len(ours)} from the generator")
        for (step, mine), (_, chromium) in zip(ours, theirs, strict=False):
            if mine != chromium:
                problems.append(f"{step}:\n  browser   {chromium}\n  generator {mine}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (default: start one)")
    parser.add_argument("--out", type=Path, help="write every decoded frame here (JSON lines)")
    args = parser.parse_args()
    if args.url:
        recorder = browser_session(args.url)
        generator = asyncio.run(generator_session(args.url))
    else:
        with (
            tempfile.TemporaryDirectory(prefix="digitlab-capture-") as data,
            running_app({"DIGITLAB_DATA_DIR": data, "DIGITLAB_DATABASE_URL": ""}) as url,
        ):
            recorder = browser_session(url)
            generator = asyncio.run(generator_session(url))
    if args.out:
        with args.out.open("w") as out:
            out.writelines(json.dumps(frame) + "\n" for frame in recorder.frames)
    for step, message in recorder.reruns:
        print(f"{step:14} {json.dumps(rerun_shape(message))}")
    problems = compare(recorder.reruns, generator)
    print("\n".join(problems) if problems else "the generator sends the same reruns as Chromium")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
