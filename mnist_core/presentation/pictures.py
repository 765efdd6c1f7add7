"""Small images for the pages: what the network sees, and what its units look for.

NumPy only; the pages hand these arrays to st.image.
"""

from __future__ import annotations

import numpy as np


def enlarge(pixels: np.ndarray, scale: int = 10, grid: bool = True) -> np.ndarray:
    """A 28x28 image blown up with hard pixel edges (and faint grid lines), as uint8 RGB."""
    grey = np.clip(np.asarray(pixels, np.float32), 0.0, 1.0)
    big = np.kron(grey, np.ones((scale, scale), np.float32))
    rgb = np.repeat((big * 255).astype(np.uint8)[..., None], 3, axis=2)
    if grid and scale >= 4:
        rgb[::scale, :, :] = (60, 60, 70)
        rgb[:, ::scale, :] = (60, 60, 70)
    return rgb


def weight_image(weights: np.ndarray, scale: int = 4) -> np.ndarray:
    """One hidden unit's 784 input weights as a 28x28 picture: red excites, blue inhibits."""
    return signed_image(weights, scale, grid=False)


def signed_image(values: np.ndarray, scale: int = 8, grid: bool = True) -> np.ndarray:
    """784 signed values as a 28x28 uint8 RGB picture: red for positive, blue for negative,
    white at zero, the strongest either way at full colour (one symmetric scale), each
    value a square of scale x scale pixels (with faint grid lines, so single pixels show)."""
    v = np.nan_to_num(np.asarray(values, np.float32).reshape(28, 28), posinf=0, neginf=0)
    peak = float(np.abs(v).max()) or 1.0
    v = v / peak
    red = np.clip(v, 0, 1)
    blue = np.clip(-v, 0, 1)
    rgb = np.stack([1 - blue, 1 - red - blue, 1 - red], axis=2)  # white at zero
    big = (np.kron(np.clip(rgb, 0, 1), np.ones((scale, scale, 1), np.float32)) * 255).astype(
        np.uint8
    )
    if grid and scale >= 4:
        big[::scale, :, :] = (225, 228, 232)
        big[:, ::scale, :] = (225, 228, 232)
    return big
