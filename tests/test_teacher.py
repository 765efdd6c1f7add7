"""The convolutional teacher: trained by the command line, stored without pickle, taught to
an MLP at a temperature; and fine-tuning that remembers the start model's answers."""

import json

import numpy as np
import pytest

from mnist_core.config import ConfigError, TrainConfig
from mnist_core.serving.model_files import load_model
from mnist_core.training.teacher_files import ARRAYS, FORMAT, is_teacher_file, read_teacher
from tests.conftest import SMALL_MNIST
from tests.test_cli import cli

tf = pytest.importorskip("tensorflow")
from mnist_core.training.conv_net import ConvTeacher  # noqa: E402
from mnist_core.training.objectives import Objective, divergence  # noqa: E402


@pytest.fixture(scope="module")
def teacher_file(tmp_path_factory):
    out = tmp_path_factory.mktemp("teacher") / "cnn.npz"
    done = cli(
        "teacher", "--members", "2", "--epochs", "1", "--channels", "4", "--hidden", "16",
        "--data", str(SMALL_MNIST), "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return out


def test_the_teacher_command_writes_a_file_read_without_pickle(teacher_file):
    arrays, metadata = read_teacher(teacher_file)
    assert is_teacher_file(teacher_file) and metadata["format"] == FORMAT
    assert set(arrays) == set(ARRAYS) and arrays["C0"].shape == (2, 5, 5, 1, 4)
    assert metadata["command"].startswith("python -m mnist_core teacher --members 2")
    assert len(metadata["member_val_accuracy"]) == 2 and 0 <= metadata["val_accuracy"] <= 1
    with np.load(teacher_file, allow_pickle=False) as npz:  # no object arrays anywhere
        assert all(npz[key].dtype != object for key in npz.files)
    again = cli("teacher", "--epochs", "1", "--data", str(SMALL_MNIST), "--out", str(teacher_file))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_teacher_s_answer_is_its_members_average(teacher_file):
    arrays, _ = read_teacher(teacher_file)
    x = tf.random.uniform((3, 784))
    both = ConvTeacher(arrays).logits(x).numpy()
    each = [ConvTeacher({k: a[m : m + 1] for k, a in arrays.items()}).logits(x) for m in (0, 1)]
    np.testing.assert_allclose(both, (each[0] + each[1]).numpy() / 2, rtol=1e-5, atol=1e-5)


def test_an_mlp_learns_the_teacher_at_a_temperature_and_records_it(teacher_file, tmp_path):
    out = tmp_path / "student.npz"
    done = cli(
        "train", "--preset", "keras-rmsprop", "--engine", "scratch", "--hidden", "32",
        "--epochs", "1", "--teacher", str(teacher_file), "--temperature", "3",
        "--label-weight", "0.1", "--data", str(SMALL_MNIST), "--out", str(out), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    meta = load_model(out).metadata
    assert meta["config"]["temperature"] == 3 and meta["config"]["label_weight"] == 0.1
    assert meta["teacher"]["format"] == FORMAT
    assert meta["teacher"]["command"].startswith("python -m mnist_core teacher")
    assert json.loads(done.stdout.splitlines()[-1])["test_accuracy"] > 0.1


def test_the_divergence_is_zero_for_the_teacher_s_own_answer_and_grows_away_from_it():
    logits = tf.constant([[2.0, 0.5, -1.0] + [0.0] * 7])
    targets = tf.nn.softmax(logits)
    assert abs(float(divergence(targets, logits)[0])) < 1e-5
    assert float(divergence(targets, logits * 0)[0]) > 0.1


def test_remembering_counts_the_start_model_on_mnist_images_only():
    """Learning without forgetting: past `mnist_count` the images are the class's, learnt
    from their labels alone; before it the start model's answer is added."""

    class Fixed:
        def logits(self, x):
            return tf.zeros((tf.shape(x)[0], 10))

    config = TrainConfig(remember_weight=2.0, temperature=2.0)
    objective = Objective(config, "softmax", anchor=Fixed(), mnist_count=1)
    x, y = tf.zeros((2, 784)), tf.constant([3, 3])
    logits = tf.one_hot(y, 10) * 5
    losses = objective(logits, objective.targets(x), y, tf.constant([0, 1])).numpy()
    labels_only = Objective(TrainConfig(), "softmax")(logits, None, y, tf.constant([0, 1]))
    assert losses[0] > labels_only.numpy()[0] + 0.1  # the start model disagrees: it counts
    assert losses[1] == pytest.approx(float(labels_only[1]), abs=1e-6)  # a class drawing


def test_odd_distillation_and_remembering_settings_are_refused():
    for bad in ({"temperature": 0}, {"label_weight": 1.5}, {"remember_weight": -1}):
        with pytest.raises(ConfigError):
            TrainConfig(**bad).validate()
    with pytest.raises(ConfigError, match="scratch engine"):
        TrainConfig(remember_weight=1, engine="keras").validate()
