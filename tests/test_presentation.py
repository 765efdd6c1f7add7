"""What the pages show, tested without a browser: charts, run descriptions, model lists."""

import dataclasses

import numpy as np
import pytest

from mnist_core.config import TrainConfig
from mnist_core.presentation.charts import (
    accuracy_chart,
    accuracy_frame,
    accuracy_spec,
    confusion_chart,
    loss_chart,
    loss_frame,
    loss_spec,
    probability_chart,
    probability_spec,
)
from mnist_core.presentation.compare import (
    CLIP_FACTOR,
    DASHES,
    comparison_chart,
    comparison_frame,
    comparison_key,
)
from mnist_core.presentation.describe import (
    comparison_rows,
    format_duration,
    progress,
    run_caption,
    seconds_left,
    started_by,
    status_text,
)
from mnist_core.presentation.model_picker import model_menu
from mnist_core.presentation.pictures import enlarge, weight_image
from mnist_core.presentation.smoothing import WINDOW, smoothed
from mnist_core.presentation.verdict import verdict
from mnist_core.runs.events import BatchEnd, EpochEnd, RunStarted
from mnist_core.runs.history import History
from mnist_core.runs.registry import RunView
from mnist_core.runs.result import TrainResult
from mnist_core.runs.saving import save_run
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import load_model, save_model
from mnist_core.serving.model_names import clean_model_name
from mnist_core.serving.reading import BLANK, CONFIDENT, NOT_A_DIGIT, UNSURE, read_drawing
from tests.test_network import random_mlp


def run_view(**changes) -> RunView:
    base = {
        "id": 3,
        "name": "demo",
        "preset": None,
        "config": TrainConfig(epochs=2),
        "state": "running",
        "created": "2026-11-23T10:00:00",
        "started": RunStarted(epochs=2, steps_per_epoch=100, train_size=12800, validation_size=0),
        "last_batch": BatchEnd(step=50, epoch=1, loss=0.25, samples_per_second=6400, elapsed=1.0),
        "losses": ((10, 1.0), (50, 0.25)),
    }
    return RunView(**{**base, **changes})


def test_probability_chart_keeps_digits_in_order_on_a_fixed_axis():
    spec = probability_chart(np.eye(10)[7]).to_dict()
    assert spec["encoding"]["x"]["sort"] is None
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 1]
    values = spec["datasets"][spec["data"]["name"]]
    assert [v["digit"] for v in values] == [str(d) for d in range(10)]
    assert [v["top"] for v in values].index(True) == 7
    assert any(t.get("format") == ".1%" for t in spec["encoding"]["tooltip"])


def test_cached_probability_spec_carries_no_data():
    spec = probability_spec()
    assert "data" not in spec and "datasets" not in spec
    assert spec["mark"]["type"] == "bar"


def test_training_charts_build(small_mnist):
    losses = [(i, 1.0 / i) for i in range(1, 30)]
    assert loss_chart(loss_frame(losses)).to_dict()
    epoch = EpochEnd(1, 10, 0.5, 0.9, 0.92, 100.0, 1.0)
    assert accuracy_chart(accuracy_frame([epoch])).to_dict()
    assert "data" not in loss_spec() and "layer" in loss_spec()
    assert "data" not in accuracy_spec()

    confusion = evaluate(random_mlp(), small_mnist.x_test, small_mnist.y_test).confusion
    assert confusion_chart(confusion).to_dict()
    frame = comparison_frame({"a": [[1, 2.0], [2, 1.0]], "b": [[1, 3.0]]})
    assert comparison_chart(frame).to_dict() and comparison_key(frame).to_dict()


def test_long_loss_curves_are_thinned_but_keep_both_ends():
    frame = loss_frame([(i, 1.0 / i) for i in range(1, 5001)])
    assert len(frame) <= 200
    assert frame["step"].iloc[0] == 1 and frame["step"].iloc[-1] == 5000


def test_smoothing_starts_at_the_first_value_and_follows_the_trend():
    values = [4.0, 2.0, 1.0, 1.0]
    out = smoothed(values)
    assert out[0] == pytest.approx(4.0)
    assert out[-1] < out[0]


def test_smoothing_stays_among_the_points_of_its_window():
    rng = np.random.default_rng(0)
    # A run that explodes to 10,000,000 once, then goes back to losses around 10.
    values = [*rng.uniform(8, 12, 40), 1e7, *rng.uniform(8, 12, 200)]
    out = smoothed(values)
    for i, value in enumerate(out):
        window = values[max(0, i - WINDOW + 1) : i + 1]
        assert min(window) * (1 - 1e-9) <= value <= max(window) * (1 + 1e-9), i
    assert out[-1] < 13  # the line ends among the batches, not near 15,000


def test_a_short_curve_is_smoothed_less_so_its_line_keeps_up_with_its_points():
    # Five epochs on a few thousand images: a handful of points per epoch, each lower.
    values = [1.0] * 5 + [0.45] * 5 + [0.32] * 5 + [0.27] * 5 + [0.24] * 5
    assert smoothed(values)[-1] < 0.26
    assert smoothed(values * 20)[-1] > smoothed(values)[-1]  # a long curve: smoother


def test_smoothing_leaves_out_nan_losses():
    out = smoothed([1.0, float("nan"), float("inf"), 1.0])
    assert out == pytest.approx([1.0, 1.0, 1.0, 1.0])
    assert np.isnan(smoothed([float("nan")])[0])
    assert smoothed([]) == []


def test_the_compare_chart_clips_an_exploded_run_and_keeps_the_others_readable():
    calm = [[step, 2.0 / step] for step in range(1, 101)]
    exploded = [[1, 2.0]] + [[step, 1e7] for step in range(2, 101)]
    frame = comparison_frame({"calm": calm, "exploded": exploded})
    assert frame["loss"].max() == pytest.approx(2.0 * CLIP_FACTOR)
    assert frame.loc[frame["run"] == "exploded", "clipped"].iloc[1:].all()  # all but its start
    assert not frame.loc[frame["run"] == "calm", "clipped"].any()


def test_the_compare_chart_thins_many_runs_and_gives_each_a_colour_and_dash():
    curves = {f"Run {n}": [[s, 1.0 + n / s] for s in range(1, 1001)] for n in range(30)}
    frame = comparison_frame(curves)
    assert frame.groupby("run").size().max() <= 200
    spec = comparison_chart(frame).to_dict()
    lines = spec["layer"][0]["encoding"]
    assert lines["color"]["scale"]["scheme"] == "category10"
    dashes = lines["strokeDash"]["scale"]["range"]
    assert dashes[0] == DASHES[0] and dashes[10] == DASHES[1] and dashes[29] == DASHES[2]
    # Every run pairs a colour (index mod 10) with a dash (index div 10) of its own.
    assert len({(i % 10, str(dash)) for i, dash in enumerate(dashes)}) == 30
    assert spec["height"] == 420 and spec["config"]["axis"]["labelFontSize"] >= 14


def test_status_names_state_epoch_step_and_loss():
    assert status_text(run_view()) == "running: epoch 1 of 2, step 50 of 200, loss 0.2500"
    assert status_text(run_view(last_batch=None)) == "running: the first steps"
    queued = run_view(state="queued", queue_position=2, started=None, last_batch=None)
    assert status_text(queued).startswith("queued: number 2 in line")
    assert status_text(run_view(state="stopped")).startswith("stopped: epoch 1 of 2")


def test_progress_and_time_left():
    fraction, text = progress(run_view())
    assert fraction == 0.25
    assert "6,400 images a second" in text and "3 s left" in text
    assert seconds_left(run_view()) == pytest.approx(3.0)
    assert format_duration(125) == "2 min 05 s"


def test_model_names_are_made_safe_and_empty_ones_refused():
    assert clean_model_name("My best: 99%") == "My-best-99"
    assert "/" not in clean_model_name("../../etc/passwd")
    with pytest.raises(ValueError, match="name"):
        clean_model_name("   ")
    with pytest.raises(ValueError, match="letters or digits"):
        clean_model_name("///")


def finished_run(small_mnist) -> RunView:
    network = random_mlp()
    evaluation = evaluate(network, small_mnist.x_test, small_mnist.y_test)
    history = History(losses=[(1, 2.3), (2, 2.1)])
    result = TrainResult(
        "finished", "done", network, TrainConfig(), history, evaluation, 1.0, 10.0, "x"
    )
    return run_view(state="finished", result=result, live_network=network)


def test_a_finished_run_saves_once_and_appears_in_the_picker(tmp_path, small_mnist):
    run = finished_run(small_mnist)
    path = save_run(run, "Class demo", tmp_path)
    assert path.name == "Class-demo.npz"
    saved = load_model(path)
    assert saved.metadata["name"] == "Class demo"
    assert saved.metadata["history"]["loss"] == [[1, 2.3], [2, 2.1]]
    with pytest.raises(FileExistsError, match="already exists"):
        save_run(run, "Class demo", tmp_path)
    menu = model_menu(tmp_path, [run])
    choices = menu.choices
    assert [c.key for c in choices] == ["bundled", "run:3", "file:Class-demo.npz"]
    accuracy = f"{run.result.evaluation.accuracy:.1%}"
    assert choices[1].label == f"Run 3: demo ({accuracy}, a training run of this class)"
    # A browser may still hold the label the run had while it trained: it names the run.
    assert menu.choice_for("Run 3: demo (a training run of this class)") is choices[1]
    assert menu.choice_for("run:3") is choices[1]
    assert menu.choice_for("Run 9: gone") is None and menu.choice_for(None) is None
    rows = comparison_rows([run], [])
    assert rows[0]["test accuracy"] == run.result.evaluation.accuracy
    assert list(rows[0])[:4] == ["name", "state", "test accuracy", "started by"]


def test_runs_say_who_started_them():
    mine = run_view(owner="me")
    assert started_by(mine, "me") == "you"
    assert started_by(run_view(owner="other"), "me") == "another student"
    assert started_by(run_view(owner="t", by_teacher=True), "me") == "the teacher"
    assert started_by(run_view(owner=""), "") == "the teacher"  # the server's own (a script)
    assert run_caption(mine, "me") == "running · by you"


def ended_run(small_mnist, accuracy_of: str, losses, **config) -> RunView:
    """A finished run whose network is random (about 10%) or the bundled one (about 98%)."""
    from mnist_core.serving.model_files import BUNDLED_MODEL

    network = random_mlp() if accuracy_of == "random" else load_model(BUNDLED_MODEL).network
    evaluation = evaluate(network, small_mnist.x_test, small_mnist.y_test)
    settings = TrainConfig(**config)
    result = TrainResult(
        "finished", "done", network, settings, History(), evaluation, 1.0, 1.0, "x"
    )
    return run_view(state="finished", config=settings, result=result, losses=tuple(losses))


def test_a_run_that_did_not_learn_is_flagged_with_a_hint(small_mnist):
    falling = [(s, 2.3 / s) for s in range(1, 41)]
    rising = [(s, 2.3 * s) for s in range(1, 41)]
    assert verdict(ended_run(small_mnist, "bundled", falling)) is None

    near_chance = verdict(ended_run(small_mnist, "random", rising, learning_rate=10.0))
    assert "did not learn" in near_chance.problem and "loss went up" in near_chance.problem
    assert "guessing at random gets 10%" in near_chance.problem
    assert "(learning rate) may be too big" in near_chance.hint and "(1)" in near_chance.hint

    slow = verdict(ended_run(small_mnist, "random", falling, learning_rate=1e-4))
    assert "(epochs)" in slow.hint and "loss went up" not in slow.problem

    # A fine-tuned run starts near 0 and drifts higher while it reads 98%: no failure.
    wobbling = [(s, 0.05 + 0.001 * s) for s in range(1, 41)]
    assert verdict(ended_run(small_mnist, "bundled", wobbling, start_from="x.npz")) is None

    flat = [(s, 886068.0) for s in range(1, 41)]  # RMSprop at 10: stuck, yet 67% right
    stuck = verdict(ended_run(small_mnist, "bundled", flat, optimizer="rmsprop", learning_rate=10))
    assert "ended above 2.3" in stuck.problem and "too big" in stuck.hint

    nan = [*falling[:-1], (40, float("nan"))]
    blew_up = verdict(ended_run(small_mnist, "bundled", nan))
    assert "NaN" in blew_up.problem and "too big" in blew_up.hint
    assert run_caption(ended_run(small_mnist, "random", rising), "").startswith(
        "finished, did not learn · 1"
    )


def test_readings_distinguish_blank_confident_and_scribbles():
    from mnist_core.serving.model_files import BUNDLED_MODEL

    network = load_model(BUNDLED_MODEL).network
    assert read_drawing(network, np.zeros((280, 280), np.uint8)).verdict == BLANK
    one = np.zeros((280, 280), np.uint8)
    one[40:240, 130:150] = 255
    reading = read_drawing(network, one)
    assert reading.verdict == CONFIDENT and reading.digit == 1
    scribble = np.zeros((280, 280), np.uint8)
    scribble[40:240, 40:240] = 255
    scribble[::16, :] = 0
    assert read_drawing(network, scribble).verdict == NOT_A_DIGIT
    huge = [w * np.float32(1e30) for w in network.weights]
    broken = dataclasses.replace(network, weights=huge)  # overflows to NaN, as a run may
    with np.errstate(over="ignore", invalid="ignore"):
        lost = read_drawing(broken, one)  # a run's weights blown up to NaN mid-training
    assert lost.verdict == UNSURE and np.allclose(lost.probabilities, 0.1)


def test_pictures_have_visible_pixels():
    image = enlarge(np.eye(28), scale=8)
    assert image.shape == (224, 224, 3) and image.dtype == np.uint8
    assert image[4, 4].tolist() == [255, 255, 255]  # inside the first lit pixel
    weights = weight_image(np.linspace(-1, 1, 784))
    assert weights.shape == (112, 112, 3)
    assert weights[0, 0].tolist() == [0, 114, 178] and weights[-1, -1].tolist() == [213, 94, 0]


def test_save_model_for_picker_listing(tmp_path):
    save_model(tmp_path / "x.npz", random_mlp(), {"name": "x", "metrics": {"test_accuracy": 0.5}})
    choices = model_menu(tmp_path, []).choices
    assert choices[1].label.startswith("x (50.0%")


def test_the_class_score_is_read_again_only_when_drawings_labels_or_model_change(
    small_mnist, monkeypatch
):
    from mnist_core.presentation import class_wall
    from mnist_core.storage.drawings import Collection
    from tests.test_network import random_mlp

    reads = []
    monkeypatch.setattr(class_wall, "evaluate", lambda *args: reads.append(args) or evaluate(*args))
    cache = class_wall.ScoreCache(size=2)
    images = (small_mnist.x_test[:6].reshape(-1, 28, 28) * 255).astype(np.uint8)
    labels = small_mnist.y_test[:6].astype(np.uint8)

    def collection(n, relabel=False, redrawn=False):
        kept, pixels = labels[:n].copy(), images[:n].copy()
        if relabel:
            kept[0] = (kept[0] + 1) % 10
        if redrawn:  # taken back and drawn again: SQLite may give the new row the same id
            pixels[-1] = images[-1]
        return Collection(np.arange(n), pixels, kept, np.full(n, -1, np.int16))

    a, b = random_mlp(seed=1), random_mlp(seed=2)
    first = cache.get(a, collection(5))
    assert cache.get(a, collection(5)) is first and len(reads) == 1
    assert cache.get(a, collection(6)).confusion.sum() == 6  # a new drawing
    assert cache.get(a, collection(6, relabel=True)) is not None  # a label changed
    assert cache.get(a, collection(5, redrawn=True)) is not first  # the same ids redrawn
    assert cache.get(b, collection(6)) is not None  # another model
    assert len(reads) == 5
