"""A classroom drawing and labelling at once, spoken in Streamlit's own websocket protocol.

Browsers cannot make this load on a small machine (a handful of headless Chromiums fill two
cores), so each simulated student sends what Chromium sends. Checked against Chromium's own
frames (`python -m benchmarks.capture_frames` prints them and compares) for Streamlit 1.67:

- Opening a page: a `rerun_script` with no widget states and no page hash, only the
  context (time zone, locale, the page's address, colour scheme).
- A stroke: a `rerun_script` with `fragment_id` set to the drawing fragment's id, the page's
  script hash, and the state of every widget on the page, not only the canvas: the model
  selectbox (its option's label, `string_value`), the brush slider (`double_array_value`)
  and the canvas (`json_value`: {"drawing": {"raw": Fabric JSON, "data": PNG data URL}}).
- "Right": the same fragment rerun, all widget states again (the still empty "No, it's a"
  segmented control among them, `string_array_value` []) plus the button's
  `trigger_value` true, that once.
- "No, it's a" 7: the same fragment rerun, the segmented control's state now ["7"].
- /class: the first run names the page (`page_name` "class"); the server then sends one
  `auto_rerun` (interval, fragment id) per timed fragment, and the browser itself sends a
  rerun with that `fragment_id` and `is_auto_rerun` every interval, with the page's widget
  states (model selectbox, wall's digit filter [], its toggle false).

Like a browser, a session learns the ids from what the server sends: widget ids and default
values from the elements of each run, fragment ids from the deltas' `fragment_id`, and it
forgets the widgets a run no longer draws (the canvas's id changes once a label is kept).

Each student draws digits stroke by stroke (one rerun per stroke, after 0.5 to 2 s), then
labels the drawing: "Right" when the page read it right, else its digit under "No, it's a".
A stroke's and a label's answer times (sending to `script_finished`) are counted apart; a
label counts as acknowledged when the answer shows "Kept: your N" in the `labelled`
container. One more session, the projector, keeps /class open and counts the wall's
refreshes.

The server's CPU time per rerun (its own process, not a training process) is reported beside
that of a bare canvas page (benchmarks/bare_canvas_app.py) loaded the same way in the same run:
once as a user would start it, once with OPENBLAS_NUM_THREADS=1.

--languages en de compares the server's CPU per rerun in each language: one class a language
on one server, taking turns (benchmarks/language_load.py).

--servers 2 starts two app servers on one database and spreads the students over them, one
student's tab always on the same server, as a reverse proxy with sticky sessions does
(docs/deployment.md). --burst measures the worst case instead of a lesson: every student
sends a stroke at the same moment, five times over.

Usage: python -m benchmarks.load [--students 1 10 30] [--drawings 6] [--url URL] [--train]
       [--servers N] [--burst] [--languages en de ...] [--rounds 6]
(without --url it starts the app itself, on a throwaway data folder).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import contextlib
import json
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from PIL import Image
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.digits import DIGITS, Stroke, data_url, render
from benchmarks.turns import Turns
from mnist_core.access.roles import Visitor
from mnist_core.i18n.translator import translator
from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings
from mnist_core.storage.locations import DATABASE_FILE
from mnist_core.storage.pace import LABEL_INTERVAL

BIG_DIGIT = re.compile(r"font-size:\d+px[^>]*>(\d)<")
CANVAS_COMPONENT = "streamlit_drawable_canvas"
RIGHT = "Right"
TRUTH = "No, it's a"
LABELLED = "labelled"  # the container that confirms a kept label
# The confirmation's opening, as the Draw page says it; a language's own words replace it.
KEPT = (
    "Kept: your {digit} is in the class's collection, which now has {count} digit. "
    "Draw the next one!"
)
CLASS_WALL = "class-wall"
CLASS_SCORE = "class-score"
PAUSE = (0.5, 2.0)  # seconds a student waits between actions: a stroke, a label


@dataclass
class Answer:
    """What one rerun brought back."""

    seconds: float  # from sending the rerun to its script_finished
    digit: int | None  # the big digit the page showed, if any
    exceptions: list[str]
    texts: dict[str, str]  # text shown in each keyed container (st.container(key=...))


@dataclass
class Widget:
    """A widget the page drew, and the value a browser would send for it on every rerun."""

    element: Element
    fragment_id: str  # "" outside any fragment
    state: WidgetState | None  # what the browser would send for it; None: nothing yet


class Tab:
    """One browser tab's worth of protocol on one page of the app."""

    def __init__(
        self, url: str, page: str = "", query: str = "", cookie: str = "", language: str = "en"
    ) -> None:
        base = url.rstrip("/")
        self.page_name = page
        self.language = language  # the browser's language, and ?lang= unless it is English
        if language != "en":
            query = "&".join(part for part in (query, f"lang={language}") if part)
        self.query = query  # the address's query string, as in /train?run=3
        self.cookie = cookie  # the Cookie header a browser sends, as in digitlab_teacher=...
        self.page_url = f"{base}/{page}"
        self.stream = base.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.ws = None
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.auto_reruns: dict[str, float] = {}  # fragment id -> seconds between reruns
        self.sent: list[BackMsg] | None = None  # a list here keeps every rerun sent

    async def __aenter__(self) -> Tab:
        self.ws = await websockets.connect(
            self.stream,
            subprotocols=["streamlit"],
            max_size=2**24,
            open_timeout=30,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        answer = await self.rerun()
        if answer.exceptions:
            raise RuntimeError(f"the first run raised: {answer.exceptions}")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def rerun(
        self, fragment_id: str = "", trigger: str | None = None, auto: bool = False
    ) -> Answer:
        """Send the page's widget states as a browser does, and read up to script_finished."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.page_script_hash = self.page_hash
        if not self.page_hash:  # the first run: the page comes from the address
            rerun.page_name = self.page_name
        rerun.query_string = self.query
        rerun.fragment_id = fragment_id
        rerun.is_auto_rerun = auto
        context = rerun.context_info
        context.timezone, context.locale, context.url = "UTC", self.language, self.page_url
        context.color_scheme = "light"
        for widget in self.widgets.values():
            if widget.state is not None:
                rerun.widget_states.widgets.append(widget.state)
        if trigger is not None:  # a button: true for this rerun only, then gone
            rerun.widget_states.widgets.add(id=trigger, trigger_value=True)
        if self.sent is not None:
            self.sent.append(message)
        began = time.perf_counter()
        await self.ws.send(message.SerializeToString())
        return await self._read_run(began)

    async def _read_run(self, began: float) -> Answer:
        digit, exceptions = None, []
        containers: dict[tuple[int, ...], str] = {}  # delta path -> key of a keyed container
        texts: dict[str, list[str]] = collections.defaultdict(list)
        seen: set[str] = set()
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = forward.new_session.page_script_hash or self.page_hash
            elif (
                kind == "navigation"
            ):  # the page st.navigation ran: the browser's next reruns name it
                self.page_hash = forward.navigation.page_script_hash or self.page_hash
            elif kind == "auto_rerun":
                self.auto_reruns[forward.auto_rerun.fragment_id] = forward.auto_rerun.interval
            elif kind == "delta":
                path = tuple(forward.metadata.delta_path)
                delta = forward.delta
                which = delta.WhichOneof("type")
                if which == "add_block" and delta.add_block.id.startswith("$$ID-"):
                    containers[path] = delta.add_block.id.split("-", 2)[2]
                elif which == "new_element":
                    element = delta.new_element
                    widget_id = self._learn(element, delta.fragment_id)
                    if widget_id:
                        seen.add(widget_id)
                    text = _text(element)
                    found = BIG_DIGIT.search(text)
                    if found and digit is None:
                        digit = int(found.group(1))
                    if element.WhichOneof("type") == "exception":
                        exceptions.append(f"{element.exception.type}: {element.exception.message}")
                    for prefix, key in containers.items():
                        if path[: len(prefix)] == prefix and text:
                            texts[key].append(text)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    seen.clear()  # st.rerun(): the next run replaces this one's widgets
                    continue
                self._forget(seen, set(forward.metadata.run.fragment_ids))
                elapsed = time.perf_counter() - began
                return Answer(
                    elapsed, digit, exceptions, {k: "\n".join(v) for k, v in texts.items()}
                )

    def _learn(self, element: Element, fragment_id: str) -> str:
        """Note a widget as the browser's widget manager does; return its id ("" if none)."""
        which = element.WhichOneof("type")
        proto = getattr(element, which)
        widget_id = getattr(proto, "id", "")
        if not widget_id.startswith("$$ID-"):
            return ""
        known = self.widgets.get(widget_id)
        state = known.state if known is not None else _initial_state(which, proto)
        if getattr(proto, "set_value", False):  # the script set the value itself
            state = _initial_state(which, proto, raw=True)
        self.widgets[widget_id] = Widget(element, fragment_id, state)
        return widget_id

    def _forget(self, seen: set[str], fragment_ids: set[str]) -> None:
        """After a run, drop the widgets it should have drawn but did not (unmounted ones)."""
        for widget_id, widget in list(self.widgets.items()):
            redrawn = not fragment_ids or widget.fragment_id in fragment_ids
            if redrawn and widget_id not in seen:
                del self.widgets[widget_id]

    def find(self, kind: str, label: str = "", component: str = "") -> Widget:
        """The page's widget of that element kind, by its label or component name."""
        for widget in reversed(self.widgets.values()):
            proto = getattr(widget.element, widget.element.WhichOneof("type"))
            if widget.element.WhichOneof("type") != kind:
                continue
            if label and proto.label != label:
                continue
            if component and component not in proto.component_name:
                continue
            return widget
        raise LookupError(f"no {kind} {label or component!r} on the page")


def _initial_state(kind: str, proto: object, raw: bool = False) -> WidgetState | None:
    """The value a browser gives a widget when it first draws it (None: it sends nothing)."""
    state = WidgetState(id=proto.id)
    if kind == "selectbox":
        if raw:
            state.string_value = proto.raw_value
        elif proto.HasField("default"):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "checkbox":  # st.checkbox and st.toggle
        state.bool_value = proto.value if raw else proto.default
    elif kind == "slider" and proto.options:  # st.select_slider: its options' texts
        state.string_array_value.data.extend(proto.options[int(i)] for i in proto.default)
    elif kind == "slider":
        state.double_array_value.data.extend(proto.default)
    elif kind == "button_group":
        values = proto.raw_values if raw else [proto.options[i].content for i in proto.default]
        state.string_array_value.data.extend(values)
    else:
        return None
    return state


def _text(element: Element) -> str:
    """The words an element shows, for the kinds this app uses to say things."""
    which = element.WhichOneof("type")
    if which in ("markdown", "alert", "heading", "text", "html"):
        return getattr(element, which).body
    if which == "button":
        return element.button.label
    return ""


class Student(Tab):
    """A tab on the Draw page: strokes and labels."""

    async def __aenter__(self) -> Student:
        await super().__aenter__()
        self.canvas()  # raises if the first run drew no canvas
        return self

    def canvas(self) -> Widget:
        return self.find("bidi_component", component=CANVAS_COMPONENT)

    def can_label(self) -> bool:
        """A blank canvas or a drawing that is not a digit offers nothing to label."""
        right = translator(self.language)(RIGHT)
        return any(
            w.element.WhichOneof("type") == "button" and w.element.button.label == right
            for w in self.widgets.values()
        )

    async def draw(self, image: Image.Image, strokes: list[Stroke]) -> Answer:
        """What the canvas sends after a mouse-up: its Fabric JSON and a PNG of the drawing."""
        canvas = self.canvas()
        state = {"drawing": {"raw": _fabric_json(strokes), "data": data_url(image)}}
        canvas.state = WidgetState(
            id=canvas.element.bidi_component.id, json_value=json.dumps(state)
        )
        return await self.rerun(canvas.fragment_id)

    async def press_right(self) -> Answer:
        button = self.find("button", label=translator(self.language)(RIGHT))
        return await self.rerun(button.fragment_id, trigger=button.element.button.id)

    async def choose_truth(self, digit: int) -> Answer:
        group = self.find("button_group", label=translator(self.language)(TRUTH))
        group.state = WidgetState(id=group.element.button_group.id)
        group.state.string_array_value.data.append(str(digit))
        return await self.rerun(group.fragment_id)


def _fabric_json(strokes: list[Stroke]) -> dict:
    """A minimal Fabric.js document for the strokes: the page reads only the PNG."""
    return {
        "version": "7.4.0",
        "objects": [
            {"type": "Path", "path": [["M", *s[0]], *[["L", *p] for p in s[1:]]]} for s in strokes
        ],
        "background": "#000000",
    }


def kept(answer: Answer, digit: int, language: str = "en") -> bool:
    """Whether the page confirmed the label: "Kept: your 7 ..." (in the page's language) in
    the `labelled` container."""
    said = translator(language).plural(KEPT, KEPT, 1, digit="{digit}", count="1")
    before = said.split("{digit}")[0].strip()
    found = re.search(rf"{re.escape(before)}\D*\b{digit}\b", answer.texts.get(LABELLED, ""))
    return found is not None


@dataclass
class Report:
    """One classroom's figures: strokes and labels timed apart, and what went wrong."""

    students: int
    strokes: list[float] = field(default_factory=list)  # answer times, seconds
    labels: list[float] = field(default_factory=list)
    acknowledged: collections.Counter[int] = field(default_factory=collections.Counter)  # per digit
    unacknowledged: list[int] = field(default_factory=list)  # digits whose label was not kept
    wrong: list[tuple[int, int | None]] = field(default_factory=list)  # (drawn, shown)
    exceptions: list[str] = field(default_factory=list)
    drawings: int = 0
    reruns: int = 0  # every rerun the servers answered: page loads, strokes, labels, the wall's
    refreshes: int = 0  # the projector's wall refreshes
    score: str = ""  # what the projector's score said last

    def summary(self) -> dict:
        return {
            "students": self.students,
            "drawings": self.drawings,
            "strokes": len(self.strokes),
            "stroke_p50_s": _round(statistics.median(self.strokes)) if self.strokes else None,
            "stroke_p95_s": _round(percentile(self.strokes, 95)),
            "labels": len(self.labels),
            "labels_acknowledged": sum(self.acknowledged.values()),
            "label_p50_s": _round(statistics.median(self.labels)) if self.labels else None,
            "label_p95_s": _round(percentile(self.labels, 95)),
            "wrong": len(self.wrong),
            "exceptions": len(self.exceptions),
            "projector_refreshes": self.refreshes,
            "reruns": self.reruns,
        }


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def hand_drawn(digit: int, rng: random.Random) -> list[Stroke]:
    """The digit somewhere on the canvas, never the same pixels twice, as by hand: the page
    keeps one drawing labelled twice by a session only once."""
    dx, dy = rng.uniform(-25, 25), rng.uniform(-25, 25)
    return [
        [(x + dx + rng.uniform(-2, 2), y + dy + rng.uniform(-2, 2)) for x, y in stroke]
        for stroke in DIGITS[digit]
    ]


async def one_student(
    url: str,
    drawings: int,
    pause: tuple[float, float],
    seed: int,
    report: Report,
    language: str = "en",
    turns: Turns | None = None,
    group: int = 0,
) -> None:
    """Draw `drawings` random digits stroke by stroke, labelling each one after it is read;
    with `turns`, only in `group`'s turns (benchmarks/turns.py)."""
    rng = random.Random(seed)
    turns = turns or Turns(now=group)
    last_label = -LABEL_INTERVAL
    async with contextlib.AsyncExitStack() as tab:
        async with turns.action(group, 0.0):
            student = await tab.enter_async_context(Student(url, language=language))
            report.reruns += 1
        for _ in range(drawings):
            digit = rng.randrange(10)
            moved = hand_drawn(digit, rng)
            # One message per stroke, as the canvas sends after each mouse-up.
            for n in range(1, len(moved) + 1):
                async with turns.action(group, rng.uniform(*pause)):
                    answer = await student.draw(render(moved[:n]), moved[:n])
                    report.reruns += 1
                report.strokes.append(answer.seconds)
                report.exceptions.extend(answer.exceptions)
            report.drawings += 1
            if answer.digit != digit:
                report.wrong.append((digit, answer.digit))
            if not student.can_label():
                continue
            # No hand draws a digit and labels it within a second of the last label, and the
            # server keeps at most one label a second per session (LABEL_INTERVAL).
            wait = max(rng.uniform(*pause), last_label + LABEL_INTERVAL - time.monotonic())
            async with turns.action(group, wait):
                if answer.digit == digit:
                    label = await student.press_right()
                else:
                    label = await student.choose_truth(digit)
                report.reruns += 1
            last_label = time.monotonic()
            report.labels.append(label.seconds)
            report.exceptions.extend(label.exceptions)
            if kept(label, digit, language):
                report.acknowledged[digit] += 1
            else:
                report.unacknowledged.append(digit)


async def projector(
    url: str,
    done: asyncio.Event,
    report: Report,
    language: str = "en",
    turns: Turns | None = None,
    group: int = 0,
) -> None:
    """/class on the projector: each timed fragment reruns on its own clock, as the browser's
    timers make it (one at a time here), until the students are done and every fragment has
    run once more after that; with `turns`, only in `group`'s turns."""
    turns = turns or Turns(now=group)
    async with contextlib.AsyncExitStack() as opened:
        async with turns.action(group, 0.0):
            tab = await opened.enter_async_context(Tab(url, "class", language=language))
            report.reruns += 1
        if not tab.auto_reruns:
            raise RuntimeError("/class asked for no timed reruns (st.fragment(run_every=...))")
        now = time.monotonic()
        due = {fragment: now + interval for fragment, interval in tab.auto_reruns.items()}
        last: set[str] = set()  # fragments that have run since the students finished
        while last != set(due):
            fragment = min(due, key=due.get)
            async with turns.action(group, max(0.0, due[fragment] - time.monotonic())):
                finished = done.is_set()
                answer = await tab.rerun(fragment, auto=True)
                report.reruns += 1
            # A timer that waited out another class's turn fires once, then keeps its beat.
            due[fragment] = max(due[fragment] + tab.auto_reruns[fragment], time.monotonic())
            report.exceptions.extend(f"projector: {e}" for e in answer.exceptions)
            if CLASS_WALL in answer.texts:
                report.refreshes += 1
            report.score = answer.texts.get(CLASS_SCORE, report.score)
            if finished:
                last.add(fragment)


async def classroom(
    urls: list[str],
    students: int,
    drawings: int,
    pause: tuple[float, float] = PAUSE,
    seed: int = 0,
    wall: bool = True,
    language: str = "en",
) -> Report:
    """Students draw and label at once, spread over the servers, while the projector shows
    /class on the first (without `wall`, no projector: a bare page has no /class); every
    page in `language`."""
    report = Report(students)
    done = asyncio.Event()
    shown = asyncio.create_task(projector(urls[0], done, report, language)) if wall else None
    try:
        await asyncio.gather(
            *(
                one_student(urls[i % len(urls)], drawings, pause, seed * 1000 + i, report, language)
                for i in range(students)
            )
        )
    finally:
        done.set()
    if shown is not None:
        await shown
    return report


async def burst(
    urls: list[str], students: int, rounds: int = 5, seed: int = 0, language: str = "en"
) -> Report:
    """The worst case: every student sends a stroke at the same moment, `rounds` times."""
    report = Report(students)
    rng = random.Random(seed)
    async with contextlib.AsyncExitStack() as stack:
        tabs = [
            await stack.enter_async_context(Student(urls[i % len(urls)], language=language))
            for i in range(students)
        ]
        report.reruns += students
        for _ in range(rounds):
            strokes = [hand_drawn(rng.randrange(10), rng)[:1] for _ in tabs]
            answers = await asyncio.gather(
                *(tab.draw(render(stroke), stroke) for tab, stroke in zip(tabs, strokes))
            )
            report.strokes.extend(answer.seconds for answer in answers)
            report.exceptions.extend(e for answer in answers for e in answer.exceptions)
            report.reruns += len(answers)
            await asyncio.sleep(1.0)  # the class lifts its pens
    return report


def run_classroom(
    url: str | list[str],
    students: int,
    drawings: int,
    pause: tuple[float, float] = PAUSE,
    wall: bool = True,
    language: str = "en",
) -> Report:
    """The classroom on an event loop of its own thread: Playwright's sync API (load.py
    --train) holds this thread's loop. `url`: one server, or several to spread students over."""
    urls = [url] if isinstance(url, str) else url
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(
            asyncio.run, classroom(urls, students, drawings, pause, wall=wall, language=language)
        ).result()


def run_burst(urls: list[str], students: int, language: str = "en") -> Report:
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, burst(urls, students, language=language)).result()


@dataclass
class Server:
    """An app server the load goes to; `pid` None: started elsewhere (--url), CPU unmeasured."""

    url: str
    pid: int | None = None

    def cpu_seconds(self) -> float | None:
        """User and system CPU time of the server's own process so far (Linux's /proc)."""
        if self.pid is None:
            return None
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--drawings", type=int, default=6, help="digits each student draws")
    parser.add_argument("--url", help="an app already running (default: start one)")
    parser.add_argument("--train", action="store_true", help="keep a training run going")
    parser.add_argument("--servers", type=int, default=1, help="app servers on one database")
    parser.add_argument("--burst", action="store_true", help="all students stroke at once")
    parser.add_argument(
        "--languages",
        nargs="+",
        default=["en"],
        metavar="TAG",
        help="the class's language, ?lang=TAG; several: a class each, compared with the first",
    )
    parser.add_argument(
        "--rounds", type=int, default=6, help="with several --languages: rounds of turns (ABBA)"
    )
    args = parser.parse_args()
    several = len(args.languages) > 1
    if several and (args.url or args.servers > 1 or args.train or args.burst):
        parser.error("several --languages: on one server started here, without --train/--burst")
    if args.url:  # its class is not emptied between runs: each run finds the last one's
        measure([Server(args.url)], [], args, lambda: None)
        return
    from benchmarks.app_server import app_process

    # The class's drawings go to a throwaway folder, never into the real data/.
    with (
        tempfile.TemporaryDirectory(prefix="digitlab-load-") as data,
        contextlib.ExitStack() as stack,
    ):
        env = {"DIGITLAB_DATA_DIR": data, "DIGITLAB_DATABASE_URL": ""}
        servers = []
        for _ in range(args.servers):
            url, process = stack.enter_context(app_process(env))
            servers.append(Server(url, process.pid))
        store = ClassDrawings(open_database(f"sqlite:///{Path(data) / DATABASE_FILE}"))

        def fresh_class() -> None:
            store.clear(Visitor("benchmark", teacher=True))

        if several:
            from benchmarks.language_load import compare

            compare(servers[0], args, fresh_class)
            return
        bare = []
        for label, blas in (("bare canvas page", {}), ("bare page, 1 BLAS thread", ONE_THREAD)):
            url, process = stack.enter_context(app_process(blas, script=BARE_PAGE))
            bare.append((label, Server(url, process.pid)))
        measure(servers, bare, args, fresh_class)


BARE_PAGE = "benchmarks/bare_canvas_app.py"
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1"}


QUIET_SECONDS = 30.0  # how long the training's rate is read with no students, for --train


def measure(
    servers: list[Server], bare: list[tuple[str, Server]], args, fresh_class: Callable[[], object]
) -> None:
    """Every measurement; `fresh_class` empties the class's drawings before each counted
    class, so that each starts as a lesson does (and a later one does not pay for a wall
    that an earlier one filled)."""
    if args.train:
        from benchmarks.training_load import keep_training

        with keep_training(servers[0].url) as page:
            _measure_all(servers, bare, args, fresh_class, page)
    else:
        _measure_all(servers, bare, args, fresh_class)


def _measure_all(
    servers: list[Server], bare: list[tuple[str, Server]], args, fresh_class, page=None
) -> None:
    for students in args.students:
        if page is not None:  # the training alone, then while the students draw
            from benchmarks.training_load import step_now, steps_per_second

            quiet_start = step_now(page)
            time.sleep(QUIET_SECONDS)
            alone = steps_per_second(quiet_start, step_now(page))
            busy_start = step_now(page)
        fresh_class()
        app_ms = _cpu_ms_per_rerun(servers, students, args, wall=True)
        if page is not None:
            busy = steps_per_second(busy_start, step_now(page))
            print(
                f"training: {alone:,.1f} steps a second alone, {busy:,.1f} while {students} "
                f"students draw ({busy / alone - 1:+.1%})"
            )
        label = f"{len(servers)} servers" if len(servers) > 1 else "Digit Lab"
        _print(label, app_ms)
        for name, server in bare:
            ms = _cpu_ms_per_rerun([server], students, args, wall=False)
            _print(name, ms)
            if app_ms[1] is not None and ms[1]:
                print(f"    CPU per rerun: Digit Lab / {name} = {app_ms[1] / ms[1]:.2f}x")


def _cpu_ms_per_rerun(
    servers: list[Server], students: int, args, wall: bool
) -> tuple[Report, float | None]:
    """Run the load; the servers' CPU milliseconds per rerun they answered (None: unknown)."""
    language = args.languages[0]
    urls = [server.url for server in servers]
    before = [server.cpu_seconds() for server in servers]
    if args.burst:
        report = run_burst(urls, students, language)
    else:
        report = run_classroom(urls, students, args.drawings, wall=wall, language=language)
    after = [server.cpu_seconds() for server in servers]
    if None in before or not report.reruns:
        return report, None
    spent = sum(b - a for a, b in zip(before, after))
    return report, round(1000 * spent / report.reruns, 1)


def _print(label: str, measured: tuple[Report, float | None]) -> None:
    report, cpu_ms = measured
    s = report.summary()
    s["cpu_ms_per_rerun"] = cpu_ms
    cpu = "" if cpu_ms is None else f"; CPU {cpu_ms:.1f} ms per rerun ({s['reruns']} reruns)"
    print(
        f"{label}, {report.students:3d} students: strokes p50 {_s(s['stroke_p50_s'])} p95 "
        f"{_s(s['stroke_p95_s'])} ({s['strokes']}); labels p50 {_s(s['label_p50_s'])} p95 "
        f"{_s(s['label_p95_s'])} ({s['labels_acknowledged']}/{s['labels']} acknowledged); "
        f"{s['exceptions']} exceptions, {s['projector_refreshes']} wall refreshes{cpu}"
    )
    for exception in report.exceptions[:5]:
        print("   ", exception)
    print(json.dumps(s))


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.3f} s"


if __name__ == "__main__":
    main()
