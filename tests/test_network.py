"""The NumPy forward pass the app serves with."""

import itertools
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.network import MLP, normalised_scores, softmax
from tests.conftest import ROOT


def random_mlp(sizes=(784, 32, 16, 10), output="softmax", seed=0):
    rng = np.random.default_rng(seed)
    arrays = []
    for n_in, n_out in itertools.pairwise(sizes):
        arrays += [rng.normal(0, 0.1, (n_in, n_out)), rng.normal(0, 0.1, n_out)]
    return MLP.from_arrays(arrays, output)


def test_probabilities_are_a_distribution(small_mnist):
    probs = random_mlp().predict_proba(small_mnist.x_test[:50])
    assert probs.shape == (50, 10)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs >= 0).all()


def test_one_image_in_any_shape_gives_one_answer(small_mnist):
    mlp = random_mlp()
    image = small_mnist.x_test[0]
    flat = mlp.forward(image).probabilities
    square = mlp.forward(image.reshape(28, 28)).probabilities
    assert flat.shape == (10,) and np.allclose(flat, square)
    assert np.allclose(flat, mlp.forward(small_mnist.x_test[:1]).probabilities[0])


def test_hidden_activations_are_reported_per_layer(small_mnist):
    forward = random_mlp().forward(small_mnist.x_test[0])
    assert [h.shape for h in forward.hidden] == [(32,), (16,)]
    assert all((h >= 0).all() for h in forward.hidden)


def test_linear_output_scores_read_as_probabilities():
    scores = np.array([[0.9, 0.1, -0.2, 0, 0, 0, 0, 0, 0, 0.0], [-1.0] * 10])
    probs = normalised_scores(scores)
    assert probs[0, 0] == pytest.approx(0.9) and probs[0, 2] == 0.0
    assert np.allclose(probs[1], 0.1)


def test_softmax_is_stable_for_large_inputs():
    assert np.allclose(softmax(np.array([1000.0, 0.0])), [1.0, 0.0])


@pytest.mark.parametrize("output", ["softmax", "linear"])
def test_numpy_and_tensorflow_forward_passes_agree(small_mnist, output):
    from mnist_core.training.layers import NaiveSequential

    model = NaiveSequential.build((784, 64, 32, 10), "glorot", output, seed=4)
    mlp = model.to_mlp()
    images = small_mnist.x_test[:200]
    tf_outputs = model(images).numpy()
    np_outputs = mlp.forward(images).outputs
    assert np.abs(tf_outputs - np_outputs).max() < 1e-5


def test_bundled_model_agrees_with_tensorflow(small_mnist):
    import tensorflow as tf

    network = load_model(BUNDLED_MODEL).network
    x = tf.constant(small_mnist.x_test)
    for w, b in zip(network.weights[:-1], network.biases[:-1]):
        x = tf.nn.relu(x @ w + b)
    tf_probs = tf.nn.softmax(x @ network.weights[-1] + network.biases[-1]).numpy()
    assert np.abs(tf_probs - network.predict_proba(small_mnist.x_test)).max() < 1e-5


def test_serving_never_imports_tensorflow():
    script = textwrap.dedent(
        """
        import sys
        import numpy as np
        from mnist_core import config, dataset
        from mnist_core.presentation import charts, describe, model_picker
        from mnist_core.runs import registry, saving
        from mnist_core.serving import evaluation, model_files, network, preprocess, reading
        saved = model_files.load_model(model_files.BUNDLED_MODEL)
        canvas = np.zeros((280, 280, 4), np.uint8)
        canvas[..., 3] = 255
        canvas[60:220, 130:150, :3] = 255
        result = reading.read_drawing(saved.network, canvas)
        assert result.digit is not None
        small = dataset.load_local("tests/data/mnist_small.npz")
        evaluation.evaluate(saved.network, small.x_test, small.y_test)
        print("tensorflow" in sys.modules, "keras" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
