"""The from-scratch engine: NaiveSequential, GradientTape and a hand-written update.

The training step is one XLA-compiled function: forward pass, loss, gradients and the
update, as the reference's `one_training_step` and `update_weights` did by hand.
"""

from __future__ import annotations

import math

import numpy as np
import tensorflow as tf

from mnist_core.config import NUM_CLASSES, TrainConfig
from mnist_core.dataset import Split
from mnist_core.runs.states import DIVERGED, FINISHED, FINISHED_MESSAGE, STOPPED, STOPPED_MESSAGE
from mnist_core.serving.network import MLP

from .augment import Augmenter
from .batches import BatchGenerator
from .layers import NaiveSequential
from .optimizers import OPTIMIZER_CLASSES
from .reporter import LastGoodWeights, Reporter


def loss_function(kind: str):
    """Mean loss over the batch, from the last layer's pre-activation (logits)."""
    if kind == "cross_entropy":

        def cross_entropy(logits, labels, output):
            # Softmax then log, done together: the stable form of the reference's
            # sparse categorical cross-entropy on softmax outputs.
            return tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
            )

        return cross_entropy

    def mean_squared_error(logits, labels, output):
        predictions = tf.nn.softmax(logits) if output == "softmax" else logits
        return tf.reduce_mean(tf.square(tf.one_hot(labels, NUM_CLASSES) - predictions))

    return mean_squared_error


def make_training_step(model: NaiveSequential, optimizer, loss_kind: str):
    compute_loss = loss_function(loss_kind)
    params = model.weights

    @tf.function(jit_compile=True)
    def one_training_step(images, labels, learning_rate, step):
        with tf.GradientTape() as tape:
            logits = model.logits(images)
            loss = compute_loss(logits, labels, model.output)
        grads = tape.gradient(loss, params)
        optimizer.apply(params, grads, learning_rate, step)
        correct = tf.reduce_sum(
            tf.cast(
                tf.equal(tf.argmax(logits, axis=1, output_type=tf.int32), labels),
                tf.float32,
            )
        )
        return tf.stack([loss, correct])

    return one_training_step


def learning_rate_at(config: TrainConfig, step: int, total_steps: int) -> float:
    if config.lr_schedule == "cosine":
        return config.learning_rate * 0.5 * (1.0 + math.cos(math.pi * min(step / total_steps, 1.0)))
    return config.learning_rate


def accuracy_on(model: NaiveSequential, images: np.ndarray, labels: np.ndarray) -> float | None:
    if len(images) == 0:
        return None
    predictions = tf.argmax(model.logits(tf.constant(images)), axis=1).numpy()
    return float(np.mean(predictions == labels))


def run(
    config: TrainConfig, data: Split, reporter: Reporter, start: MLP | None = None
) -> tuple[str, MLP, str]:
    """Train from `start`'s weights, or random ones; return (status, network, message).
    The network is the last finite one."""
    if start is None:
        model = NaiveSequential.build(config.layer_sizes, config.init, config.output, config.seed)
    else:
        model = NaiveSequential.from_mlp(start)
    optimizer = OPTIMIZER_CLASSES[config.optimizer](model.weights)
    one_training_step = make_training_step(model, optimizer, config.loss)
    augment = Augmenter(config.seed) if config.augment else None
    batches = BatchGenerator(
        data.x_train, data.y_train.astype(np.int32), config.batch_size, config.seed
    )
    total_steps = config.epochs * reporter.steps_per_epoch
    last_good = LastGoodWeights(model.to_mlp(), config.report_every)
    reporter.start()
    for _ in range(config.epochs):
        correct = 0.0
        seen = 0
        for images, labels in batches:
            if reporter.stop_requested():
                return STOPPED, model.to_mlp(), STOPPED_MESSAGE
            x = tf.constant(images)
            if augment is not None:
                x = augment(x)
            lr = learning_rate_at(config, reporter.step, total_steps)
            loss, n_correct = one_training_step(
                x, labels, tf.constant(lr, tf.float32), tf.constant(reporter.step)
            ).numpy()
            if not np.isfinite(loss):
                return DIVERGED, last_good.network, reporter.divergence_message(last_good.step)
            reporter.batch_done(float(loss), len(labels))
            last_good.offer(reporter.step, model.to_mlp)
            reporter.offer_weights(model.to_mlp)
            correct += n_correct
            seen += len(labels)
        with reporter.paused():
            val_accuracy = accuracy_on(model, data.x_val, data.y_val)
            class_accuracy = (
                None if data.x_class is None else accuracy_on(model, data.x_class, data.y_class)
            )
        reporter.epoch_done(float(correct / seen), val_accuracy, class_accuracy)
    return FINISHED, model.to_mlp(), FINISHED_MESSAGE
