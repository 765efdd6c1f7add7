"""Small images for the pages: what the network sees, and what its units look for.

NumPy only; the pages hand these arrays to st.image.
"""

from __future__ import annotations

import numpy as np

# The two colours of a signed picture, as shares of full brightness: Okabe and Ito's
# vermilion (called orange on the pages) for positive, their blue for negative.
POSITIVE = np.array([213, 94, 0], np.float32) / 255
NEGATIVE = np.array([0, 114, 178], np.float32) / 255
POSITIVE_CSS, NEGATIVE_CSS = "#d55e00", "#0072b2"  # the same, for a page's legend


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
    """One hidden unit's 784 input weights as a 28x28 picture: orange excites, blue
    inhibits."""
    return signed_image(weights, scale, grid=False)


def signed_image(values: np.ndarray, scale: int = 8, grid: bool = True) -> np.ndarray:
    """784 signed values as a 28x28 uint8 RGB picture: orange for positive, blue for negative,
    white at zero, the strongest either way at full colour (one symmetric scale), each
    value a square of scale x scale pixels (with faint grid lines, so single pixels show)."""
    v = np.nan_to_num(np.asarray(values, np.float32).reshape(28, 28), posinf=0, neginf=0)
    peak = float(np.abs(v).max()) or 1.0
    v = v / peak
    towards = np.clip(v, 0, 1)[..., None]
    away = np.clip(-v, 0, 1)[..., None]
    # White at zero, fading to full orange or blue: a pair that red-green colour-blind eyes
    # (deuteranopia, protanopia) and blue-yellow ones tell apart too (Okabe and Ito's
    # palette), each at least 3:1 against the white page.
    rgb = 1 - towards * (1 - POSITIVE) - away * (1 - NEGATIVE)
    big = np.rint(np.kron(np.clip(rgb, 0, 1), np.ones((scale, scale, 1), np.float32)) * 255)
    big = big.astype(np.uint8)
    if grid and scale >= 4:
        big[::scale, :, :] = (225, 228, 232)
        big[:, ::scale, :] = (225, 228, 232)
    return big
