"""The teacher in charge, in real browsers: a code set, students and a teacher side by side;
the teacher's pass and the student id their cookies carry across reloads and tabs."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.WidgetStates_pb2 import WidgetState

from benchmarks.load import Tab, Widget
from mnist_core.access.cookies import STUDENT_COOKIE, TEACHER_COOKIE, TEACHER_SECONDS
from mnist_core.storage.database import open_database
from mnist_core.storage.drawings import ClassDrawings
from pages import TEACHER
from tests.conftest import ARTIFACTS, SMALL_MNIST, run_async
from tests.test_cookies import teacher_cookie
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
    """A wrong code, and the page's answer: the page comes back with the field empty."""
    enter_code(tab, "wrong guess")
    expect(tab.get_by_label("Teacher code")).to_have_value("")


def become_teacher(tab) -> None:
    enter_code(tab, CODE)
    is_teacher(tab)


def is_teacher(tab) -> None:
    """The page, loaded again after the code's form, says Teacher and has run to its end:
    the sidebar is drawn first, the page's own content (its Remove buttons) after."""
    tab.get_by_test_id("stSidebarUserContent").get_by_text("Teacher", exact=True).wait_for()
    tab.get_by_role("button", name="Leave teacher mode").wait_for()
    tab.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def is_student(tab) -> None:
    tab.get_by_label("Teacher code").wait_for()
    assert tab.get_by_role("button", name="Leave teacher mode").count() == 0


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
    # Her browser's student id: a reload, or a second tab, is still her, with her one run.
    alice.reload()
    alice.get_by_text(f"Your run {run} is waiting or training").wait_for()
    again = alice.context.new_page()
    again.goto(f"{alice.url.split('/train')[0]}/train?run={run}")
    again.get_by_text(f"Your run {run} is waiting or training").wait_for()
    again.get_by_role("button", name="Stop").wait_for()  # hers to stop
    assert again.get_by_role("button", name="Start training").count() == 0
    again.close()

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
    # The wall is whole once every picture has its Remove button (counting while it is still
    # drawn would count some).
    teacher.wait_for_function(
        "(sel) => { const n = document.querySelectorAll(sel).length;"
        " const buttons = [...document.querySelectorAll(sel.split(' ')[0] + ' button')]"
        ".filter(b => b.innerText.trim() === 'Remove').length;"
        " return n > 0 && n === buttons; }",
        arg=f"{WALL} figure",
    )
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


def test_the_code_entered_once_lasts_across_reloads_tabs_and_typed_addresses(open_tab):
    tab = open_tab("/train")
    become_teacher(tab)
    assert "_digitlab" not in tab.url and CODE not in tab.url
    cookies = {c["name"]: c for c in tab.context.cookies()}
    teacher, student = cookies[TEACHER_COOKIE], cookies[STUDENT_COOKIE]
    assert teacher["httpOnly"] and teacher["sameSite"] == "Strict" and teacher["path"] == "/"
    assert student["httpOnly"] and student["sameSite"] == "Lax"
    assert (
        0 < teacher["expires"] - time.time() <= TEACHER_SECONDS < student["expires"] - time.time()
    )
    page = tab.content()
    assert CODE not in page and teacher["value"] not in page and student["value"] not in page

    tab.reload()
    is_teacher(tab)
    other = tab.context.new_page()  # a new tab, an address typed in
    other.set_default_timeout(30_000)
    other.goto(tab.url.split("/train")[0] + "/class")
    is_teacher(other)
    other.get_by_role("button", name="Remove", exact=True).first.wait_for()

    # Leave teacher mode: the pass is gone, for every tab of this browser.
    other.get_by_role("button", name="Leave teacher mode").click()
    is_student(other)
    assert TEACHER_COOKIE not in {c["name"] for c in other.context.cookies()}
    tab.reload()
    is_student(tab)


def test_the_field_is_labelled_and_reached_with_the_keyboard(open_tab):
    tab = open_tab("/")
    field = tab.get_by_label("Teacher code")
    field.focus()
    expect(field).to_be_focused()
    assert field.get_attribute("type") == "password"
    tab.keyboard.press("Tab")
    expect(tab.get_by_role("button", name="Enter")).to_be_focused()
    shadow = tab.get_by_role("button", name="Enter").evaluate("b => getComputedStyle(b).boxShadow")
    assert shadow != "none"  # a visible focus ring


def test_a_pass_with_a_bad_signature_is_a_plain_student(browser, teacher_app):
    context = browser.new_context()
    try:
        good = teacher_cookie(teacher_app, CODE).split("=", 1)[1]
        bad = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
        context.add_cookies([{"name": TEACHER_COOKIE, "value": bad, "url": teacher_app}])
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(f"{teacher_app}/class")
        is_student(tab)
        tab.locator(f"{WALL} figure").first.wait_for()
        assert tab.get_by_role("button", name="Remove", exact=True).count() == 0
    finally:
        context.close()


async def _is_teacher_over_the_websocket(url: str, cookie: str = "", extra=()) -> bool:
    """The Class page's first run in Streamlit's protocol: are its Remove buttons there?"""
    async with Tab(url, "class", cookie=cookie) as tab:
        for state in extra:
            tab.widgets[state.id] = Widget(Element(), "", state)
        await tab.rerun()
        try:
            tab.find("button", label="Remove")
        except LookupError:
            return False
        return True


def test_no_message_a_browser_sends_makes_it_the_teacher_but_the_pass_does(teacher_app):
    """The session's flag is for tests (AppTest): a widget state named after it, or any
    cookie but a signed pass, leaves a browser a student."""
    crafted = [
        WidgetState(id=TEACHER, bool_value=True),
        WidgetState(id=f"$$ID-0-{TEACHER}", bool_value=True),
    ]
    assert not run_async(_is_teacher_over_the_websocket(teacher_app, extra=crafted))
    forged = f"{TEACHER_COOKIE}=2000000000.{'A' * 43}"
    assert not run_async(_is_teacher_over_the_websocket(teacher_app, forged))
    passed = teacher_cookie(teacher_app, CODE)
    assert run_async(_is_teacher_over_the_websocket(teacher_app, passed))


def test_wrong_codes_from_several_browsers_make_every_browser_wait(open_tab):
    """Last in this file: the count is the server's, so every session waits after it."""
    first, second = open_tab("/"), open_tab("/class")
    for n in range(4):
        enter_wrong_code((first, second)[n % 2])
        (first, second)[n % 2].get_by_text("That is not the teacher code.", exact=True).wait_for()
    # A new browser (a reload, a script) gets no fresh tries. Opened first, its code typed:
    # the wait is 5 s, and each try is a page load, which a busy machine may take seconds for.
    fresh = open_tab("/")
    fresh.get_by_label("Teacher code").fill(CODE)
    enter_wrong_code(first)
    first.get_by_text(re.compile("Too many tries")).wait_for()
    fresh.get_by_role("button", name="Enter").click()
    fresh.get_by_text(re.compile("Too many wrong codes: wait")).wait_for()
    assert CODE not in fresh.content() and CODE not in fresh.url
