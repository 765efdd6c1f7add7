"""Random distortions of training digits, so a network reads hand-drawn digits too.

Drawn digits are tilted, sized and placed a little differently from MNIST's, and the brush
may be thicker or thinner than a pen. Each image in a batch gets its own small rotation,
scale and shift (one affine warp, one interpolation) and, sometimes, thicker or thinner
strokes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import tensorflow as tf


@dataclass(frozen=True)
class Distortion:
    max_degrees: float = 12.0  # rotation either way
    max_scale: float = 0.12  # size change either way, as a fraction
    max_shift: float = 2.0  # pixels, each axis, either way
    thicken_share: float = 0.2  # images whose strokes get a pixel thicker
    thin_share: float = 0.1  # images whose strokes get a pixel thinner


class Augmenter:
    def __init__(self, seed: int, distortion: Distortion = Distortion()) -> None:
        self.rng = tf.random.Generator.from_seed(seed + 7919)
        self.d = distortion

    @tf.function
    def __call__(self, flat_images: tf.Tensor) -> tf.Tensor:
        n = tf.shape(flat_images)[0]
        images = tf.reshape(flat_images, (n, 28, 28, 1))
        images = self._warp(images, n)
        images = self._stroke_width(images, n)
        return tf.reshape(images, (n, 784))

    def _warp(self, images: tf.Tensor, n: tf.Tensor) -> tf.Tensor:
        d = self.d
        angle = self.rng.uniform((n,), -1.0, 1.0) * (d.max_degrees * math.pi / 180.0)
        scale = 1.0 + self.rng.uniform((n,), -d.max_scale, d.max_scale)
        shift_x = self.rng.uniform((n,), -d.max_shift, d.max_shift)
        shift_y = self.rng.uniform((n,), -d.max_shift, d.max_shift)
        # The warp maps each output pixel back to where it came from: the inverse of
        # "scale and rotate about the centre, then shift".
        centre = 13.5
        cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
        a0, a1, b0, b1 = cos, sin, -sin, cos
        from_x, from_y = centre + shift_x, centre + shift_y
        a2 = centre - a0 * from_x - a1 * from_y
        b2 = centre - b0 * from_x - b1 * from_y
        zeros = tf.zeros_like(angle)
        transforms = tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)
        return tf.raw_ops.ImageProjectiveTransformV3(
            images=images,
            transforms=transforms,
            output_shape=tf.constant([28, 28]),
            fill_value=0.0,
            interpolation="BILINEAR",
            fill_mode="CONSTANT",
        )

    def _stroke_width(self, images: tf.Tensor, n: tf.Tensor) -> tf.Tensor:
        pick = self.rng.uniform((n, 1, 1, 1))
        thicker = tf.nn.max_pool2d(images, 2, 1, "SAME")
        thinner = -tf.nn.max_pool2d(-images, 2, 1, "SAME")
        images = tf.where(pick < self.d.thicken_share, thicker, images)
        return tf.where(pick > 1.0 - self.d.thin_share, thinner, images)
