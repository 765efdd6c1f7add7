"""The from-scratch engine: NaiveSequential, GradientTape and a hand-written update.

One XLA-compiled call runs many training steps: a loop inside the compiled function gathers
each batch itself from the training images, which stay on the device, through a shuffled
index table, and does the forward pass, loss, gradients and update of the reference's
`one_training_step` and `update_weights`. Leaving Python once per call instead of once per
step is what makes it faster than `model.fit`. The call returns every step's loss, so the
events are the same as with one call per step, and calls are sized to take about
`CALL_SECONDS`, so a stop request waits no longer than that.
"""

from __future__ import annotations

import time

import numpy as np
import tensorflow as tf

from mnist_core.config import TrainConfig
from mnist_core.dataset import Split
from mnist_core.runs.states import DIVERGED, FINISHED, FINISHED_MESSAGE, STOPPED, STOPPED_MESSAGE
from mnist_core.serving.network import MLP

from .augment import Augmenter
from .batches import BatchGenerator
from .conv_net import ConvTeacher
from .layers import NaiveSequential
from .objectives import Answers, Objective
from .optimizers import OPTIMIZER_CLASSES, learning_rate_at
from .reporter import LastGoodWeights, Reporter
from .teacher_answers import TeacherAnswers

MAX_STEPS_PER_CALL = 256  # the length of the loss vector one compiled call returns
CALL_SECONDS = 0.25  # what one call aims to take: how long a stop request or a curve waits


def make_training_loop(
    model: NaiveSequential,
    optimizer,
    batch_size: int,
    augment: Augmenter | None,
    objective: Objective,
    taught: bool = False,
):
    """The compiled call: up to MAX_STEPS_PER_CALL training steps, ended early by a loss
    that is not finite. It returns the number of steps run and a (2, MAX_STEPS_PER_CALL)
    array of each step's loss and correct answers (zeros past the last step run).

    `taught` (distillation): the images come augmented already, with the teachers'
    averaged answer to each (`answers`, teacher_answers.py), and each image's loss compares
    the network with that answer on the very image it sees, not only with its label: the
    answer holds what the teachers know between digits (a 7 that looks a little like a 1),
    so one network learns more of what they read than labels give.
    """
    params = model.weights
    positions = tf.range(batch_size)

    @tf.function(jit_compile=True)
    def train_steps(images, labels, answers, table, learning_rates, first, count, last_size, step):
        def keep_going(i, results):
            return tf.logical_and(i < count, tf.reduce_all(tf.math.is_finite(results[0])))

        def one_step(i, results):
            batch = first + i
            # tf.gather, not table[batch]: XLA would compile a slice for each `first`.
            index = tf.gather(table, batch)
            x = tf.gather(images, index)
            y = tf.gather(labels, index)
            if taught:
                targets = tf.gather(answers, index)
            else:
                x = x if augment is None else augment(x)
                targets = objective.targets(x)
            # The epoch's last batch may be short: its padding counts for nothing.
            size = tf.where(batch == tf.shape(table)[0] - 1, last_size, batch_size)
            real = tf.cast(positions < size, tf.float32)
            with tf.GradientTape() as tape:
                logits = model.logits(x)
                losses = objective(logits, targets, y, index)
                loss = tf.reduce_sum(losses * real) / tf.cast(size, tf.float32)
            grads = tape.gradient(loss, params)
            optimizer.apply(params, grads, tf.gather(learning_rates, i), step + i)
            hits = tf.cast(tf.equal(tf.argmax(logits, axis=1, output_type=tf.int32), y), tf.float32)
            results = tf.tensor_scatter_nd_update(
                results, [[0, i], [1, i]], tf.stack([loss, tf.reduce_sum(hits * real)])
            )
            return i + 1, results

        return tf.while_loop(
            keep_going,
            one_step,
            (tf.constant(0), tf.zeros((2, MAX_STEPS_PER_CALL))),
            maximum_iterations=MAX_STEPS_PER_CALL,
        )

    return train_steps


class CallSizer:
    """How many steps the next compiled call runs: doubling from one (the first call also
    compiles), up to what fits in CALL_SECONDS at the speed measured so far."""

    def __init__(self) -> None:
        self.steps = 1

    def next(self, remaining: int) -> int:
        return min(self.steps, remaining)

    def took(self, seconds: float, steps: int) -> None:
        fits = int(CALL_SECONDS * steps / max(seconds, 1e-9))
        self.steps = max(1, min(2 * self.steps, fits, MAX_STEPS_PER_CALL))


def teacher_model(teacher: MLP | ConvTeacher) -> Answers:
    """What the training loop runs to hear a teacher: an MLP as TensorFlow layers, a
    convolutional teacher as it is."""
    return NaiveSequential.from_mlp(teacher) if isinstance(teacher, MLP) else teacher


def accuracy_on(model: NaiveSequential, images: np.ndarray, labels: np.ndarray) -> float | None:
    if len(images) == 0:
        return None
    predictions = tf.argmax(model.logits(tf.constant(images)), axis=1).numpy()
    return float(np.mean(predictions == labels))


def run(
    config: TrainConfig,
    data: Split,
    reporter: Reporter,
    start: MLP | None = None,
    teachers: list[MLP | ConvTeacher] | None = None,
) -> tuple[str, MLP, str]:
    """Train from `start`'s weights, or random ones, on the labels or (with `teachers`) on
    the teachers' averaged answers; return (status, network, message). The network is the
    last finite one."""
    if start is None:
        model = NaiveSequential.build(config.layer_sizes, config.init, config.output, config.seed)
    else:
        model = NaiveSequential.from_mlp(start)
    optimizer = OPTIMIZER_CLASSES[config.optimizer](model.weights)
    augment = Augmenter(config.seed) if config.augment else None
    teaching = None
    if teachers:
        lessons = [teacher_model(t) for t in teachers]
        teaching = TeacherAnswers(lessons, augment, config.temperature)
    # Fine-tuning that remembers: a frozen copy of the start model answers on MNIST images.
    anchor = (
        NaiveSequential.from_mlp(start) if start is not None and config.remember_weight else None
    )
    mnist_count = len(data.x_train) - data.class_count
    objective = Objective(config, model.output, teaching is not None, anchor, mnist_count)
    train_steps = make_training_loop(
        model, optimizer, config.batch_size, augment, objective, teaching is not None
    )
    labels = data.y_train.astype(np.int32)
    batches = BatchGenerator(data.x_train, labels, config.batch_size, config.seed)
    images, labels = tf.constant(data.x_train), tf.constant(labels)
    answers = tf.zeros((1, 1))  # the teachers' answers, each epoch's, when there are teachers
    sizes = [config.batch_size] * (batches.num_batches - 1) + [batches.last_batch_size]
    total_steps = config.epochs * reporter.steps_per_epoch
    last_good = LastGoodWeights(model.to_mlp())
    sizer = CallSizer()
    reporter.start()
    for _ in range(config.epochs):
        table = tf.constant(batches.index_table())
        if teaching is not None:  # its time counts as training time, as augmenting does
            images, answers = teaching.epoch(data.x_train)
        correct = 0.0
        done = 0
        while done < batches.num_batches:
            if reporter.stop_requested():
                return STOPPED, model.to_mlp(), STOPPED_MESSAGE
            count = sizer.next(batches.num_batches - done)
            rates = np.zeros(MAX_STEPS_PER_CALL, np.float32)
            rates[:count] = [
                learning_rate_at(config, reporter.step + k, total_steps) for k in range(count)
            ]
            # As one tensor, not Python numbers: a new number would trace a new function.
            at = tf.constant([done, count, batches.last_batch_size, reporter.step])
            began = time.perf_counter()
            ran, results = train_steps(images, labels, answers, table, rates, *at)
            losses, hits = results.numpy()[:, : int(ran)]
            sizer.took(time.perf_counter() - began, len(losses))
            finite = int(np.isfinite(losses).sum())  # a loss that is not finite ends the call
            if finite:
                reporter.batches_done(losses[:finite].tolist(), sizes[done : done + finite])
                last_good.loss_was_finite(reporter.step)
            if finite < len(losses):
                return DIVERGED, last_good.network, reporter.divergence_message(last_good.step)
            last_good.keep(reporter.step, model.to_mlp)
            reporter.offer_weights(model.to_mlp)
            correct += float(hits.sum())
            done += len(losses)
        with reporter.paused():
            val_accuracy = accuracy_on(model, data.x_val, data.y_val)
            class_accuracy = (
                None if data.x_class is None else accuracy_on(model, data.x_class, data.y_class)
            )
        reporter.epoch_done(
            float(correct / len(data.x_train)), val_accuracy, class_accuracy, model.to_mlp
        )
    return FINISHED, model.to_mlp(), FINISHED_MESSAGE
