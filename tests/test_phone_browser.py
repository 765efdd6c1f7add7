"""The Draw page on phones and tablets: finger drawing through real touch events in Chromium.

The phone screens must show the canvas and the big answer together without scrolling, Undo
and Reset must be big buttons a finger finds without hovering, and Streamlit's developer
controls stay hidden.
"""

import numpy as np
import pytest

from benchmarks.digits import DIGITS
from benchmarks.handwriting import HANDS, place
from benchmarks.touch import CANVAS, context_options, touch_draw
from tests.conftest import app_tab
from tests.test_draw_browser import predicted_digit, wait_for_digit

PHONES = ["phone-390x844", "phone-360x740"]
TABLETS = ["tablet-768x1024", "tablet-1024x768"]

BLANK = """() => { const b = document.querySelector('.st-key-prediction');
    return b && b.innerText.includes('Draw a digit') && !/\\d/.test(b.innerText); }"""
TOOLBAR_DISPLAY = """() => {
    const host = document.querySelector('[data-testid=stBidiComponentIsolated]');
    const bar = host && host.shadowRoot && host.shadowRoot.querySelector('.dc-toolbar');
    return bar ? getComputedStyle(bar).display : null; }"""


@pytest.fixture
def touch_page(browser, app_url, request):
    """A fresh tab on the screen that request.param names, the canvas ready and blank."""
    with app_tab(browser, app_url, request, **context_options(request.param)) as tab:
        tab.locator(CANVAS).wait_for()
        tab.locator(".st-key-prediction").get_by_text("Draw a digit on the canvas").wait_for()
        yield tab


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    view = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= view["width"]
        and box["y"] + box["height"] <= view["height"]
    )


def not_scrolled(page) -> bool:
    return page.evaluate(
        "() => window.scrollY === 0"
        " && document.querySelector('[data-testid=stMain]').scrollTop === 0"
    )


def network_input(page):
    """The 28x28 picture of what the network read: it changes once a stroke is read."""
    return page.locator(
        "xpath=//*[contains(text(), 'What the network sees')]/ancestor::*[.//img][1]//img"
    )


def draw_each_stroke_read(page, strokes) -> int:
    """Draw stroke by stroke, each time waiting until the page has read the new stroke, so
    the answer is for the whole drawing, not for the strokes the canvas sent first."""
    for stroke in strokes:
        before = network_input(page).get_attribute("src")
        touch_draw(page, [stroke])
        page.wait_for_function(
            "([img, before]) => img.getAttribute('src') !== before",
            arg=[network_input(page).element_handle(), before],
        )
    return wait_for_digit(page)


def tap_tool(page, name: str) -> None:
    page.get_by_role("button", name=name).tap()


def clear(page) -> None:
    tap_tool(page, "Reset canvas & history")
    page.wait_for_function(BLANK)


@pytest.mark.parametrize("touch_page", PHONES, indirect=True)
def test_finger_drawn_digits_are_read_with_canvas_and_answer_in_view(touch_page):
    page = touch_page
    read = {}
    for digit, strokes in DIGITS.items():
        read[digit] = draw_each_stroke_read(page, strokes)
        assert in_viewport(page, ".st-key-prediction"), "the answer is out of view"
        assert in_viewport(page, CANVAS), "the canvas is out of view"
        assert not_scrolled(page)
        clear(page)
    assert read == {d: d for d in range(10)}


@pytest.mark.parametrize("touch_page", ["phone-360x740"], indirect=True)
def test_continental_digits_drawn_with_a_finger_are_read(touch_page):
    """A held-out hand (flagged 1, crossed 7, open 4, looped 2, curved 9), never tuned on,
    drawn stroke by stroke in Chromium."""
    page = touch_page
    rng = np.random.default_rng(3)
    read, wanted = {}, {}
    for (digit, style), strokes in HANDS["dora"].items():
        placed = place(strokes, rng, 280, size=0.75, slant=rng.uniform(-10, 10))
        read[f"{digit} {style}"] = draw_each_stroke_read(page, placed)
        wanted[f"{digit} {style}"] = digit
        clear(page)
    wrong = {k: read[k] for k in wanted if read[k] != wanted[k]}
    # Measured: all but the 1 with its long flag, read as a 7 here (offline the bundled model
    # reads 89% of this hand's flagged 1s): the 99% goal is not reached yet.
    assert len(wrong) <= 1, wrong


@pytest.mark.parametrize("touch_page", PHONES[:1], indirect=True)
def test_undo_and_clear_are_big_buttons_that_work_with_a_finger(touch_page):
    page = touch_page
    page.wait_for_function(f"() => ({TOOLBAR_DISPLAY})() === 'none'")  # its own, small one
    for name in ("Undo", "Reset canvas & history"):
        button = page.get_by_role("button", name=name).bounding_box()
        assert button["height"] >= 44 and button["width"] >= 44, name  # a finger's size
    touch_draw(page, DIGITS[1])
    assert wait_for_digit(page) == 1
    touch_draw(page, DIGITS[0])  # a ring around the 1: no longer a 1
    page.wait_for_function(
        "() => !/(^|\\D)1(\\D|$)/.test(document.querySelector('.st-key-prediction').innerText)"
    )
    tap_tool(page, "Undo")
    page.wait_for_function(
        "() => /(^|\\D)1(\\D|$)/.test(document.querySelector('.st-key-prediction').innerText)"
    )
    assert predicted_digit(page) == 1
    clear(page)
    assert predicted_digit(page) is None


@pytest.mark.parametrize("touch_page", TABLETS, indirect=True)
def test_tablets_keep_the_canvas_and_answer_side_by_side(touch_page):
    page = touch_page
    touch_draw(page, DIGITS[7])
    assert wait_for_digit(page) == 7
    canvas = page.locator(CANVAS).bounding_box()
    answer = page.locator(".st-key-prediction").bounding_box()
    assert answer["x"] >= canvas["x"] + canvas["width"]
    column = page.locator("[data-testid=stColumn]").filter(has=page.locator(CANVAS))
    assert column.bounding_box()["width"] >= canvas["width"], "the canvas is cut off"
    assert in_viewport(page, ".st-key-prediction") and in_viewport(page, CANVAS)


@pytest.mark.parametrize("touch_page", PHONES[1:], indirect=True)
def test_students_see_no_developer_controls(touch_page):
    page = touch_page
    page.locator(".st-key-settings").get_by_text("Brush width").wait_for()
    assert page.locator("[data-testid=stAppDeployButton]").count() == 0
    assert page.get_by_role("button", name="Deploy").count() == 0
