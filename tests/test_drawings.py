"""Drawings from outside: only a PNG of the canvas's own size is ever decoded."""

import base64

import numpy as np
import pytest

from benchmarks.digits import DIGITS, data_url, render
from mnist_core.serving.drawings import DrawingRefused, canvas_pixels, check_pixels
from tests.bombs import black_png
from tests.memory import MB, peak_growth


def as_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def test_the_canvas_drawing_is_decoded_as_rgba():
    pixels = canvas_pixels(data_url(render(DIGITS[7])), 280, 280)
    assert pixels.shape == (280, 280, 4) and pixels.dtype == np.uint8
    assert pixels[..., 0].max() == 255
    assert canvas_pixels(None, 280, 280) is None  # nothing drawn yet


def test_a_huge_png_is_refused_from_its_header_without_decoding_it():
    url = as_data_url(black_png(13000, 13000))  # 0.9 MB that would decode to 676 MB
    assert len(url) < MB
    with peak_growth() as growth, pytest.raises(DrawingRefused) as refused:
        canvas_pixels(url, 280, 280)
    assert str(refused.value) == (
        "The drawing arrived as 13,000x13,000 pixels instead of the canvas's 280x280, "
        "so it was not read."
    )
    assert growth() < 50 * MB


@pytest.mark.parametrize(
    "sent, reason",
    [
        (12, "did not arrive as a PNG image"),
        ({"data": "x"}, "did not arrive as a PNG image"),
        ("data:image/jpeg;base64,/9j/", "did not arrive as a PNG image"),
        ("data:image/png;base64,iVBOR", "arrived damaged"),
        ("data:image/png;base64," + "A" * 3_000_000, "arrived far larger than the canvas"),
        (as_data_url(black_png(280, 280)[:-40]), "arrived damaged"),
        (as_data_url(black_png(281, 280)), "281x280 pixels instead of the canvas's 280x280"),
    ],
)
def test_anything_else_is_refused_in_one_sentence(sent, reason):
    with pytest.raises(DrawingRefused, match=reason) as refused:
        canvas_pixels(sent, 280, 280)
    assert str(refused.value).endswith("so it was not read.")


def test_image_files_are_bounded_by_their_pixel_count():
    check_pixels("photo.jpg", 4000, 4000)
    with pytest.raises(DrawingRefused, match=r"photo\.png has 14,000x14,000 pixels; Digit Lab"):
        check_pixels("photo.png", 14000, 14000)
