"""Training runs in words and tables, as the Train page shows them to a student."""

from __future__ import annotations

from mnist_core.runs.registry import RunView
from mnist_core.runs.states import QUEUED, RUNNING, STARTING
from mnist_core.serving.model_listing import ModelInfo

from .verdict import verdict


def status_text(run: RunView) -> str:
    """One line that names the state, where the run is, and its latest loss."""
    if run.state == QUEUED and run.queue_position is None:  # in another server's line
        return "queued: waiting for a free slot on the server it was started on"
    if run.state == QUEUED:
        return f"queued: number {run.queue_position} in line, waiting for a free slot"
    if run.state == STARTING:
        return "starting: loading TensorFlow and the MNIST images"
    where = _where(run)
    if run.state == RUNNING:
        return f"running: {where or 'the first steps'}"
    return f"{run.state}: {where}" if where else run.state


def _where(run: RunView) -> str:
    started, last = run.started, run.last_batch
    if started is None or last is None:
        return ""
    return (
        f"epoch {last.epoch} of {started.epochs}, step {last.step:,} of "
        f"{started.total_steps:,}, loss {last.loss:.4f}"
    )


def progress(run: RunView) -> tuple[float, str]:
    """Fraction done, and a line with speed and time left."""
    started, last = run.started, run.last_batch
    if started is None or last is None:
        return 0.0, ""
    fraction = min(last.step / started.total_steps, 1.0)
    text = f"{last.samples_per_second:,.0f} images a second"
    left = seconds_left(run)
    if left is not None and run.active:
        text += f", about {format_duration(left)} left"
    return fraction, text


def seconds_left(run: RunView) -> float | None:
    started, last = run.started, run.last_batch
    if started is None or last is None or last.step == 0:
        return None
    return last.elapsed / last.step * (started.total_steps - last.step)


def format_duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


def rough_duration(seconds: float) -> str:
    """An estimate as round as it is sure: "about 15 minutes", not "14 min 52 s"."""
    if seconds < 60:
        return "less than a minute"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    return f"about {seconds / 3600:.1f} hours"


def started_by(run: RunView, session: str) -> str:
    """Who started a run, as the one looking at it says it: "you", "the teacher" (or the
    server itself, as the teacher's command line does), or "another student"."""
    if session and run.owner == session:
        return "you"
    if run.by_teacher or not run.owner:
        return "the teacher"
    return "another student"


def state_word(run: RunView) -> str:
    """The run's state, and "did not learn" for one that ended without learning."""
    return f"{run.state}, did not learn" if verdict(run) else run.state


def run_caption(run: RunView, session: str) -> str:
    """What the run list says under a run's name: state, accuracy, who started it. (Apart
    from the name, which must not change: a list picks its choice by the name's text.)"""
    accuracy = f" · {run.result.evaluation.accuracy:.1%}" if run.result else ""
    return f"{state_word(run)}{accuracy} · by {started_by(run, session)}"


def _settings(config: dict) -> dict:
    """The settings columns; a saved file's may hold anything, so each is checked."""
    hidden = config.get("hidden")
    layers = hidden if isinstance(hidden, list) and all(type(n) is int for n in hidden) else None

    def of(key: str, kind: type) -> object:
        value = config.get(key)
        return value if isinstance(value, kind) and not isinstance(value, bool) else None

    return {
        "layers": None if layers is None else "-".join(map(str, [784, *layers, 10])),
        "optimizer": of("optimizer", str),
        "learning rate": of("learning_rate", int | float),
        "loss": of("loss", str),
        "batch": of("batch_size", int),
        "epochs": of("epochs", int),
        "augment": config.get("augment") if isinstance(config.get("augment"), bool) else None,
        "engine": of("engine", str),
    }


def comparison_rows(runs: list[RunView], saved: list[ModelInfo], session: str = "") -> list[dict]:
    """One row per run of this server and per saved model: what matters most first (name,
    state, test accuracy, who), then the settings."""
    rows = []
    for run in runs:
        result = run.result
        rows.append(
            {
                "name": f"Run {run.id}: {run.name}",
                "state": state_word(run),
                "test accuracy": result.evaluation.accuracy if result else None,
                "started by": started_by(run, session),
                "final loss": run.losses[-1][1] if run.losses else None,
                "seconds": round(result.seconds, 1) if result else None,
                **_settings(run.config.to_dict()),
            }
        )
    for info in saved:
        rows.append(
            {
                "name": f"Saved: {info.name}",
                "state": info.status,
                "test accuracy": info.test_accuracy,
                "started by": "saved model",
                "final loss": info.losses[-1][1] if info.losses else None,
                "seconds": info.train_seconds,
                **_settings(info.config),
            }
        )
    return rows


def loss_curves(runs: list[RunView], saved: list[ModelInfo]) -> dict[str, list[list[float]]]:
    """Each run's and saved model's (step, loss) points, by the name the table uses."""
    curves = {f"Run {r.id}: {r.name}": [list(p) for p in r.losses] for r in runs if r.losses}
    for info in saved:
        if info.losses:
            curves[f"Saved: {info.name}"] = [list(p) for p in info.losses]
    return curves
