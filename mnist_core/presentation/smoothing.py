"""Smoothing a noisy loss curve so its trend shows."""

from __future__ import annotations


def smoothed(values: list[float], weight: float = 0.9) -> list[float]:
    """An exponential moving average, corrected so it does not start near zero."""
    out, average = [], 0.0
    for i, value in enumerate(values, start=1):
        average = weight * average + (1 - weight) * value
        out.append(average / (1 - weight**i))
    return out
