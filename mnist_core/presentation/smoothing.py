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


def smoothed(values: list[float], weight: float = 0.9, window: int = WINDOW) -> list[float]:
    """Each point's exponentially weighted geometric mean over its window (itself and the
    `window - 1` before it, newer ones weigh more); NaN and infinite losses are left out,
    and a window with no finite loss gives NaN (no line there)."""
    losses = np.asarray(values, float)
    if losses.size == 0:
        return []
    finite = np.isfinite(losses)
    logs = np.where(finite, np.log(np.maximum(np.where(finite, losses, 1.0), TINY)), 0.0)
    kernel = weight ** np.arange(min(window, losses.size))
    # Causal weighted sums: the point itself weighs 1, the one before `weight`, and so on.
    total = np.convolve(logs, kernel)[: losses.size]
    weights = np.convolve(finite.astype(float), kernel)[: losses.size]
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(weights > 0, total / np.where(weights > 0, weights, 1.0), np.nan)
    return np.exp(means).tolist()
