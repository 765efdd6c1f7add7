"""Training on MNIST with either engine. TensorFlow is imported from here down.

The command line, the tests and the app's training process call `train`; the Streamlit
server never imports this module.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter quiet

from collections.abc import Callable

import tensorflow as tf

from mnist_core.config import TrainConfig
from mnist_core.dataset import Mnist
from mnist_core.runs.events import Event
from mnist_core.runs.history import History
from mnist_core.runs.result import TrainResult
from mnist_core.serving.evaluation import evaluate

from . import keras_engine, scratch_engine
from .reporter import Reporter

ENGINE_RUNNERS = {"scratch": scratch_engine.run, "keras": keras_engine.run}


def limit_threads(threads: int) -> None:
    """Cap TensorFlow's thread pools; must run before TensorFlow's first operation."""
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)


def train(
    config: TrainConfig,
    data: Mnist,
    on_event: Callable[[Event], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    snapshot_every: float | None = None,
) -> TrainResult:
    """Train, report events as it goes, and evaluate on the test set at the end.

    With `snapshot_every` (seconds), the events include the weights that often.
    """
    config.validate(train_size=len(data.x_train))
    split = data.split_validation(config.validation_count(len(data.x_train)))
    history = History()

    def record(event: Event) -> None:
        history.add(event)
        if on_event is not None:
            on_event(event)

    reporter = Reporter(
        config, len(split.x_train), len(split.x_val), record, should_stop, snapshot_every
    )
    status, network, message = ENGINE_RUNNERS[config.engine](config, split, reporter)
    ended = reporter.end(status, message)
    return TrainResult(
        status=status,
        message=message,
        network=network,
        config=config,
        history=history,
        evaluation=evaluate(network, data.x_test, data.y_test),
        seconds=ended.elapsed,
        samples_per_second=ended.samples_per_second,
        data_source=data.source,
    )
