"""Why this answer: gradient-times-input maps, checked against the network itself."""

import dataclasses

import numpy as np
import pytest

from mnist_core.presentation.pictures import signed_image
from mnist_core.serving.explain import explain
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.network import MLP
from tests.test_network import random_mlp


@pytest.fixture(scope="module")
def bundled() -> MLP:
    return load_model(BUNDLED_MODEL).network


def scores64(network: MLP, image: np.ndarray) -> np.ndarray:
    """The ten pre-softmax scores in float64, written out here, apart from the code tested."""
    x = np.asarray(image, np.float64).reshape(784)
    for w, b in zip(network.weights[:-1], network.biases[:-1]):
        x = np.maximum(x @ w.astype(np.float64) + b, 0.0)
    return x @ network.weights[-1].astype(np.float64) + network.biases[-1]


def bias_part(network: MLP, image: np.ndarray) -> np.ndarray:
    """What the biases alone add to each score, with the units that fired for `image` held
    as they are: the score less the pixels' shares, for a ReLU network."""
    x = np.asarray(image, np.float64).reshape(784)
    z = np.zeros(784)  # the same network, on a black image, with x's units as they fired
    for w, b in zip(network.weights[:-1], network.biases[:-1]):
        pre = x @ w.astype(np.float64) + b
        x = np.maximum(pre, 0.0)
        z = (z @ w.astype(np.float64) + b) * (pre > 0)
    return z @ network.weights[-1].astype(np.float64) + network.biases[-1]


def test_the_pixels_shares_add_up_to_the_score_less_the_biases(bundled, small_mnist):
    for image, label in zip(small_mnist.x_test[:5], small_mnist.y_test[:5]):
        why = explain(bundled, image)
        scores = scores64(bundled, image)
        biases = bias_part(bundled, image)
        assert why.answer == label  # the bundled model reads these five right
        assert why.answer == int(np.argmax(scores))
        assert why.runner_up == int(np.argsort(scores)[-2])
        a, r = why.answer, why.runner_up
        assert why.towards.sum() == pytest.approx(scores[a] - biases[a], rel=1e-3, abs=1e-3)
        assert why.versus.sum() == pytest.approx(
            (scores[a] - biases[a]) - (scores[r] - biases[r]), rel=1e-3, abs=1e-3
        )


def test_without_biases_the_shares_add_up_to_logit_x_minus_logit_0(small_mnist):
    network = random_mlp(sizes=(784, 64, 32, 10), seed=3)
    no_bias = dataclasses.replace(network, biases=tuple(np.zeros_like(b) for b in network.biases))
    image = small_mnist.x_test[7]
    why = explain(no_bias, image)
    gap = scores64(no_bias, image) - scores64(no_bias, np.zeros(784))
    assert why.towards.sum() == pytest.approx(gap[why.answer], rel=1e-4)
    assert why.versus.sum() == pytest.approx(gap[why.answer] - gap[why.runner_up], rel=1e-4)


def test_each_share_is_the_finite_difference_gradient_times_the_pixel(bundled, small_mnist):
    image = np.asarray(small_mnist.x_test[3], np.float64).reshape(784)
    why = explain(bundled, image)
    drawn = np.flatnonzero(image > 0.2)[::8]
    assert len(drawn) >= 10
    step = 1e-4
    for i in drawn:
        up, down = image.copy(), image.copy()
        up[i] += step
        down[i] -= step
        slope = (scores64(bundled, up) - scores64(bundled, down)) / (2 * step)
        share = why.towards.reshape(784)[i]
        assert share == pytest.approx(slope[why.answer] * image[i], rel=2e-2, abs=2e-4)
        lead = why.versus.reshape(784)[i]
        expected = (slope[why.answer] - slope[why.runner_up]) * image[i]
        assert lead == pytest.approx(expected, rel=2e-2, abs=2e-4)


def test_a_reading_s_own_forward_pass_gives_the_same_maps(bundled, small_mnist):
    from mnist_core.serving.reading import read_drawing
    from tests.conftest import canvas_drawing

    reading = read_drawing(bundled, canvas_drawing(small_mnist.x_test[1]))
    again = explain(bundled, reading.pixels)
    reused = explain(bundled, reading.pixels, reading.hidden, reading.probabilities)
    assert (reused.answer, reused.runner_up) == (again.answer, again.runner_up)
    assert reused.answer == reading.digit
    assert np.allclose(reused.towards, again.towards) and np.allclose(reused.versus, again.versus)


def test_black_pixels_get_no_share_and_a_linear_output_works_too(small_mnist):
    image = small_mnist.x_test[0]
    for output in ("softmax", "linear"):
        why = explain(random_mlp(output=output), image)
        assert why.towards.shape == why.versus.shape == (28, 28)
        assert (why.towards.reshape(784)[image.reshape(784) == 0] == 0).all()
        assert np.abs(why.towards).max() > 0
        assert why.answer != why.runner_up


def test_the_picture_is_orange_for_towards_blue_for_away_white_at_zero():
    values = np.zeros(784)
    values[0], values[1], values[2] = 2.0, -2.0, 1.0
    picture = signed_image(values, scale=10)
    assert picture.shape == (280, 280, 3) and picture.dtype == np.uint8
    assert picture[5, 5].tolist() == [213, 94, 0]  # the strongest push towards: full orange
    assert picture[5, 15].tolist() == [0, 114, 178]  # as strong away: full blue
    assert picture[5, 25].tolist() == [234, 174, 128]  # half as strong: half as deep
    assert picture[5, 35].tolist() == [255, 255, 255]  # no push: white
    assert picture[0, 5].tolist() != [213, 94, 0]  # a faint grid line between pixels


def luminance(rgb) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in np.array(rgb) / 255
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_both_colours_stand_out_on_white_and_from_each_other_without_red_green():
    """3:1 against the white page (WCAG 1.4.11), and apart for a red-green colour-blind
    eye: Vienot's deuteranopia simulation leaves them far apart in lightness and hue."""
    values = np.zeros(784)
    values[0], values[1] = 1.0, -1.0
    picture = signed_image(values, scale=10, grid=False)
    orange, blue = picture[5, 5], picture[5, 15]
    for colour in (orange, blue):
        assert 1.05 / (luminance(colour) + 0.05) >= 3.0
    deutan = np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0], [-0.02234, 0.02234, 1.0]])
    seen = [deutan @ (np.array(c) / 255) for c in (orange, blue)]
    assert abs(seen[0][2] - seen[1][2]) > 0.4  # the blue channel tells them apart
    assert (signed_image(np.full(784, np.nan)) == 255).any()  # blown-up weights: no crash
