"""Both engines train, report the same events, stop on request and survive divergence."""

import numpy as np
import pytest

from mnist_core.config import ConfigError, TrainConfig
from mnist_core.presets import PRESETS, preset_config
from mnist_core.runs.events import BatchEnd, EpochEnd, RunEnded, RunStarted
from mnist_core.runs.states import DIVERGED, FINISHED, STOPPED
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model

tf = pytest.importorskip("tensorflow")
from mnist_core.serving.evaluation import evaluate  # noqa: E402
from mnist_core.training.augment import Augmenter  # noqa: E402
from mnist_core.training.train import train  # noqa: E402

SMALL = TrainConfig(hidden=(64,), epochs=2, batch_size=64, report_every=5)


def run(config, data, **kwargs):
    events = []
    result = train(config, data, on_event=events.append, **kwargs)
    return result, events


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_training_lowers_the_loss_and_learns(small_mnist, engine):
    result, events = run(SMALL.replace(engine=engine, epochs=3), small_mnist)
    losses = [e.loss for e in events if isinstance(e, BatchEnd)]
    assert result.status == FINISHED
    assert np.mean(losses[-5:]) < 0.5 * np.mean(losses[:3])
    assert result.evaluation.accuracy > 0.8


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_both_engines_report_the_same_stream(small_mnist, engine):
    config = SMALL.replace(engine=engine)
    result, events = run(config, small_mnist)
    kinds = [type(e) for e in events]
    assert kinds[0] is RunStarted and kinds[-1] is RunEnded
    started = events[0]
    assert started.train_size == 2200 and started.validation_size == 200
    assert started.steps_per_epoch == 35
    epochs = [e for e in events if isinstance(e, EpochEnd)]
    assert [e.epoch for e in epochs] == [1, 2]
    assert all(0 <= e.train_accuracy <= 1 and 0 <= e.val_accuracy <= 1 for e in epochs)
    batches = [e for e in events if isinstance(e, BatchEnd)]
    steps = [b.step for b in batches]
    assert steps[:5] == [1, 2, 3, 4, 5] and steps[-1] == 70 and 35 in steps
    assert all(b.samples_per_second > 0 for b in batches)
    assert result.samples_per_second > 0 and result.seconds > 0
    assert result.history.ended.step == 70


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_same_seed_same_start(small_mnist, engine):
    config = SMALL.replace(engine=engine, epochs=1)
    first = run(config, small_mnist)[1][1]
    again = run(config, small_mnist)[1][1]
    assert first.loss == pytest.approx(again.loss, rel=1e-4)


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_a_stop_request_ends_after_the_call_in_progress_and_keeps_the_weights(small_mnist, engine):
    steps = []

    def on_event(event):
        if isinstance(event, BatchEnd):
            steps.append(event.step)

    result = train(
        SMALL.replace(engine=engine, epochs=50),
        small_mnist,
        on_event=on_event,
        should_stop=lambda: len(steps) >= 3,
    )
    assert result.status == STOPPED
    # Both engines run several steps per compiled call, and stop when the call returns.
    assert 3 <= result.history.ended.step <= 35
    assert result.evaluation.accuracy > 0.2  # three steps already beat chance


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_divergence_ends_the_run_and_keeps_finite_weights(small_mnist, engine):
    config = preset_config("seed-mse-mlp").replace(learning_rate=10.0, engine=engine)
    result, events = run(config, small_mnist)
    assert result.status == DIVERGED
    ended = events[-1]
    assert ended.status == DIVERGED
    assert "NaN or infinite at step" in ended.message and "learning rate" in ended.message
    assert all(np.isfinite(a).all() for a in result.network.to_arrays())
    assert np.isfinite(result.network.predict_proba(small_mnist.x_test)).all()
    assert all(np.isfinite(e.loss) for e in events if isinstance(e, BatchEnd))


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_runs(small_mnist, name):
    result, _ = run(preset_config(name).replace(epochs=1), small_mnist)
    assert result.status == FINISHED
    assert list(result.network.layer_sizes) == list(preset_config(name).layer_sizes)


def test_snapshots_carry_the_weights_while_training(small_mnist):
    _result, events = run(SMALL, small_mnist, snapshot_every=0.0)
    snapshots = [e for e in events if e.kind == "weights"]
    # One chance per compiled call, and each call runs several steps.
    steps = [e.step for e in snapshots]
    assert len(steps) >= 4 and steps == sorted(set(steps)) and steps[-1] == 70
    assert snapshots[-1].network.layer_sizes == (784, 64, 10)


def test_augmentation_keeps_shape_and_range_but_moves_pixels(small_mnist):
    images = tf.constant(small_mnist.x_train[:64])
    out = Augmenter(seed=0)(images).numpy()
    assert out.shape == (64, 784)
    assert out.min() >= 0.0 and out.max() <= 1.0 + 1e-6
    changed = np.abs(out - small_mnist.x_train[:64]).mean(axis=1)
    assert (changed > 0.01).mean() > 0.9
    # Still the same digits: most ink stays close to where it was.
    same = np.corrcoef(out.ravel(), small_mnist.x_train[:64].ravel())[0, 1]
    assert same > 0.4


def test_impossible_settings_are_refused_before_training(small_mnist):
    with pytest.raises(ConfigError, match="larger than the 2200 training images"):
        train(SMALL.replace(batch_size=5000), small_mnist)
    with pytest.raises(ConfigError, match="above 0"):
        train(SMALL.replace(learning_rate=0.0), small_mnist)
    with pytest.raises(ConfigError, match="at least one hidden layer"):
        train(SMALL.replace(hidden=()), small_mnist)
    with pytest.raises(ConfigError, match="too many"):
        train(SMALL.replace(hidden=(4096, 4096, 4096)), small_mnist)
    with pytest.raises(ConfigError, match="softmax"):
        train(SMALL.replace(output="linear"), small_mnist)


# The full data set (MNIST_PATH): the presets land near the reference programs' figures.
@pytest.mark.parametrize(
    "name, low, high",
    [("seed-mse-mlp", 0.45, 0.65), ("seed-naive-dense", 0.77, 0.87), ("keras-rmsprop", 0.97, 0.99)],
)
def test_reference_presets_on_full_mnist(full_mnist_path, name, low, high):
    from mnist_core.training.mnist import load_mnist

    result, _ = run(preset_config(name), load_mnist(full_mnist_path))
    assert low <= result.evaluation.accuracy <= high


def test_bundled_model_reads_the_full_test_set(full_mnist_path):
    from mnist_core.training.mnist import load_mnist

    data = load_mnist(full_mnist_path)
    accuracy = evaluate(load_model(BUNDLED_MODEL).network, data.x_test, data.y_test).accuracy
    assert accuracy >= 0.993


def test_a_student_learns_its_teachers_averaged_answers_not_the_labels(small_mnist):
    """Distillation: taught by two networks that never saw a digit, the student reads the
    test set as their average does, and so not as the labels say."""
    from mnist_core.serving.averaging import side_by_side
    from tests.test_network import random_mlp

    teachers = [random_mlp((784, 32, 10), seed=s) for s in (1, 2)]
    result, _ = run(SMALL.replace(epochs=4, teacher="random"), small_mnist, teachers=teachers)
    theirs = side_by_side(teachers).predict_proba(small_mnist.x_test).argmax(axis=1)
    mine = result.network.predict_proba(small_mnist.x_test).argmax(axis=1)
    assert np.mean(mine == theirs) > 0.6
    assert result.evaluation.accuracy < 0.5
    with pytest.raises(ConfigError, match="needs the scratch engine"):
        train(SMALL.replace(engine="keras", teacher="random"), small_mnist, teachers=teachers)
