"""What each training image's loss is: its label, a teacher's answer (distillation), or its
label plus the start model's own answer (fine-tuning that remembers MNIST).

Every case is one formula: `hard` times the labels' cross-entropy plus `soft` times the
divergence from a softened answer (the teachers' averaged logits, or the start model's,
divided by the temperature T, as probabilities), scaled by T squared so that its gradients
keep the size they have at T = 1 (Hinton et al. 2015). Fine-tuning counts the start model's
answer on MNIST's images only (Li and Hoiem 2016, learning without forgetting): on the
class's own drawings the labels alone teach what the start model got wrong.
"""

from __future__ import annotations

from typing import Protocol

import tensorflow as tf

from mnist_core.config import NUM_CLASSES, TrainConfig


class Answers(Protocol):
    """Anything whose logits the loop can compute on a batch: an MLP as TensorFlow layers,
    a convolutional teacher."""

    def logits(self, inputs: tf.Tensor) -> tf.Tensor: ...


def divergence(targets: tf.Tensor, logits: tf.Tensor) -> tf.Tensor:
    """Kullback-Leibler, per image: the cross-entropy less the targets' own entropy, so a
    network answering exactly as its teacher scores 0."""
    entropy = -tf.reduce_sum(targets * tf.math.log(targets + 1e-12), axis=1)
    return tf.nn.softmax_cross_entropy_with_logits(labels=targets, logits=logits) - entropy


def softened(voices: list[Answers], x: tf.Tensor, temperature: float) -> tf.Tensor:
    """The voices' averaged logits on `x`, softened by the temperature, as probabilities."""
    average = tf.add_n([v.logits(x) for v in voices]) / len(voices)
    return tf.nn.softmax(average / temperature)


class Objective:
    """Each image's loss, built once per run and called inside the compiled loop. A
    teacher's answers are given to it (teacher_answers.py computes them before each
    epoch); the start model's it computes itself, on the batch."""

    def __init__(
        self,
        config: TrainConfig,
        output: str,
        taught: bool = False,
        anchor: Answers | None = None,
        mnist_count: int | None = None,
    ) -> None:
        self.loss = config.loss
        self.output = output
        self.temperature = config.temperature
        self.anchor = None if taught else anchor
        self.hard, self.soft = 1.0, 0.0
        if taught:
            self.hard, self.soft = config.label_weight, 1.0 - config.label_weight
        elif anchor is not None:
            self.soft = config.remember_weight
        # Images at or past this index are the class's drawings (mix_in appends them).
        self.mnist_count = mnist_count if self.anchor is not None else None

    def targets(self, x: tf.Tensor) -> tf.Tensor | None:
        """The start model's softened answer on this batch, outside the gradient tape."""
        return None if self.anchor is None else softened([self.anchor], x, self.temperature)

    def __call__(
        self, logits: tf.Tensor, targets: tf.Tensor | None, y: tf.Tensor, index: tf.Tensor
    ) -> tf.Tensor:
        hard = self._labels_loss(logits, y)
        if targets is None:
            return hard
        soft = divergence(targets, logits / self.temperature) * self.temperature**2
        if self.mnist_count is not None:
            soft = soft * tf.cast(index < self.mnist_count, tf.float32)
        return self.hard * hard + self.soft * soft

    def _labels_loss(self, logits: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
        if self.loss == "cross_entropy":
            # Softmax then log, done together: the stable form of the reference's sparse
            # categorical cross-entropy on softmax outputs.
            return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        predictions = tf.nn.softmax(logits) if self.output == "softmax" else logits
        return tf.reduce_mean(tf.square(tf.one_hot(y, NUM_CLASSES) - predictions), axis=1)
