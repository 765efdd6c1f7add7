"""What a drawing is as drawn, before it is shrunk: too small, a scribble, or several digits.

prepare_digit blows any mark up to MNIST's 20-pixel box, so a dot or a tiny 3 reaches the
network looking like a big digit, and "12" arrives squeezed into one. These rules look at
the ink on the canvas itself, at a quarter of its resolution (a few hundred microseconds).
Their thresholds were chosen so that no MNIST digit drawn on the canvas and no stroke set of
benchmarks/handwriting.py trips them (benchmarks/non_digits.py measures both).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import ndimage

from .preprocess import INK_THRESHOLD, ink_image

TOO_SMALL = "too_small"
SCRIBBLE = "scribble"
SEVERAL = "several"

GRID = 70  # the drawing is looked at on a grid this size (280 / 4)
# A drawing whose longer side is under this share of the canvas's shorter side is a dot or
# a doodle that prepare_digit would blow up many times over.
MIN_SIZE = 0.2
# Ink over the square around it: MNIST digits, even thick ones, stay well under this.
MAX_FILL = 0.8
# Ink over the whole canvas: a canvas painted over is not a digit, whatever its outline.
MAX_CANVAS_INK = 0.5
# Pieces closer than this share of the canvas count as one (a 5's bar just off its body).
JOIN = 0.015
# Several digits: pieces at least this share of the ink, each nearly as tall as the
# drawing, side by side (overlapping by under this share of the narrower), a wide drawing.
PIECE_SHARE = 0.1
PIECE_HEIGHT = 0.6
MAX_OVERLAP = 0.2
MIN_ASPECT = 0.8


def judge_shape(image: np.ndarray) -> str | None:
    """TOO_SMALL, SCRIBBLE, SEVERAL, or None: no ink at all, or it could be one digit."""
    mask = _grid_mask(image)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if len(rows) == 0:
        return None
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    if max(height, width) < MIN_SIZE * min(mask.shape):
        return TOO_SMALL
    ink = mask.sum()
    if ink / max(height, width) ** 2 > MAX_FILL or ink / mask.size > MAX_CANVAS_INK:
        return SCRIBBLE
    if width >= MIN_ASPECT * height and _side_by_side(mask, ink, height):
        return SEVERAL
    return None


def _grid_mask(image: np.ndarray) -> np.ndarray:
    """Where the ink is, on a grid of about GRID x GRID cells (a cell half inked is ink)."""
    mask = ink_image(image) > INK_THRESHOLD
    step = max(1, min(mask.shape) // GRID)
    h, w = (mask.shape[0] // step) * step, (mask.shape[1] // step) * step
    return mask[:h, :w].reshape(h // step, step, w // step, step).mean(axis=(1, 3)) >= 0.5


def _side_by_side(mask: np.ndarray, ink: int, height: int) -> bool:
    reach = max(1, round(JOIN * min(mask.shape)))
    joined = ndimage.binary_dilation(mask, iterations=reach)
    labels, count = ndimage.label(joined)
    if count < 2:
        return False
    pieces = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        share = np.count_nonzero(mask[box] & (labels[box] == index)) / ink
        rows, cols = box
        piece_height = rows.stop - rows.start - 2 * reach
        if share >= PIECE_SHARE and piece_height >= PIECE_HEIGHT * height:
            pieces.append((cols.start + reach, cols.stop - reach))
    pieces.sort()
    for (left_a, right_a), (left_b, right_b) in itertools.pairwise(pieces):
        overlap = min(right_a, right_b) - max(left_a, left_b)
        narrower = min(right_a - left_a, right_b - left_b)
        if overlap <= MAX_OVERLAP * narrower:
            return True
    return False
