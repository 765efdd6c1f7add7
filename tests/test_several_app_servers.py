"""Two real app servers on one database, a SQLite file and a PostgreSQL (under pg_virtualenv),
driven in Streamlit's protocol as browsers drive them: a label on one is on the other's Class
page at its next refresh; runs started on both get numbers apart and are listed on both; the
teacher stops one server's run from the other, with the pass the other gave (the servers
share the data folder, so its cookie secret); the teacher's switch holds on both.

"""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.digits import render
from benchmarks.load import CLASS_SCORE, Student, Tab, hand_drawn, kept
from mnist_core.runs.states import STOPPED
from mnist_core.storage.database import open_database
from mnist_core.storage.runs import RunRecords
from tests.conftest import ARTIFACTS, SMALL_MNIST, run_async
from tests.test_cookies import teacher_cookie

SWITCH = "Only the teacher starts training"
CODE = "open sesame"
STATUS = "train-status"


@pytest.fixture
def two_servers(url, tmp_path):
    from benchmarks.app_server import running_app

    env = {
        "MNIST_PATH": str(SMALL_MNIST),
        "DIGITLAB_MODELS_DIR": str(tmp_path / "models"),
        "DIGITLAB_DATA_DIR": str(tmp_path / "data"),
        "DIGITLAB_DATABASE_URL": url,
        "DIGITLAB_TEACHER_CODE": CODE,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        running_app(env, log=ARTIFACTS / "streamlit-server-a.log") as a,
        running_app(env, log=ARTIFACTS / "streamlit-server-b.log") as b,
    ):
        yield a, b, RunRecords(open_database(url))


async def until(check, what: str, timeout: float = 60.0):
    """Ask `check` (a coroutine function) again until it gives something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await check()
        if found:
            return found
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{what} did not happen within {timeout} s")


async def press(tab: Tab, label: str):
    button = tab.find("button", label=label)
    return await tab.rerun(button.fragment_id, trigger=button.element.button.id)


async def label_a_drawing(url: str) -> None:
    rng = random.Random(3)
    async with Student(url) as student:
        strokes = hand_drawn(7, rng)
        answer = await student.draw(render(strokes), strokes)
        assert student.can_label()
        label = await (student.press_right() if answer.digit == 7 else student.choose_truth(7))
        assert kept(label, 7)


async def start_run(url: str) -> None:
    """A student starts a long run (a big network, 60 epochs): it trains until stopped."""
    async with Tab(url, "train") as tab:
        for widget in tab.widgets.values():
            kind = widget.element.WhichOneof("type")
            proto = getattr(widget.element, kind)
            if kind == "slider" and proto.label.startswith("Passes over"):
                widget.state = WidgetState(id=proto.id)
                widget.state.double_array_value.data.append(60)
            elif kind == "text_input" and proto.label.startswith("Units in"):
                widget.state = WidgetState(id=proto.id, string_value="1024, 1024")
        answer = await press(tab, "Start training")
        assert answer.exceptions == []


async def stop_from(url: str, run_id: int, cookie: str) -> str:
    """The teacher opens the run on this server (/train?run=N) and stops it; what the run's
    status says once this server sees it ended."""

    async def stop_offered():
        tab = Tab(url, "train", query=f"run={run_id}", cookie=cookie)
        await tab.__aenter__()
        try:
            shown = (await tab.rerun()).texts.get(STATUS, "")
            # The run the address names, even one made on the other server a moment ago:
            # never this server's own newest run, whose Stop would stop the wrong run.
            assert f"Run {run_id}:" in shown, shown
            tab.find("button", label="Stop")
        except LookupError:  # no Stop: not seen active here yet
            await tab.__aexit__()
            return None
        except BaseException:
            await tab.__aexit__()
            raise
        return tab

    tab = await until(stop_offered, f"a Stop for run {run_id}")
    try:
        status = tab.find("button", label="Stop").fragment_id

        async def ended():
            answer = await tab.rerun(status, auto=True)
            text = answer.texts.get(STATUS, "")
            return text if "stopped" in text else None

        await press(tab, "Stop")
        return await until(ended, f"run {run_id} stopping")
    finally:
        await tab.__aexit__()


async def switch_on(url: str, cookie: str) -> None:
    async with Tab(url, "train", cookie=cookie) as tab:
        switch = tab.find("checkbox", label=SWITCH)
        switch.state.bool_value = True
        answer = await tab.rerun()
        assert answer.exceptions == []


async def students_may_start(url: str) -> bool:
    async with Tab(url, "train") as tab:
        return any(
            w.element.WhichOneof("type") == "button" and w.element.button.label == "Start training"
            for w in tab.widgets.values()
        )


async def class_score(tab: Tab) -> str:
    for fragment in tab.auto_reruns:
        answer = await tab.rerun(fragment, auto=True)
        if CLASS_SCORE in answer.texts:
            return answer.texts[CLASS_SCORE]
    raise AssertionError("the Class page's score did not refresh")


async def a_lesson_on_two_servers(a: str, b: str, records: RunRecords) -> None:
    async with Tab(b, "class") as wall:
        await label_a_drawing(a)
        assert "1 labelled drawing:" in await class_score(wall)

    await start_run(a)
    await start_run(b)
    first, second = records.all()
    assert first.id != second.id and first.server != second.server
    assert first.owner != second.owner and first.name and second.name
    # Each server stops the other's run: asked there, acted on here, by a teacher who
    # entered the code on one of them.
    cookie = await asyncio.to_thread(teacher_cookie, a, CODE)
    assert "stopped" in await stop_from(b, first.id, cookie)
    assert "stopped" in await stop_from(a, second.id, cookie)
    assert [r.state for r in records.all()] == [STOPPED, STOPPED]

    assert await students_may_start(b)
    await switch_on(a, cookie)

    async def refused():
        return not await students_may_start(b)

    await until(refused, "the switch reaching the other server", timeout=30)


def test_two_app_servers_share_labels_runs_stops_and_the_switch(two_servers):
    a, b, records = two_servers
    run_async(a_lesson_on_two_servers(a, b, records))
