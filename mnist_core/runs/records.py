"""A run as the database keeps it, and back: what the Train page shows after a restart.

The loss curve is thinned so a long run stays small; the final evaluation keeps its figures
(accuracy, per digit, confusions), not its per-image arrays; the weights live in a
checkpoint file beside the database.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np

from mnist_core.config import TrainConfig
from mnist_core.i18n import Message, Number, msg
from mnist_core.serving.evaluation import Evaluation
from mnist_core.storage.runs import RunRecord

from .events import BatchEnd, EpochEnd, RunEnded, RunStarted
from .history import History
from .result import TrainResult
from .states import ACTIVE_STATES, INTERRUPTED
from .wording import from_text, to_text

MAX_LOSS_POINTS = 500  # a curve's points kept in the database, first and last included


def thinned(losses: list[tuple[int, float]]) -> list[list[float]]:
    """At most MAX_LOSS_POINTS evenly spread points of the curve, the last one always kept."""
    if len(losses) <= MAX_LOSS_POINTS:
        return [list(point) for point in losses]
    every = -(-len(losses) // (MAX_LOSS_POINTS - 1))
    kept = losses[::every]
    if kept[-1] != losses[-1]:
        kept.append(losses[-1])
    return [list(point) for point in kept]


def to_record(view, history: History, server: str | None = None) -> RunRecord:
    """A run's state now (a RunView and its History), as one database row; `server`: the
    app server that trains it."""
    return RunRecord(
        id=view.id,
        name=view.name,
        preset=view.preset,
        config=view.config.to_dict(),
        owner=view.owner,
        by_teacher=view.by_teacher,
        state=view.state,
        message=to_text(view.said),
        created=view.created,
        history={
            "started": _plain(history.started),
            "loss": thinned(history.losses),
            "epochs": [asdict(e) for e in history.epochs],
            "last_batch": _plain(history.last_batch),
            "ended": _plain(history.ended),
        },
        result=None if view.result is None else _result_figures(view.result),
        checkpoint=view.checkpoint,
        checkpoint_step=view.checkpoint_step,
        server=server,
    )


def from_record(record: RunRecord, cut_off: bool = True) -> tuple[dict, History]:
    """The fields of a RunView, and its History, from a row. A run that was waiting or
    training when its server stopped (`cut_off`) is now interrupted, with what it had kept;
    one whose server is still there shows the state it wrote last."""
    kept = record.history
    history = History(
        started=_event(RunStarted, kept.get("started")),
        losses=[(int(step), float(loss)) for step, loss in kept.get("loss", [])],
        epochs=[EpochEnd(**e) for e in kept.get("epochs", [])],
        last_batch=_event(BatchEnd, kept.get("last_batch")),
        ended=_event(RunEnded, kept.get("ended")),
    )
    config = TrainConfig.from_dict(record.config)
    state, said = record.state, from_text(record.message)
    if state in ACTIVE_STATES and cut_off:
        state, said = INTERRUPTED, interrupted_message(record, history, config)
    fields = {
        "id": record.id,
        "name": record.name,
        "preset": record.preset,
        "config": config,
        "state": state,
        "created": record.created,
        "message": str(said),
        "said": said,
        "owner": record.owner,
        "by_teacher": record.by_teacher,
        "checkpoint": record.checkpoint,
        "checkpoint_step": record.checkpoint_step,
        "live_step": record.checkpoint_step,
        "result": None if record.result is None else _result(record.result, config, history),
    }
    return fields, history


def interrupted_message(record: RunRecord, history: History, config: TrainConfig) -> Message:
    epoch = min(len(history.epochs) + 1, config.epochs)
    kept = (
        msg("the weights after step {step} are kept", step=Number(record.checkpoint_step))
        if record.checkpoint
        else msg("it had not kept any weights yet")
    )
    return msg(
        # Translators: an epoch is one pass over all the training images.
        "Interrupted at epoch {epoch} of {epochs} when the server stopped; {kept}.",
        epoch=epoch,
        epochs=config.epochs,
        kept=kept,
    )


def _plain(event: object) -> dict | None:
    return None if event is None else asdict(event)


def _event(kind: type, data: dict | None):
    return None if data is None else kind(**data)


def _result_figures(result: TrainResult) -> dict:
    return {
        "status": result.status,
        "message": to_text(result.message),
        "evaluation": result.evaluation.to_dict(),
        "class_evaluation": result.class_evaluation and result.class_evaluation.to_dict(),
        "class_accuracy_before": result.class_accuracy_before,
        "test_accuracy_before": result.test_accuracy_before,
        "seconds": result.seconds,
        "samples_per_second": result.samples_per_second,
        "data_source": result.data_source,
    }


def _evaluation(figures: dict) -> Evaluation:
    empty = np.empty(0, np.int64)
    return Evaluation(
        accuracy=float(figures["test_accuracy"]),
        per_class_accuracy=tuple(figures["per_class_accuracy"]),
        confusion=np.asarray(figures["confusion"], np.int64),
        misclassified=empty,
        predictions=empty,
    )


def _result(figures: dict, config: TrainConfig, history: History) -> TrainResult:
    class_figures = figures.get("class_evaluation")
    return TrainResult(
        status=figures["status"],
        message=from_text(figures["message"]),
        network=None,  # in the checkpoint file
        config=config,
        history=history,
        evaluation=_evaluation(figures["evaluation"]),
        seconds=figures["seconds"],
        samples_per_second=figures["samples_per_second"],
        data_source=figures["data_source"],
        class_evaluation=None if class_figures is None else _evaluation(class_figures),
        class_accuracy_before=figures.get("class_accuracy_before"),
        test_accuracy_before=figures.get("test_accuracy_before"),
    )
