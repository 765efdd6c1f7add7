"""Training on MNIST with either engine. TensorFlow is imported from here down.

The command line, the tests and the app's training process call `train`; the Streamlit
server never imports this module.
"""

from __future__ import annotations

import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter quiet

from collections.abc import Callable

import tensorflow as tf

from mnist_core.config import ConfigError, TrainConfig
from mnist_core.dataset import ClassSet, Mnist
from mnist_core.runs.events import Event
from mnist_core.runs.history import History
from mnist_core.runs.result import TrainResult
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.network import MLP

from . import keras_engine, scratch_engine
from .class_mix import mix_in
from .conv_net import ConvTeacher
from .reporter import Reporter
from .styles import with_styles
from .tensorboard import TensorBoardLog

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
    drawings: ClassSet | None = None,
    start: MLP | None = None,
    logdir: str | os.PathLike | None = None,
    teachers: list[MLP | ConvTeacher] | None = None,
) -> TrainResult:
    """Train, report events as it goes, and evaluate on the test set at the end.

    With `snapshot_every` (seconds), the events include the weights that often. With the
    class's `drawings`, some of them are learnt from and the rest scored; with `start`, the
    network begins from those weights instead of random ones. With `logdir`, TensorBoard
    event files are written there as it goes. With `teachers` (the scratch engine only), it
    learns their averaged answers instead of the labels: distillation.
    """
    config.validate(train_size=len(data.x_train))
    check_start(config, start)
    if teachers and config.engine != "scratch":
        raise ConfigError("learning from a teacher model needs the scratch engine")
    split = data.split_validation(config.validation_count(len(data.x_train)))
    if config.augment:
        split = with_styles(split, config.seed)
    if config.class_data:
        if drawings is None:
            raise ConfigError("learning from the class needs the class's drawings")
        split = mix_in(split, drawings, config.seed, config.class_share)
    history = History()
    total_steps = config.epochs * math.ceil(len(split.x_train) / config.batch_size)
    board = None if logdir is None else TensorBoardLog(logdir, config, total_steps)

    def record(event: Event) -> None:
        history.add(event)
        if board is not None:
            board(event)
        if on_event is not None:
            on_event(event)

    reporter = Reporter(
        config,
        len(split.x_train),
        len(split.x_val),
        record,
        should_stop,
        snapshot_every,
        on_epoch_network=None if board is None else board.weights,
    )
    began = time.perf_counter()
    try:
        extra = {"teachers": teachers} if teachers else {}
        status, network, message = ENGINE_RUNNERS[config.engine](
            config, split, reporter, start, **extra
        )
        wall_clock = time.perf_counter() - began  # building, compiling and validating included
        ended = reporter.end(status, message)
    finally:
        if board is not None:
            board.close()
    held_out = split.x_class is not None
    return TrainResult(
        status=status,
        message=message,
        network=network,
        config=config,
        history=history,
        evaluation=evaluate(network, data.x_test, data.y_test),
        seconds=wall_clock,
        samples_per_second=ended.samples_per_second,
        data_source=data.source,
        class_evaluation=evaluate(network, split.x_class, split.y_class) if held_out else None,
        class_accuracy_before=(
            evaluate(start, split.x_class, split.y_class).accuracy
            if held_out and start is not None
            else None
        ),
        test_accuracy_before=(
            None if start is None else evaluate(start, data.x_test, data.y_test).accuracy
        ),
    )


def check_start(config: TrainConfig, start: MLP | None) -> None:
    """A network to start from must have the layers and output the settings name."""
    if start is None:
        return
    if start.layer_sizes != config.layer_sizes:
        raise ConfigError(
            f"the model to start from has layers {'-'.join(map(str, start.layer_sizes))}, "
            f"not {'-'.join(map(str, config.layer_sizes))}: use its layer sizes"
        )
    if start.output != config.output:
        raise ConfigError(f"the model to start from has a {start.output} output layer")
