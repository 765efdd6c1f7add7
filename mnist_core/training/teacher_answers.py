"""A teacher's answers, worked out before each epoch on that epoch's varied images.

A convolutional teacher inside the compiled (XLA) training loop ran at 2.5 steps a second
here: XLA's CPU convolutions are many times slower than TensorFlow's own kernels. So, with a
teacher, each epoch's images are augmented first, in chunks (fresh variations every epoch,
as without a teacher), the teacher answers them with TensorFlow's kernels, and the loop then
gathers both, images and answers, instead of augmenting in the loop.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from .augment import Augmenter
from .objectives import Answers, softened

CHUNK = 1024  # images augmented and answered at a time: bounded memory, few calls


class TeacherAnswers:
    def __init__(
        self, teachers: list[Answers], augment: Augmenter | None, temperature: float
    ) -> None:
        self.teachers = teachers
        self.augment = augment
        self.temperature = temperature

    def epoch(self, images: np.ndarray) -> tuple[tf.Tensor, tf.Tensor]:
        """This epoch's varied images (all of them, in order) and the teachers' softened
        answers to each."""
        varied, answers = [], []
        for start in range(0, len(images), CHUNK):
            x = tf.constant(images[start : start + CHUNK])
            if self.augment is not None:
                x = self.augment(x)
            varied.append(x)
            answers.append(self._answer(x))
        return tf.concat(varied, 0), tf.concat(answers, 0)

    @tf.function(reduce_retracing=True)  # not jit-compiled: see the module's docstring
    def _answer(self, x: tf.Tensor) -> tf.Tensor:
        return softened(self.teachers, x, self.temperature)
