"""The convolutional teacher's forward pass in plain TensorFlow operations (no Keras), so
that the distillation's XLA-compiled loop can run it on every batch (conv_teacher.py trains
it in Keras)."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from .teacher_files import ARRAYS


class ConvTeacher:
    """The members' averaged logits as TensorFlow operations (no Keras), so that the
    distillation's XLA-compiled training loop can run the teacher on every batch."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.members = [
            [tf.constant(arrays[key][m]) for key in ARRAYS] for m in range(len(arrays["C0"]))
        ]

    def logits(self, flat_images: tf.Tensor) -> tf.Tensor:
        x = tf.reshape(flat_images, (-1, 28, 28, 1))
        return tf.add_n([_member_logits(x, w) for w in self.members]) / len(self.members)


def _member_logits(x: tf.Tensor, weights: list[tf.Tensor]) -> tf.Tensor:
    c0, b0, c1, b1, w0, d0, w1, d1 = weights
    x = tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, c0, 1, "SAME") + b0), 2, 2, "VALID")
    x = tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, c1, 1, "SAME") + b1), 2, 2, "VALID")
    x = tf.nn.relu(tf.matmul(tf.reshape(x, (tf.shape(x)[0], -1)), w0) + d0)
    return tf.matmul(x, w1) + d1
