"""Drawings become 28x28 images prepared as MNIST's were."""

import numpy as np
import pytest

from mnist_core.serving.preprocess import BOX, CENTRE, centre_of_mass, ink_image, prepare_digit
from tests.conftest import canvas_drawing


def ink_box(image: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero((image > 0.05).any(axis=1))
    cols = np.flatnonzero((image > 0.05).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


@pytest.mark.parametrize("index", range(8))
def test_centre_of_mass_sits_at_the_centre(small_mnist, index):
    drawing = canvas_drawing(small_mnist.x_test[index], centre=(100, 170))
    digit = prepare_digit(drawing)
    row, col = centre_of_mass(digit)
    assert abs(row - CENTRE) <= 0.5 and abs(col - CENTRE) <= 0.5


@pytest.mark.parametrize("index", range(8))
def test_ink_fits_the_20_pixel_box_with_its_longer_side(small_mnist, index):
    digit = prepare_digit(canvas_drawing(small_mnist.x_test[index], box=240))
    height, width = ink_box(digit)
    assert max(height, width) <= BOX + 1  # anti-aliasing may leave a faint extra row
    assert max(height, width) >= BOX - 1


def test_a_tall_thin_stroke_keeps_its_aspect_ratio():
    canvas = np.zeros((280, 280), np.uint8)
    canvas[40:240, 130:150] = 255  # a "1": 200 tall, 20 wide
    height, width = ink_box(prepare_digit(canvas))
    assert height in (BOX, BOX + 1)
    assert width <= 4


@pytest.mark.parametrize("index", range(6))
def test_moving_or_scaling_a_drawing_gives_nearly_the_same_input(small_mnist, index):
    digit = small_mnist.x_test[index]
    reference = prepare_digit(canvas_drawing(digit, box=200))
    moved = prepare_digit(canvas_drawing(digit, box=200, centre=(110, 170)))
    smaller = prepare_digit(canvas_drawing(digit, box=120, centre=(200, 90)))
    assert np.abs(reference - moved).mean() < 0.01
    assert np.abs(reference - smaller).mean() < 0.05


def test_prepared_drawing_resembles_the_mnist_original(small_mnist):
    digit = small_mnist.x_test[0].reshape(28, 28)
    prepared = prepare_digit(canvas_drawing(small_mnist.x_test[0]))
    correlation = np.corrcoef(digit.ravel(), prepared.ravel())[0, 1]
    assert correlation > 0.8


def test_blank_and_nearly_blank_drawings_are_blank():
    assert prepare_digit(np.zeros((280, 280, 4), np.uint8)) is None
    speck = np.zeros((280, 280), np.uint8)
    speck[100:104, 100:104] = 255
    assert prepare_digit(speck) is None


def test_dark_ink_on_white_paper_is_inverted(small_mnist):
    light_on_dark = prepare_digit(canvas_drawing(small_mnist.x_test[3]))
    dark_on_light = prepare_digit(
        canvas_drawing(small_mnist.x_test[3], ink=(0, 0, 0), paper=(255, 255, 255))
    )
    assert np.abs(light_on_dark - dark_on_light).max() < 0.02
    assert dark_on_light.max() == pytest.approx(1.0)
    assert dark_on_light[0, 0] == 0.0


def test_transparent_background_reads_ink_from_alpha(small_mnist):
    opaque = canvas_drawing(small_mnist.x_test[5])
    transparent = np.zeros_like(opaque)
    transparent[..., 3] = opaque[..., 0]  # black strokes, ink only in alpha
    assert np.abs(prepare_digit(opaque) - prepare_digit(transparent)).max() < 0.02


def test_greyscale_rgb_and_rgba_give_the_same_ink(small_mnist):
    rgba = canvas_drawing(small_mnist.x_test[1])
    assert np.allclose(ink_image(rgba), ink_image(rgba[..., :3]))
    assert np.allclose(ink_image(rgba), ink_image(rgba[..., 0]))


def test_output_is_28x28_in_unit_range(small_mnist):
    digit = prepare_digit(canvas_drawing(small_mnist.x_test[2]))
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() >= 0.0 and digit.max() <= 1.0


def test_not_an_image_is_refused():
    with pytest.raises(ValueError, match="shape"):
        prepare_digit(np.zeros((4, 4, 7)))
