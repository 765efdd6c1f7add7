"""Keras files out and in: the same predictions, and anything else refused with a reason."""

import itertools

import numpy as np
import pytest

from mnist_core.serving.model_files import ModelFileError, load_model, model_bytes
from mnist_core.serving.network import MLP

keras = pytest.importorskip("keras")
from mnist_core.commands.main import main  # noqa: E402
from mnist_core.runs.keras_download import keras_file_bytes  # noqa: E402
from mnist_core.training.keras_files import export_keras, import_keras  # noqa: E402


def random_network(output: str, sizes=(784, 48, 24, 10), seed=0) -> MLP:
    rng = np.random.default_rng(seed)
    arrays = []
    for n_in, n_out in itertools.pairwise(sizes):
        arrays += [rng.normal(0, 0.1, (n_in, n_out)), rng.normal(0, 0.1, n_out)]
    return MLP.from_arrays(arrays, output)


def assert_same_weights(found: MLP, expected: MLP) -> None:
    assert found.layer_sizes == expected.layer_sizes
    for a, b in zip(found.to_arrays(), expected.to_arrays(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("output", ["softmax", "linear"])
def test_exported_keras_model_predicts_what_the_numpy_pass_predicts(small_mnist, tmp_path, output):
    network = random_network(output)
    path = export_keras(network, tmp_path / "model.keras")
    model = keras.saving.load_model(path, safe_mode=True)
    images = small_mnist.x_test[:200]
    expected = network.forward(images).outputs
    assert np.abs(model.predict(images, verbose=0) - expected).max() < 1e-5
    assert_same_weights(import_keras(path), network)
    assert import_keras(path).output == output


def test_the_command_line_exports_and_imports(tmp_path, capsys):
    keras_file, back = tmp_path / "default.keras", tmp_path / "back.npz"
    assert main(["export", "models/default.npz", "--to", str(keras_file)]) == 0
    assert main(["import", str(keras_file), "--out", str(back)]) == 0
    imported = load_model(back)
    assert_same_weights(imported.network, load_model("models/default.npz").network)
    assert imported.metadata["imported_from"] == "default.keras"
    assert main(["export", "models/default.npz", "--to", str(keras_file)]) == 1
    assert "already exists" in capsys.readouterr().err


def save(model, tmp_path, name="odd.keras"):
    path = tmp_path / name
    model.save(path)
    return path


def dense(*units_and_activations, inputs=784):
    layers = [keras.Input((inputs,))]
    layers += [keras.layers.Dense(n, activation=a) for n, a in units_and_activations]
    return keras.Sequential(layers)


def functional():
    inputs = keras.Input((784,))
    return keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(inputs))


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: dense((32, "tanh"), (10, "softmax")), "uses tanh: hidden layers must use relu"),
        (lambda: dense((32, "relu"), (10, "relu")), "the last layer must be softmax or linear"),
        (lambda: dense((32, "relu"), (10, "softmax"), inputs=100), "does not fit MNIST"),
        (lambda: dense((32, "relu"), (7, "softmax")), "does not fit MNIST"),
        (
            lambda: keras.Sequential(
                [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)]
            ),
            "is a Flatten: only Dense layers",
        ),
        (
            lambda: keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, use_bias=False)]),
            "has no bias",
        ),
        (functional, "holds a Functional model: only a Sequential model"),
    ],
)
def test_anything_else_is_refused_with_what_is_wrong(tmp_path, make, reason):
    with pytest.raises(ModelFileError, match=reason):
        import_keras(save(make(), tmp_path))


def test_code_in_a_file_is_not_run_and_garbage_is_refused(tmp_path):
    lambda_model = keras.Sequential(
        [keras.Input((784,)), keras.layers.Lambda(lambda x: x * 2), keras.layers.Dense(10)]
    )
    with pytest.raises(ModelFileError, match="cannot be read as a Keras model"):
        import_keras(save(lambda_model, tmp_path))
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"not a zip file")
    with pytest.raises(ModelFileError, match="cannot be read as a Keras model"):
        import_keras(garbage)
    with pytest.raises(ModelFileError, match="no Keras model file"):
        import_keras(tmp_path / "missing.keras")


def test_the_download_is_made_in_a_child_process(tmp_path):
    network = random_network("softmax")
    path = tmp_path / "downloaded.keras"
    path.write_bytes(keras_file_bytes(model_bytes(network, {"name": "n", "preset": None})))
    assert_same_weights(import_keras(path), network)
