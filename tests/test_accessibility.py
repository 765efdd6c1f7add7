"""WCAG 2.1 AA, checked by axe-core in Chromium: every page and state a class sees, at a
laptop's and at a phone's size, with no serious or critical violation; keyboard focus
that shows; nothing cut off at 200% zoom; the wall's digit filter whole on a 360 px phone.

axe-core comes from npm (tests/axe/package.json, installed there on first use when npm is
on the machine); Streamlit's own elements are checked like the app's.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from pages import AA_MARK
from tests.conftest import ROOT, app_tab, draw
from tests.test_teacher_browser import become_teacher, open_tab, teacher_app  # noqa: F401
from tests.test_train_browser import STATUS, set_epochs, watch_status

AXE_FOLDER = ROOT / "tests" / "axe"
AXE = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES = {"laptop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
DONE = "[data-testid=stApp][data-test-script-state=notRunning]"
# The focused control: [its name, whether a focus ring shows, its outline and shadow], or
# null when the focus is on something that is no control.
FOCUSED = """() => {
    const el = document.activeElement;
    const control = el.matches(
        'a, button, input, select, textarea, [role=button], [role=switch],'
        + ' [role=slider], [role=combobox], [role=tab], [role=radio]');
    if (!control) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== 'none';
    const name = el.getAttribute('aria-label') || el.innerText || el.tagName;
    return [name.trim().slice(0, 40), ring, `outline ${style.outline}, shadow ${style.boxShadow}`];
}"""
RING_OR_NO_CONTROL = f"() => {{ const f = ({FOCUSED})(); return !f || f[1]; }}"


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core's source, installed from npm's lock file the first time."""
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=AXE_FOLDER,
            check=True,
            timeout=300,
        )
    if not AXE.exists():
        if os.environ.get("DIGITLAB_REQUIRE_BROWSER"):
            pytest.fail(
                f"{AXE} is missing (npm ci in tests/axe) but DIGITLAB_REQUIRE_BROWSER is set"
            )
        pytest.skip("axe-core is not installed (npm ci in tests/axe)")
    return AXE.read_text(encoding="utf-8")


def violations(tab, axe_script: str) -> list[str]:
    """axe's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    tab.locator(DONE).wait_for()
    tab.wait_for_function(  # the app's own AA style for Streamlit's elements is in
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('"
        + AA_MARK
        + "'))"
    )
    if not tab.evaluate("() => typeof window.axe !== 'undefined'"):
        tab.add_script_tag(content=axe_script)
    found = tab.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations)",
        WCAG_AA,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + json.dumps([(node["target"], node["failureSummary"][:200]) for node in v["nodes"][:4]])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def no_violations(tab, axe_script: str) -> None:
    found = violations(tab, axe_script)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", SIZES)
def test_the_draw_page_empty_drawn_and_explained(browser, app_url, request, axe_script, size):
    with app_tab(browser, app_url, request, viewport=SIZES[size], has_touch=size == "phone") as tab:
        tab.locator(".st-key-prediction").get_by_text("Draw a digit on the canvas").wait_for()
        no_violations(tab, axe_script)
        draw(tab, [[(140, 50), (140, 230)]])
        tab.wait_for_function(
            "() => /\\d/.test(document.querySelector('.st-key-prediction').innerText)"
        )
        no_violations(tab, axe_script)
        tab.get_by_text("Why this answer?").click()
        tab.locator(".st-key-why img").first.wait_for()
        tab.get_by_text("Inside the network").click()
        no_violations(tab, axe_script)


@pytest.mark.parametrize("size", SIZES)
def test_the_train_page_idle_and_training(browser, app_url, request, axe_script, size):
    with app_tab(browser, app_url, request, viewport=SIZES[size]) as tab:
        tab.goto(f"{app_url}/train")
        tab.get_by_role("button", name="Start training").wait_for()
        no_violations(tab, axe_script)
        set_epochs(tab, 55)
        tab.get_by_role("button", name="Start training").click()
        watch_status(tab, "running: epoch")
        no_violations(tab, axe_script)
        tab.get_by_role("button", name="Stop").click()
        watch_status(tab, "stopped", timeout_s=20)
        tab.locator(STATUS).wait_for()


@pytest.mark.parametrize("size", SIZES)
def test_the_class_page_as_a_student_and_as_the_teacher(open_tab, axe_script, size):  # noqa: F811
    student = open_tab("/class")
    student.set_viewport_size(SIZES[size])
    student.locator(".st-key-class-wall img").first.wait_for()
    no_violations(student, axe_script)
    teacher = open_tab("/class")
    become_teacher(teacher)  # in the sidebar, open at a laptop's size
    teacher.set_viewport_size(SIZES[size])
    teacher.get_by_text("The class's language").wait_for()
    no_violations(teacher, axe_script)


def test_every_control_is_reached_with_tab_and_shows_its_focus(browser, app_url, request):
    """Tab walks the Draw page's controls in order, each with a visible focus outline."""
    with app_tab(browser, app_url, request, viewport=SIZES["laptop"]) as tab:
        tab.locator(".st-key-prediction").get_by_text("Draw a digit on the canvas").wait_for()
        tab.locator(DONE).wait_for()
        reached = set()
        for _ in range(40):
            tab.keyboard.press("Tab")
            # The ring may follow the focus by a frame while the page restyles; a missing
            # one is reported below, with the control's name.
            with contextlib.suppress(PlaywrightTimeout):
                tab.wait_for_function(RING_OR_NO_CONTROL, timeout=3000)
            focus = tab.evaluate(FOCUSED)
            if focus is None:  # a container Streamlit focuses (the main area after "skip")
                continue
            reached.add(focus[0])
            assert focus[1], f"no visible focus on {focus[0]!r}: {focus[2]}"
        # Undo is disabled (so out of the Tab order) until a line is drawn.
        for control in ("Model", "Reset canvas & history", "Take a photo with the camera"):
            assert any(control in name for name in reached), (control, sorted(reached))


def test_nothing_is_cut_off_at_200_percent_zoom(browser, app_url, request):
    """A laptop at 200% zoom is a 700 px wide window: no element sticks out sideways."""
    with app_tab(browser, app_url, request, viewport={"width": 700, "height": 500}) as tab:
        for path in ("", "train", "class"):
            tab.goto(f"{app_url}/{path}")
            tab.locator(DONE).wait_for()
            wide = tab.evaluate("() => document.documentElement.scrollWidth")
            assert wide <= 700, f"/{path} is {wide} px wide at 200% zoom"


def test_the_wall_filter_fits_a_360_px_phone(open_tab):  # noqa: F811
    tab = open_tab("/class")
    tab.set_viewport_size({"width": 360, "height": 740})
    filter_buttons = tab.locator(".st-key-wall-digit [data-testid=stButtonGroup] button")
    filter_buttons.nth(9).wait_for()
    for n in range(10):
        box = filter_buttons.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (n, box)
