"""The photo path and the spoken answer in a real browser: a photo of a digit on paper is
uploaded, read in the same answer box as a drawing and labelled; a bad file gets one
sentence; the live region a screen reader speaks changes with each answer."""

import re

from benchmarks.paper import SMALL_SIZES, photos
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.photo import read_photo_bytes
from tests.conftest import draw

PREDICTION = ".st-key-prediction"
LIVE = PREDICTION + " [aria-live=polite]"


def readable_photo(other_than: int | None = None) -> tuple[int, bytes]:
    """A photographed digit the page reads right (most are: see test_photo.py)."""
    network = load_model(BUNDLED_MODEL).network
    for shot in photos(20, seed=21, sizes=SMALL_SIZES):
        if shot.digit == other_than:
            continue
        if read_photo_bytes(network, shot.data)[0].digit == shot.digit:
            return shot.digit, shot.data
    raise AssertionError("no photo read right")


def upload(page, name: str, data: bytes, mime: str) -> None:
    page.locator(".st-key-photo input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def test_a_photo_of_paper_is_read_and_labelled_like_a_drawing(page):
    digit, data = readable_photo()
    page.locator(PREDICTION).get_by_text("Draw a digit on the canvas").wait_for()
    upload(page, "digit.jpg", data, "image/jpeg")
    page.locator(PREDICTION).get_by_text(re.compile(rf"It's an? {digit}!")).wait_for()
    page.locator(PREDICTION).get_by_text("Read from your photo").wait_for()
    page.get_by_role("button", name="Right").click()
    page.get_by_text(re.compile(rf"Kept: your {digit} is in the class's collection")).wait_for()
    # The photo went with the label: the uploader is empty, the canvas is read again.
    assert page.locator(".st-key-photo [data-testid=stFileUploaderFile]").count() == 0
    page.locator(PREDICTION).get_by_text("Draw a digit on the canvas").wait_for()


def test_a_file_that_is_no_photo_gets_one_sentence(page):
    upload(page, "digit.png", b"GIF89a" + b"\0" * 200, "image/png")
    warning = page.locator(PREDICTION).get_by_text(
        "Only PNG and JPEG photos can be read, and this is neither."
    )
    warning.wait_for()
    assert page.locator("[data-testid=stException]").count() == 0


def test_the_spoken_answer_changes_with_each_answer(page):
    live = page.locator(LIVE)
    live.wait_for()
    assert "Draw a digit on the canvas" in live.inner_text()
    draw(page, [[(140, 50), (140, 230)]])
    page.wait_for_function("(sel) => /\\d/.test(document.querySelector(sel).innerText)", arg=LIVE)
    assert live.get_attribute("role") == "status"
    digit, data = readable_photo(other_than=1)  # the line drawn above reads as a 1
    upload(page, "digit.jpg", data, "image/jpeg")
    page.wait_for_function(
        "([sel, digit]) => document.querySelector(sel).innerText.includes(digit)",
        arg=[LIVE, str(digit)],
    )
