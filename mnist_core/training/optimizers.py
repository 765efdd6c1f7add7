"""Update rules for the from-scratch engine, one small class per idea.

Constants follow Keras's defaults, so both engines optimise the same way.
"""

from __future__ import annotations

import math

import tensorflow as tf

from mnist_core.config import TrainConfig


class SGD:
    """The references' hand update: w <- w - lr * grad."""

    def __init__(self, params: list[tf.Variable]) -> None:
        del params  # plain SGD keeps no state

    def apply(self, params, grads, lr, step) -> None:
        for w, g in zip(params, grads):
            w.assign_sub(lr * g)


class RMSprop:
    """Divide each step by a running average of the gradient's size."""

    rho = 0.9
    epsilon = 1e-7

    def __init__(self, params: list[tf.Variable]) -> None:
        self.mean_square = [tf.Variable(tf.zeros_like(w)) for w in params]

    def apply(self, params, grads, lr, step) -> None:
        for w, g, ms in zip(params, grads, self.mean_square):
            ms.assign(self.rho * ms + (1 - self.rho) * tf.square(g))
            w.assign_sub(lr * g / (tf.sqrt(ms) + self.epsilon))


class Adam:
    """RMSprop plus momentum, with both averages corrected for starting at zero."""

    beta_1 = 0.9
    beta_2 = 0.999
    epsilon = 1e-7

    def __init__(self, params: list[tf.Variable]) -> None:
        self.m = [tf.Variable(tf.zeros_like(w)) for w in params]
        self.v = [tf.Variable(tf.zeros_like(w)) for w in params]

    def apply(self, params, grads, lr, step) -> None:
        t = tf.cast(step + 1, tf.float32)
        alpha = lr * tf.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        for w, g, m, v in zip(params, grads, self.m, self.v):
            m.assign(self.beta_1 * m + (1 - self.beta_1) * g)
            v.assign(self.beta_2 * v + (1 - self.beta_2) * tf.square(g))
            w.assign_sub(alpha * m / (tf.sqrt(v) + self.epsilon))


OPTIMIZER_CLASSES = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}


def learning_rate_at(config: TrainConfig, step: int, total_steps: int) -> float:
    """The rate at `step`: constant, or cosine decay to zero as Keras's CosineDecay has it."""
    if config.lr_schedule == "cosine":
        return cosine_rate(config.learning_rate, step, total_steps)
    return config.learning_rate


def cosine_rate(start: float, step: int, total_steps: int) -> float:
    """`start` decayed to zero along half a cosine over `total_steps`: big steps to learn,
    small ones to settle."""
    return start * 0.5 * (1.0 + math.cos(math.pi * min(step / total_steps, 1.0)))
