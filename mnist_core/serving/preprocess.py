"""Turn a drawing into the 28x28 image the network expects, the way MNIST digits were made.

MNIST's recipe: crop to the ink, scale the longer side to 20 pixels keeping the aspect
ratio (with anti-aliasing), then place it in a 28x28 field so that the centre of mass sits
at the centre. A network trained on MNIST only reads drawings prepared the same way.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

FIELD = 28
BOX = 20
# MNIST's own digits have their centre of mass at (14.0, 14.0) on average (row, column).
CENTRE = 14.0
INK_THRESHOLD = 0.2  # a pixel this much brighter than the background counts as ink
# Less ink than this share of the drawing area is a stray tap, not a digit.
MIN_INK_FRACTION = 0.004


def ink_image(image: np.ndarray) -> np.ndarray:
    """Any greyscale, RGB or RGBA array to floats in [0, 1] where ink is 1 and paper 0.

    Transparent-background drawings carry the ink in alpha; otherwise the paper is whatever
    fills the border, so dark ink on white paper is inverted to match MNIST.
    """
    a = np.asarray(image)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (1, 2, 3, 4)):
        raise ValueError(f"expected a greyscale, RGB or RGBA image, got shape {a.shape}")
    if a.size == 0:
        raise ValueError("the image is empty")
    scale = 255.0 if a.dtype == np.uint8 else 1.0
    a = a.astype(np.float32) / scale
    if a.ndim == 2:
        grey = a
    else:
        channels = a.shape[2]
        if channels in (2, 4) and _border_median(a[..., -1]) < 0.5:
            # Transparent paper: the strokes are wherever the alpha channel is.
            return np.clip(a[..., -1], 0.0, 1.0)
        grey = a[..., : 3 if channels >= 3 else 1].mean(axis=2)
    paper = _border_median(grey)
    return np.clip(np.abs(grey - paper), 0.0, 1.0)


def _border_median(grey: np.ndarray) -> float:
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    return float(np.median(border))


def prepare_digit(image: np.ndarray) -> np.ndarray | None:
    """The 28x28 float32 image (ink = 1) the network reads, or None for a blank drawing."""
    ink = ink_image(image)
    mask = ink > INK_THRESHOLD
    if mask.mean() < MIN_INK_FRACTION:
        return None
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    patch = _fit_box(crop)
    return _centre_by_mass(patch)


def _fit_box(crop: np.ndarray) -> np.ndarray:
    height, width = crop.shape
    factor = BOX / max(height, width)
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    resized = Image.fromarray(crop.astype(np.float32), mode="F").resize(
        size, Image.Resampling.LANCZOS
    )
    patch = np.clip(np.asarray(resized), 0.0, 1.0)
    peak = patch.max()
    # A thin stroke shrunk 10x fades to grey; MNIST strokes are full-strength ink.
    return patch / peak if peak > 0 else patch


def _centre_by_mass(patch: np.ndarray) -> np.ndarray:
    height, width = patch.shape
    com_row, com_col = ndimage.center_of_mass(patch)
    top = int(np.clip(round(CENTRE - com_row), 0, FIELD - height))
    left = int(np.clip(round(CENTRE - com_col), 0, FIELD - width))
    field = np.zeros((FIELD, FIELD), np.float32)
    field[top : top + height, left : left + width] = patch
    return field


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    row, col = ndimage.center_of_mass(np.asarray(image, np.float64))
    return float(row), float(col)
