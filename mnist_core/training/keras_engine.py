"""The Keras engine: the same configuration through Dense layers and model.fit.

It exists so a class can compare the from-scratch loop with the library that hides it. It is
compiled with `steps_per_execution`, Keras's own way to run many steps per call, sized so a
call stays well under a second. A callback, called once per call, turns Keras's running
averages back into the events the scratch engine emits (each step of a call gets the call's
mean loss: Keras does not say more) and stops the fit after the call when asked.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from mnist_core.config import NUM_CLASSES, TrainConfig
from mnist_core.dataset import Split
from mnist_core.runs.states import DIVERGED, FINISHED, FINISHED_MESSAGE, STOPPED, STOPPED_MESSAGE
from mnist_core.serving.network import MLP

from .augment import Augmenter
from .reporter import LastGoodWeights, Reporter

FLOPS_PER_CALL = 1e10  # about 0.3 s on two cores: how long a stop request may wait
MAX_STEPS_PER_EXECUTION = 32


def steps_per_execution(config: TrainConfig) -> int:
    """As many steps per compiled call as fit in FLOPS_PER_CALL (a step costs about six
    operations per weight per image), 32 at most."""
    per_step = 6 * config.parameter_count * config.batch_size
    return max(1, min(MAX_STEPS_PER_EXECUTION, int(FLOPS_PER_CALL // per_step)))


def _initializer(init: str, seed: int) -> keras.initializers.Initializer:
    return {
        "truncated_normal": lambda: keras.initializers.TruncatedNormal(stddev=0.1, seed=seed),
        "uniform": lambda: keras.initializers.RandomUniform(0.0, 0.1, seed=seed),
        "glorot": lambda: keras.initializers.GlorotUniform(seed=seed),
        "he": lambda: keras.initializers.HeNormal(seed=seed),
    }[init]()


def build_model(config: TrainConfig) -> keras.Sequential:
    layers: list = [keras.Input((config.layer_sizes[0],))]
    for i, width in enumerate(config.hidden):
        layers.append(
            keras.layers.Dense(
                width,
                activation="relu",
                kernel_initializer=_initializer(config.init, config.seed + i),
            )
        )
    layers.append(
        keras.layers.Dense(
            NUM_CLASSES,
            activation="softmax" if config.output == "softmax" else None,
            kernel_initializer=_initializer(config.init, config.seed + len(config.hidden)),
        )
    )
    return keras.Sequential(layers)


def _optimizer(config: TrainConfig, total_steps: int) -> keras.optimizers.Optimizer:
    lr = config.learning_rate
    if config.lr_schedule == "cosine":
        lr = keras.optimizers.schedules.CosineDecay(config.learning_rate, total_steps)
    return {
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
        "adam": keras.optimizers.Adam,
    }[config.optimizer](learning_rate=lr)


class EventCallback(keras.callbacks.Callback):
    """Reports through the shared Reporter; stops on request or on a non-finite loss."""

    def __init__(
        self, reporter: Reporter, batch_size: int, train_size: int, data: Split | None = None
    ) -> None:
        super().__init__()
        self.reporter = reporter
        self.data = data
        self.batch_size = batch_size
        self.train_size = train_size
        self.status = FINISHED
        self.message = FINISHED_MESSAGE
        self.last_good: LastGoodWeights | None = None
        self._loss_total = 0.0
        self._samples = 0
        self._steps = 0

    def on_train_begin(self, logs=None) -> None:
        self.last_good = LastGoodWeights(self.network())
        self.reporter.start()

    def network(self) -> MLP:
        return MLP.from_arrays(self.model.get_weights(), self.reporter.config.output)

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._loss_total = 0.0
        self._samples = 0
        self._steps = 0

    def on_train_batch_end(self, batch, logs=None) -> None:
        """Called after each compiled call; `batch` is the epoch's index of its last step."""
        # Keras counts a whole call's steps even where the epoch ends within it.
        size = min((batch + 1 - self._steps) * self.batch_size, self.train_size - self._samples)
        steps = -(-size // self.batch_size)
        # Keras logs the mean loss of the epoch so far; undo the averaging for this call.
        running_total = float(logs["loss"]) * (self._samples + size)
        loss = (running_total - self._loss_total) / size
        self._loss_total = running_total
        self._samples += size
        self._steps = batch + 1
        if not np.isfinite(loss):
            self._halt(DIVERGED, self.reporter.divergence_message(self.last_good.step))
            return
        sizes = [self.batch_size] * (steps - 1) + [size - (steps - 1) * self.batch_size]
        self.reporter.batches_done([loss] * steps, sizes)
        self.last_good.loss_was_finite(self.reporter.step)
        self.last_good.keep(self.reporter.step, self.network)
        self.reporter.offer_weights(self.network)
        if self.reporter.stop_requested():
            self._halt(STOPPED, STOPPED_MESSAGE)

    def on_test_begin(self, logs=None) -> None:
        self.reporter.pause()

    def on_test_end(self, logs=None) -> None:
        self.reporter.resume()

    def on_epoch_end(self, epoch, logs=None) -> None:
        if self.status != FINISHED:
            return
        val = logs.get("val_accuracy")
        self.reporter.epoch_done(
            float(logs["accuracy"]),
            None if val is None else float(val),
            self._class_accuracy(),
            self.network,
        )

    def _class_accuracy(self) -> float | None:
        """How many of the class's held-out drawings the network reads right now."""
        if self.data is None or self.data.x_class is None:
            return None
        with self.reporter.paused():
            scores = self.model.predict(self.data.x_class, verbose=0)
        return float(np.mean(scores.argmax(axis=1) == self.data.y_class))

    def _halt(self, status: str, message: object) -> None:
        self.status = status
        self.message = message
        self.model.stop_training = True


def run(
    config: TrainConfig, data: Split, reporter: Reporter, start: MLP | None = None
) -> tuple[str, MLP, str]:
    """Train with model.fit from `start`'s weights, or random ones; return (status, network,
    message)."""
    keras.utils.set_random_seed(config.seed)
    model = build_model(config)
    if start is not None:
        model.set_weights(start.to_arrays())
    total_steps = config.epochs * reporter.steps_per_epoch
    one_hot = config.loss == "mse"
    if one_hot:
        loss = "mean_squared_error"
        accuracy = keras.metrics.CategoricalAccuracy(name="accuracy")
    else:
        loss = "sparse_categorical_crossentropy"
        accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
    model.compile(
        optimizer=_optimizer(config, total_steps),
        loss=loss,
        metrics=[accuracy],
        steps_per_execution=steps_per_execution(config),
    )

    def targets(labels: np.ndarray) -> np.ndarray:
        return np.eye(NUM_CLASSES, dtype=np.float32)[labels] if one_hot else labels

    callback = EventCallback(reporter, config.batch_size, len(data.x_train), data)
    validation = (data.x_val, targets(data.y_val)) if len(data.x_val) else None
    if config.augment:
        augment = Augmenter(config.seed)
        train = (
            tf.data.Dataset.from_tensor_slices((data.x_train, targets(data.y_train)))
            .shuffle(len(data.x_train), seed=config.seed)
            .batch(config.batch_size)
            .map(lambda x, y: (augment(x), y))
            .prefetch(2)
        )
        model.fit(
            train,
            epochs=config.epochs,
            validation_data=validation,
            callbacks=[callback],
            verbose=0,
        )
    else:
        model.fit(
            data.x_train,
            targets(data.y_train),
            batch_size=config.batch_size,
            epochs=config.epochs,
            validation_data=validation,
            callbacks=[callback],
            shuffle=True,
            verbose=0,
        )
    network = callback.last_good.network if callback.status == DIVERGED else callback.network()
    return callback.status, network, callback.message
