"""Learning from the class's drawings, and starting from a trained model (fine-tuning)."""

import json

import numpy as np
import pytest

from mnist_core.config import ConfigError, TrainConfig
from mnist_core.dataset import ClassSet, Split
from mnist_core.presets import preset_config
from mnist_core.runs.events import EpochEnd
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.reading import read_drawing
from tests.conftest import canvas_drawing
from tests.test_cli import cli

tf = pytest.importorskip("tensorflow")
from mnist_core.training.class_mix import HOLDOUT_SHARE, mix_in  # noqa: E402
from mnist_core.training.train import train  # noqa: E402

BUNDLED_LAYERS = load_model(BUNDLED_MODEL).network.layer_sizes
FINE_TUNE = TrainConfig(hidden=BUNDLED_LAYERS[1:-1], init="he", epochs=1, class_data=True)
FULL_STEPS_IN_SMALL_EPOCHS = 20  # 20 x 23 steps on the small set ~ the 560 of one full epoch


@pytest.fixture(scope="module")
def class_set(small_mnist) -> ClassSet:
    """Forty MNIST test digits as a class would give them: drawn on the canvas, read by the
    page, kept as the 28x28 image the network received."""
    network = load_model(BUNDLED_MODEL).network
    pixels = [
        read_drawing(network, canvas_drawing(image, box=120)).pixels
        for image in small_mnist.x_test[-40:]
    ]
    images = (np.stack(pixels) * 255).round().astype(np.uint8)
    return ClassSet.from_images(images, small_mnist.y_test[-40:])


def test_the_class_drawings_are_repeated_into_training_and_partly_held_out(small_mnist, class_set):
    split = small_mnist.split_validation(200)
    mixed = mix_in(split, class_set, seed=0)
    assert len(mixed.x_class) == round(len(class_set) * HOLDOUT_SHARE)
    added = len(mixed.x_train) - len(split.x_train)
    assert added == pytest.approx(TrainConfig().class_share * len(split.x_train), rel=0.2)
    # No held-out drawing is among those learnt from.
    learnt = {row.tobytes() for row in mixed.x_train[len(split.x_train) :]}
    assert not any(row.tobytes() in learnt for row in mixed.x_class)


def test_too_few_class_drawings_are_refused_with_a_sentence(small_mnist, class_set):
    few = ClassSet(class_set.x[:3], class_set.y[:3])
    with pytest.raises(ConfigError, match="at least 8 labelled drawings"):
        mix_in(Split(*small_mnist.split_validation(200).__dict__.values()), few, seed=0)


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_fine_tuning_the_bundled_model_on_the_class_scores_both(small_mnist, class_set, engine):
    start = load_model(BUNDLED_MODEL).network
    events = []
    result = train(
        FINE_TUNE.replace(engine=engine),
        small_mnist,
        on_event=events.append,
        drawings=class_set,
        start=start,
    )
    [epoch] = [e for e in events if isinstance(e, EpochEnd)]
    assert epoch.class_accuracy is not None
    assert result.class_evaluation.confusion.sum() == 10
    assert result.class_accuracy_before is not None
    assert result.evaluation.accuracy > 0.9  # it has not forgotten MNIST
    assert result.summary()["class_accuracy"] == result.class_evaluation.accuracy


def test_a_start_model_with_other_layers_is_refused(small_mnist):
    start = load_model(BUNDLED_MODEL).network
    with pytest.raises(ConfigError, match=f"has layers {'-'.join(map(str, BUNDLED_LAYERS))}"):
        train(TrainConfig(hidden=(64,), epochs=1), small_mnist, start=start)


def test_the_command_line_fine_tunes_on_an_exported_class_file(
    tmp_path, class_set, small_mnist_path
):
    exported = tmp_path / "class.npz"
    np.savez(
        exported, x=(class_set.x.reshape(-1, 28, 28) * 255).round().astype(np.uint8), y=class_set.y
    )
    out = cli(
        "train",
        "--preset",
        "recommended",
        "--epochs",
        "1",
        "--no-augment",
        "--data",
        str(small_mnist_path),
        "--start-from",
        str(BUNDLED_MODEL),
        "--class-data",
        str(exported),
        "--json",
    )
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["class_accuracy"] is not None and summary["class_accuracy_before"] is not None
    missing = cli(
        "train", "--class-data", str(tmp_path / "none.npz"), "--data", str(small_mnist_path)
    )
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    alone = cli("train", "--preset", "fine-tune", "--data", str(small_mnist_path))
    assert alone.returncode == 2 and "add --start-from" in alone.stderr


@pytest.fixture(scope="module")
def style_sets() -> tuple[ClassSet, ClassSet]:
    """A class in the hand the bundled model reads worst (TEACHING: 1s that start with a long
    upstroke, read as 7s): drawings to learn from, and more of its 1s, never learnt from."""
    from benchmarks.fine_tune import class_drawings
    from benchmarks.handwriting import TEACHING

    unseen = class_drawings(TEACHING, 40, seed=8, digits=(1,))
    return class_drawings(TEACHING, 6, seed=7), unseen


def test_the_fine_tune_preset_learns_the_class_style_and_keeps_mnist(small_mnist, style_sets):
    """The preset's promise on real data: errors on drawings of the style it reads worst
    that it never learnt from at least halved, the MNIST test set read as well as before (within
    one image of 600). The small MNIST set has 23 steps an epoch where the full one has
    560, so the test runs as many steps as the preset does on the full set."""
    learn, unseen = style_sets
    start = load_model(BUNDLED_MODEL).network
    config = preset_config("fine-tune").replace(
        hidden=start.layer_sizes[1:-1], class_data=True, epochs=FULL_STEPS_IN_SMALL_EPOCHS
    )
    result = train(config, small_mnist, drawings=learn, start=start)
    errors_before = 1 - evaluate(start, unseen.x, unseen.y).accuracy
    errors_after = 1 - evaluate(result.network, unseen.x, unseen.y).accuracy
    assert errors_before * len(unseen) >= 4  # a style it does get wrong
    assert errors_after <= errors_before / 2
    assert result.test_accuracy_before is not None
    assert result.evaluation.accuracy >= result.test_accuracy_before - 1 / 600 - 1e-9


def test_a_teacher_with_odd_members_metadata_is_one_network(tmp_path, capsys):
    """`members` is what `average` writes: a list of the averaged networks. Any other value
    (a hand-edited or foreign file) counts as one network, as the model list reads it, not
    a traceback (the length of a number)."""
    from mnist_core.commands.main import main
    from mnist_core.serving.model_files import save_model
    from mnist_core.serving.network import MLP

    rng = np.random.default_rng(0)
    network = MLP(
        (
            rng.normal(size=(784, 12)).astype(np.float32),
            rng.normal(size=(12, 10)).astype(np.float32),
        ),
        (np.zeros(12, np.float32), np.zeros(10, np.float32)),
        "softmax",
    )
    teacher = save_model(tmp_path / "teacher.npz", network, {"name": "t", "members": 3})
    # A wrong --out ends the command after the teacher is read and before any training.
    assert main(["train", "--teacher", str(teacher), "--out", str(tmp_path / "x.txt")]) == 2
    assert "--out must end in" in capsys.readouterr().err


def test_a_teacher_and_the_class_drawings_together_are_refused():
    """Learning from a teacher model replaces every label by its answers, the class's too:
    the class's labels would be ignored without a word, so the pair is refused."""
    TrainConfig(teacher="bundled").validate()
    with pytest.raises(ConfigError, match="class's drawings"):
        TrainConfig(teacher="bundled", class_data=True).validate()
