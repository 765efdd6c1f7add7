"""Averaging networks: one wider MLP whose output is exactly the mean of theirs."""

import numpy as np
import pytest

from mnist_core.serving.averaging import AveragingError, apart, side_by_side
from mnist_core.serving.model_files import load_model, save_model
from mnist_core.serving.network import softmax
from tests.conftest import SMALL_MNIST
from tests.test_cli import cli
from tests.test_network import random_mlp


def test_softmax_networks_average_their_logits(small_mnist):
    a = random_mlp((784, 32, 16, 10), seed=1)
    b = random_mlp((784, 20, 8, 10), seed=2)
    images = small_mnist.x_test[:100]
    both = side_by_side([a, b])
    assert both.layer_sizes == (784, 52, 24, 10)
    logits = [np.log(n.predict_proba(images)) for n in (a, b)]
    assert np.allclose(both.predict_proba(images), softmax(np.mean(logits, axis=0)), atol=1e-5)


def test_each_network_sees_only_its_own_units(small_mnist):
    a, b, c = (random_mlp((784, 24, 12, 10), seed=s) for s in (3, 4, 5))
    both = side_by_side([a, b, c])
    first = both.forward(small_mnist.x_test[:20]).hidden
    for i, n in enumerate((a, b, c)):
        own = n.forward(small_mnist.x_test[:20]).hidden
        assert np.allclose(first[0][:, 24 * i : 24 * (i + 1)], own[0], atol=1e-5)
        assert np.allclose(first[1][:, 12 * i : 12 * (i + 1)], own[1], atol=1e-5)


def test_apart_gives_back_networks_whose_average_is_the_wide_one(small_mnist):
    """What a distilled network learns from: the members, each at its own cost."""
    members = [random_mlp((784, 24, 12, 10), seed=s) for s in (6, 7, 8)]
    wide = side_by_side(members)
    again = apart(wide, 3)
    images = small_mnist.x_test[:50]
    assert [m.layer_sizes for m in again] == [(784, 24, 12, 10)] * 3
    for mine, theirs in zip(again, members):  # every layer but the shared output bias
        assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(mine.weights, theirs.weights))
    mean = np.mean([np.log(m.predict_proba(images)) for m in again], axis=0)
    assert np.allclose(softmax(mean), wide.predict_proba(images), atol=1e-5)
    assert apart(members[0], 1) == [members[0]]
    with pytest.raises(AveragingError, match="do not split into 5"):
        apart(wide, 5)


def test_linear_networks_and_networks_without_hidden_layers_average_their_outputs(small_mnist):
    images = small_mnist.x_test[:50]
    for sizes in ((784, 16, 10), (784, 10)):
        a, b = random_mlp(sizes, "linear", 6), random_mlp(sizes, "linear", 7)
        both = side_by_side([a, b])
        expected = (a.forward(images).outputs + b.forward(images).outputs) / 2
        assert both.layer_sizes == (784, *(2 * n for n in sizes[1:-1]), 10)
        assert np.allclose(both.forward(images).outputs, expected, atol=1e-5)


@pytest.mark.parametrize(
    "networks, expected",
    [
        ([random_mlp()], "at least two networks"),
        ([random_mlp(), random_mlp(output="linear")], "cannot be averaged with a linear"),
        ([random_mlp(), random_mlp((784, 32, 10))], "784-32-16-10 and 784-32-10"),
        # Beyond what the app loads or starts from: refused before anything is built.
        ([random_mlp((784, 2100, 10))] * 2, "784-4200-10, wider than the 4,096 units"),
        ([random_mlp((784, 1800, 1800, 10))] * 3, "784-5400-5400-10"),
        ([random_mlp((784, 2048, 2048, 10))] * 2, "20,037,642 weights, more than"),
    ],
)
def test_networks_that_cannot_be_averaged_are_refused(networks, expected):
    with pytest.raises(AveragingError, match=expected):
        side_by_side(networks)


def test_an_averaged_model_file_stores_its_zeros_in_a_few_bytes(tmp_path, small_mnist):
    nets = [random_mlp((784, 256, 256, 10), seed=s) for s in range(3)]
    one = save_model(tmp_path / "one.npz", nets[0], {"name": "one"})
    three = save_model(tmp_path / "three.npz", side_by_side(nets), {"name": "three"})
    # Three networks' weights, and a 768x768 layer two thirds zeros, which take no room.
    assert three.stat().st_size < 3.2 * one.stat().st_size
    assert one.stat().st_size > sum(w.nbytes for w in nets[0].weights)  # not compressed
    images = small_mnist.x_test[:20]
    assert np.array_equal(
        load_model(three).network.predict_proba(images),
        side_by_side(nets).predict_proba(images),
    )


def averaged(tmp_path, metadata: dict[int, dict]):
    """Two random networks saved with this metadata (by seed), averaged by the command
    line: the input paths, the output path, and what the command printed."""
    paths = []
    for seed, meta in metadata.items():
        path = tmp_path / f"m{seed}.npz"
        save_model(path, random_mlp(seed=seed), meta)
        paths.append(str(path))
    out = tmp_path / "both.npz"
    done = cli("average", *paths, "--out", str(out), "--data", str(SMALL_MNIST))
    assert done.returncode == 0, done.stderr
    return paths, out, done.stdout


def test_the_command_line_averages_models_and_records_each_one(tmp_path):
    paths, out, printed = averaged(tmp_path, {s: {"command": f"seed {s}"} for s in (1, 2)})
    assert "the average of 2 networks" in printed
    meta = load_model(out).metadata
    assert meta["layers"] == [784, 64, 32, 10]
    assert meta["command"].startswith("python -m mnist_core average ")
    assert [m["command"] for m in meta["members"]] == ["seed 1", "seed 2"]
    assert 0 <= meta["metrics"]["test_accuracy"] <= 1

    again = cli("average", *paths, "--out", str(out), "--data", str(SMALL_MNIST))
    assert again.returncode == 1 and "already exists" in again.stderr
    linear = tmp_path / "linear.npz"
    save_model(linear, random_mlp(output="linear"), {"name": "linear"})
    assert meta["config"] is None  # the files say nothing of how they were trained
    assert [m["train_seconds"] for m in meta["members"]] == [None, None]

    def refused(*args):
        done = cli("average", *args)
        assert done.returncode != 0 and "Traceback" not in done.stderr
        [line] = done.stderr.strip().splitlines()
        return line

    mixed = refused(paths[0], str(linear), "--out", str(tmp_path / "x.npz"))
    assert mixed == "error: a softmax-output network cannot be averaged with a linear-output one"
    assert "already an average of 2 networks" in refused(
        str(out), paths[0], "--out", str(tmp_path / "y.npz")
    )
    assert "--out must end in .npz" in refused(*paths, "--out", str(tmp_path / "z.txt"))
    assert "no model file" in refused(
        paths[0], str(tmp_path / "gone.npz"), "--out", str(tmp_path / "w.npz")
    )
    assert not any(tmp_path.glob("[xyzw].*"))


def test_the_average_records_shared_settings_and_survives_odd_metadata(tmp_path):
    settings = {"hidden": [32, 16], "epochs": 3, "optimizer": "adam"}
    metrics = {1: {"test_accuracy": 0.5, "train_seconds": 2}, 2: None}
    _, out, printed = averaged(
        tmp_path,
        {
            s: {"config": {**settings, "seed": s}, "metrics": m, "preset": "p"}
            for s, m in metrics.items()
        },
    )
    assert "m2.npz: test accuracy unknown" in printed
    meta = load_model(out).metadata
    assert meta["preset"] == "p"
    assert meta["config"] == {"hidden": [64, 32], "epochs": 3, "optimizer": "adam"}
    assert meta["metrics"]["train_seconds"] is None  # one network does not say


def test_the_command_line_distils_an_average_into_one_network_and_records_it(tmp_path):
    _, both, _ = averaged(tmp_path, {s: {"command": f"seed {s}"} for s in (1, 2)})
    out = tmp_path / "one.npz"
    done = cli(
        "train", "--preset", "keras-rmsprop", "--engine", "scratch", "--hidden", "32,16",
        "--epochs", "1", "--teacher", str(both), "--data", str(SMALL_MNIST), "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    meta = load_model(out).metadata
    assert meta["layers"] == [784, 32, 16, 10] and meta["config"]["teacher"] == "both"
    assert [m["command"] for m in meta["teacher"]["members"]] == ["seed 1", "seed 2"]
    assert meta["teacher"]["command"].startswith("python -m mnist_core average ")
    keras = cli("train", "--engine", "keras", "--teacher", str(both), "--data", str(SMALL_MNIST))
    assert keras.returncode == 1 and "needs the scratch engine" in keras.stderr


def test_a_model_whose_layers_mix_its_networks_is_not_taken_apart():
    """A model named as averaged (its `members`) whose layers were changed since, as
    fine-tuning does: taking it apart would drop what joins them, and teach something else
    than the model, so it is refused in one sentence."""
    wide = side_by_side([random_mlp((784, 24, 12, 10), seed=s) for s in (6, 7)])
    middle = wide.weights[1].copy()
    middle[0, -1] = 0.5  # the first network's unit now feeds the second's
    mixed = type(wide)((wide.weights[0], middle, wide.weights[2]), wide.biases, wide.output)
    with pytest.raises(AveragingError, match="not 2 networks side by side"):
        apart(mixed, 2)
    assert len(apart(wide, 2)) == 2
