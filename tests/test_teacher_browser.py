"""The teacher in charge, in real browsers: a code set, students and a teacher side by side."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings
from tests.conftest import ARTIFACTS, SMALL_MNIST
from tests.test_storage import kept, readings_of
from tests.test_train_browser import RESULT, STATUS, set_epochs, watch_status

CODE = "owl-42-lantern"
WALL = ".st-key-class-wall"


@pytest.fixture(scope="module")
def teacher_app(tmp_path_factory, small_mnist):
    """An app with a teacher code, and sixteen labelled drawings already kept: the four newest
    by one student who floods the wall."""
    from benchmarks.app_server import running_app

    data = tmp_path_factory.mktemp("teacher_data")
    store = ClassDrawings(open_database(f"sqlite:///{data / 'digitlab.db'}"), label_interval=0)
    for n, reading in enumerate(readings_of(small_mnist, 16)):
        store.add(kept(*reading, session="flooder" if n >= 12 else f"student-{n}"))
    store.engine.dispose()
    env = {
        "MNIST_PATH": str(SMALL_MNIST),
        "DIGITLAB_MODELS_DIR": str(tmp_path_factory.mktemp("teacher_models")),
        "DIGITLAB_DATA_DIR": str(data),
        "DIGITLAB_TEACHER_CODE": CODE,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(env, log=ARTIFACTS / "streamlit-teacher.log") as url:
        yield url


@pytest.fixture
def open_tab(browser, teacher_app, request):
    """A new browser (its own session) on a page of the teacher's app."""
    contexts = []

    def open_tab_at(path: str):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(f"{teacher_app}{path}")
        return tab

    yield open_tab_at
    report = getattr(request.node, "report_call", None)
    for n, context in enumerate(contexts):
        if report is not None and report.failed:
            context.pages[0].screenshot(path=ARTIFACTS / f"{request.node.name}-{n}.png")
        context.close()


def enter_code(tab, code: str) -> None:
    tab.get_by_label("Teacher code").fill(code)
    tab.get_by_role("button", name="Enter").click()


def enter_wrong_code(tab) -> None:
    """A wrong code, and the page's answer: the field is emptied once the server checked it."""
    enter_code(tab, "wrong guess")
    expect(tab.get_by_label("Teacher code")).to_have_value("")


def become_teacher(tab) -> None:
    enter_code(tab, CODE)
    tab.get_by_test_id("stSidebarUserContent").get_by_text("Teacher", exact=True).wait_for()


def test_students_see_no_teacher_control_and_the_teacher_is_in_charge(open_tab):
    alice = open_tab("/train")
    alice.get_by_role("button", name="Start training").wait_for()
    assert alice.get_by_text("Only the teacher starts training").count() == 0
    set_epochs(alice, 25)
    alice.get_by_role("button", name="Start training").click()
    alice.locator(STATUS).get_by_text(re.compile("running|starting|queued")).wait_for()
    run = int(re.search(r"Run (\d+)", alice.locator(STATUS).inner_text()).group(1))
    # One run at a time: the button is gone while hers waits or trains.
    alice.get_by_text(f"Your run {run} is waiting or training").wait_for()
    assert alice.get_by_role("button", name="Start training").count() == 0
    assert alice.get_by_role("button", name="Stop").count() == 1

    bob = open_tab(f"/train?run={run}")
    bob.locator(STATUS).get_by_text(f"Run {run}").wait_for()
    assert bob.get_by_role("button", name="Stop").count() == 0  # not his run
    assert bob.get_by_role("button", name="Cancel all waiting runs").count() == 0
    bob.get_by_role("button", name="Start training").click()  # his waits in line behind hers
    bob.locator(STATUS).get_by_text(re.compile("queued")).wait_for()

    teacher = open_tab(f"/train?run={run}")
    become_teacher(teacher)
    teacher.get_by_role("button", name="Cancel all waiting runs").click()
    watch_status(bob, "cancelled", timeout_s=30)
    teacher.get_by_role("button", name="Stop").click()
    watch_status(teacher, "stopped", timeout_s=30)
    teacher.get_by_text("Only the teacher starts training").click()

    alice.reload()
    alice.get_by_text("Only the teacher starts training right now").wait_for()
    assert alice.get_by_role("button", name="Start training").count() == 0


def test_the_teacher_removes_a_drawing_and_students_cannot(open_tab):
    student = open_tab("/class")
    student.locator(f"{WALL} figure").first.wait_for()
    assert student.get_by_role("button", name="Remove", exact=True).count() == 0
    assert student.get_by_role("button", name="Clear all the class's drawings").count() == 0

    teacher = open_tab("/class")
    become_teacher(teacher)
    removes = teacher.get_by_role("button", name="Remove", exact=True)
    removes.first.wait_for()
    before = removes.count()
    removes.first.click()
    teacher.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length === n",
        arg=[f"{WALL} figure", before - 1],
    )
    # Every open wall drops it at its next refresh.
    student.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length === n",
        arg=[f"{WALL} figure", before - 1],
    )
    assert student.get_by_role("button", name="Remove all from this student").count() == 0
    # The newest three left are one student's: one click removes them all.
    teacher.get_by_role("button", name="Remove all from this student").first.click()
    teacher.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length === n",
        arg=[f"{WALL} figure", before - 4],
    )


def test_fine_tuning_the_bundled_model_on_the_class_shows_both_scores(open_tab):
    teacher = open_tab("/train")
    become_teacher(teacher)
    teacher.get_by_label("Start from").click()
    teacher.get_by_role("option", name=re.compile("Bundled model")).click()
    teacher.get_by_text("Also learn from the class's drawings").click()
    # Starting from a trained model and learning from the class picks the gentle preset.
    teacher.get_by_text(re.compile("it learns your style and keeps reading MNIST")).wait_for()
    teacher.get_by_role("button", name="Start training").click()
    watch_status(teacher, "finished", timeout_s=300)
    result = teacher.locator(RESULT)
    result.get_by_text(re.compile(r"MNIST test: \d+\.\d\d% before, \d+\.\d\d% after")).wait_for()
    text = result.inner_text()
    assert re.search(r"Test accuracy: \d+\.\d\d%", text)
    assert "kept aside" in text or "kept-aside" in text


def test_wrong_codes_from_several_browsers_make_every_browser_wait(open_tab):
    """Last in this file: the count is the server's, so every session waits after it."""
    first, second = open_tab("/"), open_tab("/class")
    for n in range(4):
        enter_wrong_code((first, second)[n % 2])
        (first, second)[n % 2].get_by_text("That is not the teacher code.", exact=True).wait_for()
    enter_wrong_code(first)
    first.get_by_text(re.compile("Too many tries")).wait_for()
    fresh = open_tab("/")  # a new session (a reload, a script) gets no fresh tries
    enter_code(fresh, CODE)
    fresh.get_by_text(re.compile("Too many wrong codes: wait")).wait_for()
    assert CODE not in fresh.content()
