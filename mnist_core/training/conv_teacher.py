"""A small convolutional network to teach the bundled MLP: trained here, in TensorFlow, and
never served.

A dense network reads a digit as 784 separate pixels; a convolutional one sees strokes
wherever they are, so on the same augmented images it reads more of MNIST (validation
99.4-99.5% against 99.3% for the best MLP). Digit Lab serves MLPs only (NumPy, fast,
explainable), so the CNN's knowledge reaches the app by distillation: the MLP learns its
answers (`train --teacher FILE`). Several networks trained apart from other seeds are kept
in one file; a teacher's answer is their averaged logits. The file is an .npz of arrays and
a JSON metadata string, read without pickle (teacher_files.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime

import keras
import numpy as np
import tensorflow as tf

from mnist_core.dataset import Split

from .augment import Augmenter
from .batches import BatchGenerator
from .conv_net import ConvTeacher
from .optimizers import cosine_rate
from .styles import with_styles
from .teacher_config import TeacherConfig
from .teacher_files import ARRAYS, FORMAT


def network(config: TeacherConfig) -> keras.Sequential:
    """conv 5x5 - pool - conv 5x5 - pool - dense - dropout - 10 logits: ARRAYS's layout."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(config.channels, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(2 * config.channels, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(config.hidden, activation="relu"),
            layers.Dropout(config.dropout),
            layers.Dense(10),
        ]
    )


def train_member(
    config: TeacherConfig, split: Split, seed: int, log: Callable[[str], None]
) -> list[np.ndarray]:
    """One member, trained on the split's (styled) training images, freshly augmented in
    every batch exactly as the MLP presets augment them; its weights in ARRAYS's order."""
    keras.utils.set_random_seed(seed)
    model = network(config)
    optimizer = keras.optimizers.Adam(config.learning_rate)
    augment = Augmenter(seed)
    loss_of = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x: tf.Tensor, y: tf.Tensor, rate: tf.Tensor) -> tf.Tensor:
        optimizer.learning_rate.assign(rate)
        x = tf.reshape(augment(x), (-1, 28, 28, 1))
        with tf.GradientTape() as tape:
            loss = loss_of(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    batches = BatchGenerator(split.x_train, split.y_train.astype(np.int32), config.batch_size, seed)
    total = config.epochs * batches.num_batches
    done = 0
    for epoch in range(1, config.epochs + 1):
        began = time.perf_counter()
        for x, y in batches:
            rate = cosine_rate(config.learning_rate, done, total)
            loss = step(tf.constant(x), tf.constant(y), tf.constant(rate, tf.float32))
            done += 1
        val = accuracy(model.predict(split.x_val.reshape(-1, 28, 28, 1), verbose=0), split.y_val)
        log(
            f"seed {seed} epoch {epoch}: loss {float(loss):.4f}  val {val:.2%}  "
            f"{time.perf_counter() - began:.0f} s"
        )
    return [np.asarray(w, np.float32) for w in model.get_weights()]


def accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(logits, axis=1) == labels))


def train_teacher(
    config: TeacherConfig, split: Split, log: Callable[[str], None]
) -> tuple[dict[str, np.ndarray], dict]:
    """Every member, trained one after the other; the arrays and what the file records
    (validation accuracy of each member and of their average)."""
    config.validate()
    styled = with_styles(split, config.seed)
    began = time.perf_counter()
    members = [train_member(config, styled, config.seed + m, log) for m in range(config.members)]
    arrays = {key: np.stack(ws) for key, ws in zip(ARRAYS, zip(*members))}
    teacher = ConvTeacher(arrays)
    x_val = tf.constant(split.x_val)
    alone = [ConvTeacher({k: a[m : m + 1] for k, a in arrays.items()}) for m in range(len(members))]
    each = [accuracy(member.logits(x_val).numpy(), split.y_val) for member in alone]
    record = {
        "format": FORMAT,
        "config": asdict(config),
        "val_accuracy": accuracy(teacher.logits(x_val).numpy(), split.y_val),
        "member_val_accuracy": each,
        "validation_images": len(split.x_val),
        "train_seconds": round(time.perf_counter() - began, 1),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return arrays, record
