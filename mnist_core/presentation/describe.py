"""Training runs in words and tables, as the Train page shows them to a student."""

from __future__ import annotations

from babel.lists import format_list

from mnist_core.i18n.translator import Translator, english
from mnist_core.presets import run_name
from mnist_core.runs.registry import RunView
from mnist_core.runs.states import (
    CANCELLED,
    DIVERGED,
    FAILED,
    FINISHED,
    INTERRUPTED,
    QUEUED,
    RUNNING,
    STARTING,
    STOPPED,
)
from mnist_core.serving.model_listing import ModelInfo

from .verdict import verdict

ENGLISH = english()


def state_name(state: str, tr: Translator = ENGLISH) -> str:
    """A run's state as a word in the visitor's language (an unknown one as it is)."""
    names = {
        # Translators: the state of a training run, shown alone or before a colon.
        QUEUED: tr("queued"),
        STARTING: tr("starting"),
        RUNNING: tr("running"),
        FINISHED: tr("finished"),
        STOPPED: tr("stopped"),
        # Translators: the state of a run stopped while it waited: nothing was trained.
        CANCELLED: tr("cancelled"),
        # Translators: the state of a run whose loss became NaN or infinite.
        DIVERGED: tr("diverged"),
        FAILED: tr("failed"),
        # Translators: the state of a run cut off when its server stopped.
        INTERRUPTED: tr("interrupted"),
        # Translators: the state of a saved model file in the table of runs.
        "saved": tr("saved"),
    }
    return names.get(state, state)


def run_title(run: RunView, tr: Translator = ENGLISH) -> str:
    """ "Run 3: lesson": how the page and its lists name a run."""
    # Translators: {id} is the run's number, {name} its name (a preset's or the student's).
    return tr("Run {id}: {name}", id=run.id, name=tr.render(run_name(run.name)))


def saved_title(info: ModelInfo, tr: Translator = ENGLISH) -> str:
    # Translators: a saved model in the list of runs to compare; {name} is its name.
    return tr("Saved: {name}", name=info.name)


def listing(items: list[str], tr: Translator = ENGLISH) -> str:
    """Several words as the language lists them: "a, b, c" in English, "a, b und c" in German."""
    try:
        return format_list(items, style="standard-narrow", locale=tr.locale)
    except (KeyError, ValueError):  # a locale without that style
        return format_list(items, locale=tr.locale)


def status_text(run: RunView, tr: Translator = ENGLISH) -> str:
    """One line that names the state, where the run is, and its latest loss."""
    if run.state == QUEUED and run.queue_position is None:  # in another server's line
        return tr("queued: waiting for a free slot on the server it was started on")
    if run.state == QUEUED:
        return tr(
            "queued: number {position} in line, waiting for a free slot",
            position=run.queue_position,
        )
    if run.state == STARTING:
        return tr("starting: loading TensorFlow and the MNIST images")
    where = _where(run, tr)
    if run.state == RUNNING:
        return tr("running: {where}", where=where or tr("the first steps"))
    state = state_name(run.state, tr)
    # Translators: {state} is a run's state (finished, stopped...), {where} where it got to.
    return tr("{state}: {where}", state=state, where=where) if where else state


def _where(run: RunView, tr: Translator) -> str:
    started, last = run.started, run.last_batch
    if started is None or last is None:
        return ""
    return tr(
        # Translators: an epoch is one pass over all the training images; a step one update
        # of the weights; the loss how wrong the network is.
        "epoch {epoch} of {epochs}, step {step} of {steps}, loss {loss}",
        epoch=last.epoch,
        epochs=started.epochs,
        step=tr.number(last.step),
        steps=tr.number(started.total_steps),
        loss=tr.number(last.loss, 4),
    )


def progress(run: RunView, tr: Translator = ENGLISH) -> tuple[float, str]:
    """Fraction done, and a line with speed and time left."""
    started, last = run.started, run.last_batch
    if started is None or last is None:
        return 0.0, ""
    fraction = min(last.step / started.total_steps, 1.0)
    speed = tr.number(last.samples_per_second, 0)
    left = seconds_left(run)
    if left is not None and run.active:
        return fraction, tr(
            "{speed} images a second, about {time} left",
            speed=speed,
            time=format_duration(left, tr),
        )
    return fraction, tr("{speed} images a second", speed=speed)


def seconds_left(run: RunView) -> float | None:
    started, last = run.started, run.last_batch
    if started is None or last is None or last.step == 0:
        return None
    return last.elapsed / last.step * (started.total_steps - last.step)


def format_duration(seconds: float, tr: Translator = ENGLISH) -> str:
    seconds = round(seconds)
    if seconds < 60:
        # Translators: a duration in seconds, abbreviated.
        return tr("{seconds} s", seconds=seconds)
    minutes, seconds = divmod(seconds, 60)
    padded = str(seconds).zfill(2)
    # Translators: a duration in minutes and seconds, abbreviated ("2 min 05 s").
    return tr("{minutes} min {seconds} s", minutes=minutes, seconds=padded)


def rough_duration(seconds: float, tr: Translator = ENGLISH) -> str:
    """An estimate as round as it is sure: "about 15 minutes", not "14 min 52 s"."""
    if seconds < 60:
        return tr("less than a minute")
    minutes = round(seconds / 60)
    if minutes < 90:
        return tr.plural(
            "about {minutes} minute", "about {minutes} minutes", minutes, minutes=tr.number(minutes)
        )
    return tr("about {hours} hours", hours=tr.number(seconds / 3600, 1))


def started_by(run: RunView, session: str, tr: Translator = ENGLISH) -> str:
    """Who started a run, as the one looking at it says it: "you", "the teacher" (or the
    server itself, as the teacher's command line does), or "another student"."""
    if session and run.owner == session:
        # Translators: who started a run, after "by" (see "{state} · by {who}").
        return tr("you")
    if run.by_teacher or not run.owner:
        return tr("the teacher")
    return tr("another student")


def state_word(run: RunView, tr: Translator = ENGLISH) -> str:
    """The run's state, and "did not learn" for one that ended without learning."""
    state = state_name(run.state, tr)
    # Translators: {state} is how a run ended (finished, stopped).
    return tr("{state}, did not learn", state=state) if verdict(run) else state


def run_caption(run: RunView, session: str, tr: Translator = ENGLISH) -> str:
    """What the run list says under a run's name: state, accuracy, who started it. (Apart
    from the name, which must not change: a list picks its choice by the name's text.)"""
    state, who = state_word(run, tr), started_by(run, session, tr)
    if run.result:
        return tr(
            # Translators: under a run's name in the list: its state, test accuracy, starter.
            "{state} · {accuracy} · by {who}",
            state=state,
            accuracy=tr.percent(run.result.evaluation.accuracy, 1),
            who=who,
        )
    return tr("{state} · by {who}", state=state, who=who)


def column_labels(tr: Translator = ENGLISH) -> dict[str, str]:
    """The comparison table's column headers in the visitor's language, by column key."""
    return {
        # Translators: column headers of the table that compares training runs.
        "name": tr("name"),
        "state": tr("state"),
        "test accuracy": tr("test accuracy"),
        "started by": tr("started by"),
        "final loss": tr("final loss"),
        "seconds": tr("seconds"),
        # Translators: column header: the layer sizes, such as 784-512-10.
        "layers": tr("layers"),
        "optimizer": tr("optimizer"),
        "learning rate": tr("learning rate"),
        # Translators: column header: how mistakes are scored (the loss function).
        "loss": tr("loss"),
        # Translators: column header: the batch size, images per step.
        "batch": tr("batch"),
        # Translators: column header: passes over all the training images.
        "epochs": tr("epochs"),
        # Translators: column header: whether it practised on varied (augmented) digits.
        "augment": tr("augment"),
        # Translators: column header: written by hand or with Keras.
        "engine": tr("engine"),
    }


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


def comparison_rows(
    runs: list[RunView], saved: list[ModelInfo], session: str = "", tr: Translator = ENGLISH
) -> list[dict]:
    """One row per run of this server and per saved model: what matters most first (name,
    state, test accuracy, who), then the settings. The keys stay English (column_labels
    gives the headers)."""
    rows = []
    for run in runs:
        result = run.result
        rows.append(
            {
                "name": run_title(run, tr),
                "state": state_word(run, tr),
                "test accuracy": result.evaluation.accuracy if result else None,
                "started by": started_by(run, session, tr),
                "final loss": run.losses[-1][1] if run.losses else None,
                "seconds": round(result.seconds, 1) if result else None,
                **_settings(run.config.to_dict()),
            }
        )
    for info in saved:
        rows.append(
            {
                "name": saved_title(info, tr),
                "state": state_name(info.status, tr),
                "test accuracy": info.test_accuracy,
                "started by": tr("saved model"),
                "final loss": info.losses[-1][1] if info.losses else None,
                "seconds": info.train_seconds,
                **_settings(info.config),
            }
        )
    return rows


def loss_curves(
    runs: list[RunView], saved: list[ModelInfo], tr: Translator = ENGLISH
) -> dict[str, list[list[float]]]:
    """Each run's and saved model's (step, loss) points, by the name the table uses."""
    curves = {run_title(r, tr): [list(p) for p in r.losses] for r in runs if r.losses}
    for info in saved:
        if info.losses:
            curves[saved_title(info, tr)] = [list(p) for p in info.losses]
    return curves
