"""Every run can write TensorBoard event files: losses, accuracies, rates, weights."""

import json
from pathlib import Path

import numpy as np
import pytest

from mnist_core.config import TrainConfig

tf = pytest.importorskip("tensorflow")
from tensorflow.core.util.event_pb2 import Event  # noqa: E402

from mnist_core.commands.main import main  # noqa: E402
from mnist_core.training.train import train  # noqa: E402

SMALL = TrainConfig(hidden=(64,), epochs=2, batch_size=64, report_every=5)


def summaries(logdir: Path) -> dict[str, list[tuple[int, np.ndarray]]]:
    """Every value written under `logdir`, by tag: (step, value) in the order written."""
    found: dict[str, list[tuple[int, np.ndarray]]] = {}
    for path in sorted(logdir.rglob("events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(str(path)):
            event = Event.FromString(record.numpy())
            for value in event.summary.value:
                found.setdefault(value.tag, []).append((event.step, tf.make_ndarray(value.tensor)))
    return found


@pytest.mark.parametrize("engine", ["scratch", "keras"])
def test_a_run_writes_losses_accuracies_rates_and_weights(small_mnist, tmp_path, engine):
    result = train(SMALL.replace(engine=engine), small_mnist, logdir=tmp_path / "run")
    found = summaries(tmp_path / "run")
    losses = found["batch/loss"]
    assert [step for step, _ in losses][:5] == [1, 2, 3, 4, 5] and losses[-1][0] == 70
    assert [float(v) for _, v in losses] == pytest.approx(
        [loss for step, loss in result.history.losses if step in dict(losses)], rel=1e-5
    )
    assert all(float(v) == pytest.approx(1e-3) for _, v in found["batch/learning_rate"])
    for name in ("loss", "train_accuracy", "val_accuracy"):
        assert [step for step, _ in found[f"epoch/{name}"]] == [1, 2]
    last_val = float(found["epoch/val_accuracy"][-1][1])
    assert last_val == pytest.approx(result.history.epochs[-1].val_accuracy)
    for tag in ("weights/layer0/W", "weights/layer0/b", "weights/layer1/W", "weights/layer1/b"):
        assert [step for step, _ in found[tag]] == [1, 2]
    (step, picture), _ = found["first_layer/units"]
    width, height = (int(x) for x in picture[:2])  # an encoded PNG, after its size
    assert step == 1 and (width, height) == (8 * 29 - 1, 8 * 29 - 1)


def test_the_command_line_writes_where_it_is_told(small_mnist_path, tmp_path, capsys):
    logdir = tmp_path / "logs"
    data = ["--data", str(small_mnist_path), "--logdir", str(logdir), "--json"]
    code = main(["train", "--preset", "seed-naive-dense", "--epochs", "1", *data])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["seconds"] > 0 and summary["samples_per_second"] > 0
    found = summaries(logdir)
    assert len(found["epoch/val_accuracy"]) == 1 and len(found["weights/layer1/W"]) == 1
