"""The class's digits in real browsers: a student labels a drawing, the projector shows it."""

import re

from benchmarks.digits import DIGITS
from tests.conftest import draw
from tests.test_draw_browser import wait_for_digit


def test_a_label_given_in_one_browser_appears_on_the_class_wall_in_another(page, browser, app_url):
    draw(page, DIGITS[1])
    read = wait_for_digit(page)
    assert read == 1
    page.get_by_role("radiogroup", name="No, it's a").get_by_role("radio", name="7").click()
    labelled = page.locator(".st-key-labelled")
    labelled.get_by_text(re.compile(r"Kept: your 7")).wait_for()
    # The canvas is clear and ready for the next digit.
    page.locator(".st-key-prediction").get_by_text("Draw a digit on the canvas").wait_for()

    projector = browser.new_context(viewport={"width": 1920, "height": 1080})
    wall_page = projector.new_page()
    try:
        wall_page.goto(f"{app_url}/class")
        newest = wall_page.locator(".st-key-class-wall figure").first
        newest.wait_for(timeout=30_000)
        assert newest.locator("img").get_attribute("alt") == "a drawing of a 7"
        assert "read as 1" in newest.inner_text()
        score = wall_page.locator(".st-key-class-score").inner_text()
        assert re.match(r"\d+ labelled drawings?", score.strip())
    finally:
        projector.close()


def test_the_right_button_keeps_the_reading_as_the_label(page):
    draw(page, DIGITS[4])
    assert wait_for_digit(page) == 4
    page.get_by_role("button", name="Right").click()
    page.locator(".st-key-labelled").get_by_text(re.compile(r"Kept: your 4")).wait_for()
    page.get_by_role("button", name="Take it back").click()
    page.locator(".st-key-labelled").wait_for(state="detached")
