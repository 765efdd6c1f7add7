"""Random distortions of training digits, so a network reads hand-drawn digits too.

Drawn digits are tilted, slanted, sized and placed a little differently from MNIST's, their
strokes wobble, and the brush may be far thicker or thinner than a pen once the drawing is
shrunk to 28x28. Each image in a batch gets its own rotation, slant, scale and shift plus an
elastic distortion (Simard et al. 2003: a smoothed random displacement field), all sampled
in one bilinear interpolation, and, sometimes, thicker or thinner strokes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import tensorflow as tf

FIELD = 28


@dataclass(frozen=True)
class Distortion:
    max_degrees: float = 12.0  # rotation either way
    max_slant_degrees: float = 20.0  # horizontal shear either way: a forward or backward lean
    max_scale: float = 0.12  # size change either way, as a fraction
    max_shift: float = 2.0  # pixels, each axis, either way
    # Strength of the displacement field. Simard et al. used 34; on top of rotation and slant
    # that left the network fitting only 94.6% of its training batches, so milder here.
    elastic_alpha: float = 26.0
    elastic_sigma: float = 4.0  # its smoothness in pixels (Simard et al.: 4)
    # Shares of images whose strokes get 1, 2 or 3 pixels thicker: a broad brush on a small
    # drawing shrinks to strokes far bolder than MNIST's pen.
    thicken_shares: tuple[float, ...] = (0.12, 0.08, 0.05)
    thin_share: float = 0.1  # images whose strokes get a pixel thinner


def _gaussian_matrix(sigma: float) -> tf.Tensor:
    """Blurring a 28x28 field along one axis is this matrix times it (edges fade to zero)."""
    xs = tf.range(FIELD, dtype=tf.float32)
    g = tf.exp(-((xs[:, None] - xs[None, :]) ** 2) / (2.0 * sigma**2))
    return g / (sigma * math.sqrt(2.0 * math.pi))


class Augmenter:
    def __init__(self, seed: int, distortion: Distortion = Distortion()) -> None:
        self.rng = tf.random.Generator.from_seed(seed + 7919)
        self.d = distortion
        self.blur = _gaussian_matrix(distortion.elastic_sigma)

    @tf.function(jit_compile=True)
    def __call__(self, flat_images: tf.Tensor) -> tf.Tensor:
        n = tf.shape(flat_images)[0]
        images = tf.reshape(flat_images, (n, FIELD, FIELD))
        images = self._warp(images, n)
        images = self._stroke_width(images[..., None], n)
        return tf.reshape(images, (n, FIELD * FIELD))

    def _elastic(self, n: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """A smooth random displacement (dx, dy) per output pixel, each (n, 28, 28)."""
        noise = self.rng.uniform((2, n, FIELD, FIELD), -1.0, 1.0)
        # A separable Gaussian blur: one matrix product down the columns, one along the rows.
        smooth = tf.einsum("ij,cnjk,lk->cnil", self.blur, noise, self.blur)
        smooth = smooth * self.d.elastic_alpha
        return smooth[0], smooth[1]

    def _warp(self, images: tf.Tensor, n: tf.Tensor) -> tf.Tensor:
        """Rotate, slant, scale and shift about the centre, plus the elastic field."""
        d = self.d
        angle = self.rng.uniform((n,), -1.0, 1.0) * (d.max_degrees * math.pi / 180.0)
        slant = tf.tan(self.rng.uniform((n,), -1.0, 1.0) * (d.max_slant_degrees * math.pi / 180))
        scale = 1.0 + self.rng.uniform((n,), -d.max_scale, d.max_scale)
        shift_x = self.rng.uniform((n,), -d.max_shift, d.max_shift)
        shift_y = self.rng.uniform((n,), -d.max_shift, d.max_shift)
        centre = (FIELD - 1) / 2.0
        grid = tf.range(FIELD, dtype=tf.float32) - centre
        y = tf.broadcast_to(grid[None, :, None], (n, FIELD, FIELD))
        x = tf.broadcast_to(grid[None, None, :], (n, FIELD, FIELD))
        dx, dy = self._elastic(n)
        # Each output pixel looks back to where it came from: undo the shift, the rotation
        # with the scale, then the slant (x moves in proportion to the height above centre).
        x = x - shift_x[:, None, None] + dx
        y = y - shift_y[:, None, None] + dy
        cos = (tf.cos(angle) / scale)[:, None, None]
        sin = (tf.sin(angle) / scale)[:, None, None]
        x, y = cos * x + sin * y, -sin * x + cos * y
        x = x + slant[:, None, None] * y
        return _bilinear(images, x + centre, y + centre)

    def _stroke_width(self, images: tf.Tensor, n: tf.Tensor) -> tf.Tensor:
        """One draw per image picks thinner, one of the thicker widths, or unchanged."""
        pick = self.rng.uniform((n, 1, 1, 1))
        out = tf.where(
            pick > 1.0 - self.d.thin_share, -tf.nn.max_pool2d(-images, 2, 1, "SAME"), images
        )
        upper = 0.0
        for extra, share in enumerate(self.d.thicken_shares, start=1):
            lower, upper = upper, upper + share
            thicker = tf.nn.max_pool2d(images, extra + 1, 1, "SAME")
            out = tf.where((pick >= lower) & (pick < upper), thicker, out)
        return out


def _bilinear(images: tf.Tensor, x: tf.Tensor, y: tf.Tensor) -> tf.Tensor:
    """Sample (n, 28, 28) images at fractional (x, y) per output pixel; outside is paper."""
    padded = tf.pad(images, ((0, 0), (1, 1), (1, 1)))  # a border of zeros to clamp into
    x = tf.clip_by_value(x + 1.0, 0.0, FIELD + 1.0)
    y = tf.clip_by_value(y + 1.0, 0.0, FIELD + 1.0)
    x0, y0 = tf.floor(x), tf.floor(y)
    fx, fy = x - x0, y - y0
    size = FIELD + 2
    x0 = tf.cast(tf.minimum(x0, size - 2), tf.int32)
    y0 = tf.cast(tf.minimum(y0, size - 2), tf.int32)
    flat = tf.reshape(padded, (-1, size * size))

    def at(rows: tf.Tensor, cols: tf.Tensor) -> tf.Tensor:
        index = tf.reshape(rows * size + cols, (tf.shape(rows)[0], -1))
        return tf.reshape(tf.gather(flat, index, batch_dims=1), tf.shape(rows))

    top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
    bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
    return top * (1 - fy) + bottom * fy
