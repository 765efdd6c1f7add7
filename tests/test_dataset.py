"""Loading MNIST, and saying clearly what is wrong when it cannot be loaded."""

import sys
import types

import numpy as np
import pytest

from mnist_core.dataset import DataError
from mnist_core.training.batches import BatchGenerator
from mnist_core.training.mnist import load_mnist


def write_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def good_arrays(n=20):
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, n).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n // 2, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, n // 2).astype(np.uint8),
    }


def test_loads_real_mnist_scaled_and_flattened(small_mnist):
    assert small_mnist.x_train.shape == (2400, 784)
    assert small_mnist.x_train.dtype == np.float32
    assert small_mnist.x_train.min() >= 0.0 and small_mnist.x_train.max() <= 1.0
    # The real set: its first training labels are 5 0 4 1 9 2 1 3 1 4.
    assert list(small_mnist.y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(small_mnist.y_test[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


def test_environment_variable_names_the_file(monkeypatch, small_mnist_path):
    monkeypatch.setenv("MNIST_PATH", str(small_mnist_path))
    assert load_mnist().source == str(small_mnist_path)


def test_explicit_path_wins_over_environment(monkeypatch, tmp_path, small_mnist_path):
    monkeypatch.setenv("MNIST_PATH", str(tmp_path / "nowhere.npz"))
    assert len(load_mnist(small_mnist_path).x_test) == 600


def test_missing_file_says_how_to_fix_it(tmp_path):
    with pytest.raises(DataError, match=r"does not exist.*MNIST_PATH"):
        load_mnist(tmp_path / "missing.npz")


def test_failed_download_says_what_was_tried_and_how_to_fix_it(monkeypatch):
    def offline():
        raise OSError("network is unreachable")

    fake_datasets = types.SimpleNamespace(mnist=types.SimpleNamespace(load_data=offline))
    monkeypatch.setitem(sys.modules, "keras", types.SimpleNamespace(datasets=fake_datasets))
    monkeypatch.setitem(sys.modules, "keras.datasets", fake_datasets)
    monkeypatch.delenv("MNIST_PATH", raising=False)
    with pytest.raises(DataError) as info:
        load_mnist()
    message = str(info.value)
    assert "download failed" in message and "network is unreachable" in message
    assert "MNIST_PATH" in message


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda a: a.pop("y_test"), "lacks y_test"),
        (lambda a: a.update(x_train=a["x_train"].reshape(-1, 784)), "expected \\(N, 28, 28\\)"),
        (lambda a: a.update(x_test=a["x_test"].astype(np.float32)), "dtype float32"),
        (lambda a: a.update(y_train=a["y_train"] + 5), "labels 5\\.\\.14"),
        (lambda a: a.update(y_test=a["y_test"][:3]), "10 images but y_test has 3"),
    ],
)
def test_bad_files_are_refused_with_the_reason(tmp_path, change, expected):
    arrays = good_arrays()
    change(arrays)
    path = write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(DataError, match=expected):
        load_mnist(path)


def test_not_an_npz_file_is_refused(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_text("hello")
    with pytest.raises(DataError, match="could not be read"):
        load_mnist(path)


def test_pickled_arrays_are_never_loaded(tmp_path):
    arrays = good_arrays()
    arrays["y_train"] = np.array([object()] * 20, dtype=object)
    path = write_npz(tmp_path / "pickled.npz", **arrays)
    with pytest.raises(DataError, match="pickle"):
        load_mnist(path)


def test_batches_cover_every_image_once_per_epoch():
    images = np.arange(10, dtype=np.float32).reshape(10, 1)
    labels = np.arange(10)
    gen = BatchGenerator(images, labels, batch_size=4, seed=1)
    batches = list(gen)
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert gen.num_batches == 3
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen) == list(range(10))
    assert all(np.array_equal(x.ravel(), y) for x, y in batches)


def test_batches_are_shuffled_reproducibly_and_afresh_each_epoch():
    images, labels = np.zeros((50, 1)), np.arange(50)
    first = [b[1] for b in BatchGenerator(images, labels, 10, seed=3)]
    again = [b[1] for b in BatchGenerator(images, labels, 10, seed=3)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    gen = BatchGenerator(images, labels, 10, seed=3)
    epoch1, epoch2 = np.concatenate([b[1] for b in gen]), np.concatenate([b[1] for b in gen])
    assert not np.array_equal(epoch1, epoch2)
    assert not np.array_equal(epoch1, labels)
