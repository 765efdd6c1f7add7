"""Smoothing a noisy loss curve so its trend shows, without one wild batch dragging it away.

A plain moving average of losses is ruled by its biggest value: one batch at 10,000,000
keeps the line in the thousands for hundreds of steps while the batches are back at 10.
Averaging the logarithms (a geometric mean) weighs a spike by its size in powers of ten,
as the log-scale chart draws it, and only recent points count: the smoothed value always
lies between the smallest and the largest loss of its window.
"""

from __future__ import annotations

import numpy as np

WINDOW = 30  # points that make up one smoothed value: the latest and the 29 before it
TINY = 1e-12  # a loss of 0 counts as this, so its logarithm exists
MAX_WEIGHT = 0.9  # how much each older point counts less, on a long curve
MIN_WEIGHT = 0.5  # on a short one: a lost (NaN) batch still takes the points before it
POINTS_PER_REACH = 20  # a curve of n points averages over about n/20 of them: short ones lag less


def smoothed(values: list[float], weight: float | None = None, window: int = WINDOW) -> list[float]:
    """Each point's exponentially weighted geometric mean over its window (itself and the
    `window - 1` before it, newer ones weigh more); NaN and infinite losses are left out,
    and a window with no finite loss gives NaN (no line there). Without a `weight`, a short
    curve (a run on a few thousand images) is smoothed less, so its line does not trail
    behind its points."""
    losses = np.asarray(values, float)
    if losses.size == 0:
        return []
    if weight is None:
        reach = 1.0 - POINTS_PER_REACH / max(losses.size, POINTS_PER_REACH)
        weight = float(np.clip(reach, MIN_WEIGHT, MAX_WEIGHT))
    finite = np.isfinite(losses)
    logs = np.where(finite, np.log(np.maximum(np.where(finite, losses, 1.0), TINY)), 0.0)
    kernel = weight ** np.arange(min(window, losses.size))
    # Causal weighted sums: the point itself weighs 1, the one before `weight`, and so on.
    total = np.convolve(logs, kernel)[: losses.size]
    weights = np.convolve(finite.astype(float), kernel)[: losses.size]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(weights > 0, total / np.where(weights > 0, weights, 1.0), np.nan)
    return np.exp(means).tolist()
