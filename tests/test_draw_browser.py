"""The Draw page in a real browser: draw with the mouse, read what the page shows."""

import re

from benchmarks.digits import DIGITS
from tests.conftest import draw

FIRST_DIGIT = re.compile(r"(?<!\d)(\d)(?!\d)")


def predicted_digit(page) -> int | None:
    match = FIRST_DIGIT.search(page.locator(".st-key-prediction").inner_text())
    return int(match.group(1)) if match else None


def wait_for_digit(page, timeout: float = 15_000) -> int:
    page.wait_for_function(
        """() => {
            const box = document.querySelector('.st-key-prediction');
            // Streamlit swaps elements one by one: wait until the prompt is gone too.
            return box && /(^|\\D)\\d(\\D|$)/.test(box.innerText)
                && !box.innerText.includes('Draw a digit');
        }""",
        timeout=timeout,
    )
    return predicted_digit(page)


def clear(page) -> None:
    page.locator("[data-testid=stBidiComponentIsolated] canvas.upper-canvas").hover()
    page.get_by_role("button", name="Reset canvas & history").click()
    page.wait_for_function(
        """() => {
            const box = document.querySelector('.st-key-prediction');
            return box && box.innerText.includes('Draw a digit') && !/\\d/.test(box.innerText);
        }"""
    )


def test_blank_canvas_shows_the_prompt(page):
    box = page.locator(".st-key-prediction")
    box.get_by_text("Draw a digit on the canvas").wait_for()
    assert predicted_digit(page) is None


def test_drawn_digits_are_read_and_clearing_returns_to_the_prompt(page):
    read = {}
    for digit, strokes in DIGITS.items():
        page.locator(".st-key-prediction").get_by_text("Draw a digit on the canvas").wait_for()
        draw(page, strokes)
        read[digit] = wait_for_digit(page)
        assert "sure" in page.locator(".st-key-prediction").inner_text()
        clear(page)
        assert predicted_digit(page) is None
    assert read == {d: d for d in range(10)}
