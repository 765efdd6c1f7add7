"""Continental handwriting added to MNIST's American digits, so a flagged 1 is not a 7.

MNIST's writers almost never put a flag on a 1, a bar through a 7 or a slash through a 0;
a network trained on it reads a flagged 1 as a 7. Before training with augmentation, a
share of the training 1s get a flag, 7s a crossbar and 0s a slash, drawn as strokes as
thick as the digit's own, with a random length and angle. NumPy only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mnist_core.dataset import Split

FIELD = 28
INK = 0.3  # a pixel this bright is part of a stroke


@dataclass(frozen=True)
class Styles:
    flag_share: float = 0.5  # of the 1s
    crossbar_share: float = 0.35  # of the 7s
    slash_share: float = 0.2  # of the 0s


def with_styles(split: Split, seed: int, styles: Styles = Styles()) -> Split:
    """The split with a share of its training 1s, 7s and 0s restyled (copies, not in place)."""
    rng = np.random.default_rng(seed + 104729)
    images = split.x_train.copy()
    for digit, share, add in (
        (1, styles.flag_share, _flag),
        (7, styles.crossbar_share, _crossbar),
        (0, styles.slash_share, _slash),
    ):
        chosen = np.flatnonzero(split.y_train == digit)
        chosen = chosen[rng.random(len(chosen)) < share]
        for i in chosen:
            image = images[i].reshape(FIELD, FIELD)
            images[i] = add(image, rng).ravel()
    return replace(split, x_train=images)


def stroke_width(image: np.ndarray) -> float:
    """The digit's pen width in pixels: ink area over the length of its strokes (rows)."""
    mask = image > INK
    rows = mask.any(axis=1).sum()
    return float(np.clip(mask.sum() / max(rows, 1), 1.5, 4.0))


def draw_line(
    image: np.ndarray, start: tuple[float, float], end: tuple[float, float], width: float
) -> np.ndarray:
    """An anti-aliased stroke from start to end ((row, col) each), laid over the image."""
    rows, cols = np.mgrid[0:FIELD, 0:FIELD].astype(np.float32)
    (r0, c0), (r1, c1) = start, end
    dr, dc = r1 - r0, c1 - c0
    length2 = max(dr * dr + dc * dc, 1e-6)
    t = np.clip(((rows - r0) * dr + (cols - c0) * dc) / length2, 0.0, 1.0)
    distance = np.hypot(rows - (r0 + t * dr), cols - (c0 + t * dc))
    ink = np.clip(width / 2 + 0.5 - distance, 0.0, 1.0)
    return np.maximum(image, ink)


def _ink_box(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mask = image > INK
    return np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))


def _flag(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 1's flag: from the top of the stroke, down and to the left."""
    rows, _ = _ink_box(image)
    if len(rows) < 8:
        return image
    top = rows[0]
    cols = np.flatnonzero(image[top] > INK)
    height = rows[-1] - rows[0] + 1
    length = height * rng.uniform(0.2, 0.6)  # continental flags run up to 60% of the height
    angle = np.radians(rng.uniform(20, 60))  # below the horizontal
    start = (top + 0.5, cols.mean())
    end = (top + length * np.sin(angle), cols.mean() - length * np.cos(angle))
    return draw_line(image, start, end, stroke_width(image))


def _crossbar(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 7's bar across its stem, about halfway down."""
    rows, _ = _ink_box(image)
    if len(rows) < 8:
        return image
    row = int(rows[0] + (rows[-1] - rows[0]) * rng.uniform(0.4, 0.6))
    cols = np.flatnonzero(image[row] > INK)
    if len(cols) == 0:
        return image
    height = rows[-1] - rows[0] + 1
    centre = cols.mean()
    left = centre - height * rng.uniform(0.15, 0.3)
    right = centre + height * rng.uniform(0.15, 0.3)
    tilt = rng.uniform(-1.5, 1.5)
    return draw_line(image, (row + tilt, left), (row - tilt, right), stroke_width(image))


def _slash(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 0's slash, corner to corner, from top right to bottom left."""
    rows, cols = _ink_box(image)
    if len(rows) < 8 or len(cols) < 4:
        return image
    reach = rng.uniform(-1.0, 1.5)
    start = (rows[0] - reach, cols[-1] + reach)
    end = (rows[-1] + reach, cols[0] - reach)
    return draw_line(image, start, end, stroke_width(image))
