"""The app's training process: TensorFlow runs here, never in the Streamlit server.

The server starts `train_in_child` in a fresh (spawned) process and reads what it sends
down a pipe (through an `Outbox`): every training event, weight snapshots, then one final
message, `Finished` or `Failed`. Only `_train`'s body imports the training side, and with it
TensorFlow: the import contract in pyproject.toml allows exactly those two imports.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection

from mnist_core.config import ConfigError, TrainConfig
from mnist_core.dataset import ClassSet, DataError
from mnist_core.i18n import msg
from mnist_core.serving.evaluation import Mistakes, sample_mistakes
from mnist_core.serving.network import MLP

from .outbox import Outbox
from .result import TrainResult
from .wording import Said, reason


@dataclass(frozen=True)
class Finished:
    result: TrainResult
    mistakes: Mistakes


@dataclass(frozen=True)
class Failed:
    message: Said


@dataclass(frozen=True)
class ChildSettings:
    data_path: str | None  # None: $MNIST_PATH or Keras's download
    threads: int  # TensorFlow threads in the child
    niceness: int  # added to the child's nice value so the server answers first
    snapshot_every: float  # seconds between weight snapshots for live drawing


@dataclass(frozen=True)
class TrainingInputs:
    """What a run learns from besides MNIST, sent to the training process with its settings."""

    drawings: ClassSet | None = None  # the class's labelled drawings, when learning from them
    start: MLP | None = None  # the weights to start from; None for random ones
    logdir: str | None = None  # where to write TensorBoard event files; None for nowhere


def train_in_child(
    config: TrainConfig,
    settings: ChildSettings,
    connection: Connection,
    stop_event,
    inputs: TrainingInputs,
) -> None:
    """Entry point of the training process; everything it learns goes down `connection`."""
    _exit_with_parent()
    if settings.niceness:
        os.nice(settings.niceness)
    outbox = Outbox(connection)
    outbox.close(last=_train(config, settings, outbox, stop_event, inputs))


def _train(
    config: TrainConfig,
    settings: ChildSettings,
    outbox: Outbox,
    stop_event,
    inputs: TrainingInputs,
) -> object:
    """Train, sending events as they come; returns the last message, Finished or Failed."""
    try:
        from mnist_core.training.mnist import load_mnist
        from mnist_core.training.train import limit_threads, train

        limit_threads(settings.threads)
        data = load_mnist(settings.data_path)
        result = train(
            config,
            data,
            on_event=outbox.put,
            should_stop=stop_event.is_set,
            snapshot_every=settings.snapshot_every,
            drawings=inputs.drawings,
            start=inputs.start,
            logdir=inputs.logdir,
        )
        return Finished(result, sample_mistakes(result.evaluation, data.x_test, data.y_test))
    except (DataError, ConfigError) as exc:  # the user's to fix; the message says how
        return Failed(reason(exc))
    except Exception as exc:  # the page shows the reason; the traceback goes to the log
        traceback.print_exc()
        return Failed(
            # Translators: {kind} is the name of a Python exception; {error} what it says.
            msg("training crashed: {kind}: {error}", kind=type(exc).__name__, error=reason(exc))
        )


def _exit_with_parent() -> None:
    """A training process must not outlive the server that started it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
