"""Start on either server of a class, in Chromium (issue #28): a student on server B, whose
Train page polls a run of server A twice a second, presses Start; each press starts exactly
one run on B, and while they may not start one the page says why in one sentence, and
offers Start again once they may, without a reload.

Server A is its training registry alone (tests/class_servers.py), on the same database,
SQLite file and PostgreSQL: its run trains until stopped and costs nothing; server B is a
real app server. B's own runs are stopped while TensorFlow still loads, so each costs about
a second.
"""

from __future__ import annotations

import re

import pytest

from mnist_core.access.roles import Visitor
from mnist_core.runs.states import ACTIVE_STATES, RUNNING
from mnist_core.storage.database import open_database
from mnist_core.storage.runs import RunRecords
from tests.class_servers import app_servers, class_env, registry_server
from tests.conftest import app_tab
from tests.fake_training import UNTIL_STOPPED, config
from tests.test_train_browser import STATUS, watch_status

START = "Start training"
PRESSES = 10
TEACHER = Visitor("teacher-on-server-a", teacher=True)


@pytest.fixture
def servers(url, tmp_path, monkeypatch):
    """Server B's address, server A (a registry) with a run that trains until stopped, that
    run's number, and the class's runs as the database keeps them."""
    with (
        registry_server(monkeypatch, url, tmp_path / "data") as server_a,
        app_servers(class_env(url, tmp_path), "b") as (server_b,),
    ):
        run_a = server_a.submit(config(UNTIL_STOPPED), "server A's run", None, Visitor("a"))
        server_a.wait(run_a, until=lambda view: view.state == RUNNING)
        yield server_b, server_a, run_a, RunRecords(open_database(url))


@pytest.fixture
def student(browser, servers, request):
    """A student's tab on server B's Train page, which shows server A's run (the newest
    active one) and polls it."""
    server_b, _, run_a, _ = servers
    with app_tab(
        browser, f"{server_b}/train", request, viewport={"width": 1400, "height": 1000}
    ) as page:
        page.locator(STATUS).get_by_text(f"Run {run_a}:").wait_for()
        yield page


def shown_run(page) -> int:
    return int(re.search(r"Run (\d+):", page.locator(STATUS).inner_text()).group(1))


def watch(page, run_id: int) -> None:
    """Pick a run in the run list; the page then shows (and polls) it."""
    page.locator(".st-key-run-list").get_by_text(f"Run {run_id}: ").click()
    page.locator(STATUS).get_by_text(f"Run {run_id}:").wait_for()


def press_start(page, shown: int) -> int:
    """Press Start while run `shown` is on the page; the run the page then shows."""
    page.get_by_role("button", name=START).click()
    page.wait_for_function(
        "([sel, old]) => { const m = /Run (\\d+):/.exec("
        "document.querySelector(sel).innerText); return m && Number(m[1]) !== old; }",
        arg=[STATUS, shown],
    )
    return shown_run(page)


def test_every_press_of_start_on_server_b_starts_exactly_one_run_there(servers, student):
    _, server_a, run_a, records = servers
    box = None
    for press in range(PRESSES):
        start = student.get_by_role("button", name=START)
        start.wait_for()
        box = box or start.bounding_box()
        assert start.bounding_box() == box, f"Start moved before press {press + 1}"
        before = len(records.all())
        mine = press_start(student, run_a)
        assert len(records.all()) == before + 1, f"press {press + 1}"
        assert mine != run_a and records.all()[-1].id == mine
        student.get_by_text(f"Your run {mine} is waiting or training").wait_for()
        student.get_by_role("button", name="Stop").click()
        watch_status(student, "stopped", timeout_s=30)
        watch(student, run_a)
    ours = [r for r in records.all() if r.id != run_a]
    assert len(ours) == PRESSES and {r.state for r in ours} == {"stopped"}
    assert len({r.owner for r in ours}) == 1 and len({r.server for r in ours}) == 1
    assert server_a.get(run_a).state in ACTIVE_STATES  # B's presses left A's run alone


def test_start_comes_back_once_the_student_may_start_again_without_a_reload(servers, student):
    _, server_a, run_a, records = servers
    mine = press_start(student, run_a)
    refusal = student.get_by_text(f"Your run {mine} is waiting or training: one at a time.")
    refusal.wait_for()
    watch(student, run_a)  # the page polls server A's run, not the student's own
    server_a.find(mine)  # server A has read B's run, so its teacher can stop it
    server_a.stop(mine, TEACHER)
    student.get_by_role("button", name=START).wait_for()
    assert refusal.count() == 0

    server_a.set_teacher_only(True, TEACHER)
    student.get_by_text("Only the teacher starts training right now").wait_for()
    assert student.get_by_role("button", name=START).count() == 0
    server_a.set_teacher_only(False, TEACHER)
    before = len(records.all())
    student.get_by_role("button", name=START).click()
    student.get_by_text(re.compile(r"Your run \d+ is waiting or training")).wait_for()
    assert len(records.all()) == before + 1
