"""Is it a digit at all? A small detector beside the network, NumPy only.

A network trained on digits names a digit for anything: a level line reads "7, 100%", a
letter A "4, 95%". The detector is a second, small convolutional network (two 3x3
convolutions with max pooling, then 64 units and one output) that learnt MNIST's digits
against synthetic non-digits (mnist_core/training/not_a_digit.py trains it, in Keras); it
reads the same 28x28 image and says how unlike a digit it is. Convolutions look at
strokes where they are, so they tell a G from a 6 or a crescent from a 0 far better than
one 784-wide layer did (benchmarks/non_digits.py, a part authored blind before the change:
82.8% -> 99.7% of non-digits answered as such). The file may hold several such networks
trained apart; their logits are averaged. Its threshold was chosen on a tuning set. The
file is an .npz of arrays and a JSON metadata string, read without pickle, written
atomically.
"""

from __future__ import annotations

import functools
import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .model_files import BUNDLED_MODEL, write_atomically

DETECTOR_FILE = BUNDLED_MODEL.with_name("not_a_digit.npz")
# Each array has a leading axis of members (networks trained apart, averaged):
# C0 (m, 3, 3, 1, k) c0 (m, k), C1 (m, 3, 3, k, 2k) c1 (m, 2k), W0 (m, 25 * 2k, h) b0 (m, h),
# W1 (m, h, 1) b1 (m, 1): Keras's layouts, so its weights load as they are.
ARRAYS = ("C0", "c0", "C1", "c1", "W0", "b0", "W1", "b1")


@dataclass(frozen=True)
class Detector:
    weights: tuple[np.ndarray, ...]  # ARRAYS, in that order
    threshold: float  # a score above it is not a digit
    metadata: dict

    def score(self, pixels: np.ndarray) -> np.ndarray | float:
        """How unlike a digit each 28x28 image is, 0 to 1; one image gives one float."""
        x = np.asarray(pixels, np.float32)
        single = x.ndim == 1 or x.shape == (28, 28)
        x = x.reshape(-1, 28, 28, 1)
        members = len(self.weights[0])
        logits = sum(_logits(x, [w[i] for w in self.weights]) for i in range(members))
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits / members, -30, 30)))
        return float(scores[0]) if single else scores

    def flags(self, pixels: np.ndarray) -> bool:
        return self.score(pixels) > self.threshold


def _logits(x: np.ndarray, weights: list[np.ndarray]) -> np.ndarray:
    c0, b0, c1, b1, w0, d0, w1, d1 = weights
    hidden = _pool(_convolve(_pool(_convolve(x, c0, b0)), c1, b1)).reshape(len(x), -1)
    return (np.maximum(hidden @ w0 + d0, 0.0) @ w1 + d1)[:, 0]


def _convolve(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A 3x3 convolution without padding, then ReLU: (n, h, w, c) -> (n, h-2, w-2, k)."""
    windows = sliding_window_view(x, (3, 3), axis=(1, 2))  # (n, h-2, w-2, c, 3, 3)
    n, h, w, c = windows.shape[:4]
    columns = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * h * w, 9 * c)
    return np.maximum(columns @ kernel.reshape(9 * c, -1) + bias, 0.0).reshape(n, h, w, -1)


def _pool(x: np.ndarray) -> np.ndarray:
    """2x2 max pooling, an odd last row or column dropped, as Keras's MaxPooling2D."""
    n, h, w, c = x.shape
    return x[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def save_detector(path: str | os.PathLike, detector: Detector) -> Path:
    """Write atomically: a crash leaves the old file or the new one."""
    path = Path(path)
    buffer = io.BytesIO()
    metadata = {**detector.metadata, "threshold": detector.threshold}
    np.savez_compressed(
        buffer,
        **{name: a.astype(np.float32) for name, a in zip(ARRAYS, detector.weights)},
        metadata=np.array(json.dumps(metadata)),
    )
    write_atomically(path, buffer.getvalue())
    return path


# Bounds on a detector file's sizes, so that a file made elsewhere cannot slow every stroke.
MAX_MEMBERS, MAX_CHANNELS, MAX_HIDDEN = 8, 128, 1024


def load_detector(path: str | os.PathLike = DETECTOR_FILE) -> Detector:
    """Raises ValueError, KeyError or OSError for a file that is not a detector."""
    refused = ValueError(f"{Path(path).name} is not a not-a-digit detector")
    loaded = np.load(path, allow_pickle=False)
    if not isinstance(loaded, np.lib.npyio.NpzFile):  # a lone .npy array
        raise refused
    with loaded as npz:
        weights = tuple(np.asarray(npz[name], np.float32) for name in ARRAYS)
        metadata = json.loads(str(npz["metadata"]))
    if not _fits(weights) or not all(np.isfinite(w).all() for w in weights):
        raise refused
    threshold = metadata.get("threshold") if isinstance(metadata, dict) else None
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise refused
    if not 0 <= threshold <= 1:  # NaN fails this too
        raise refused
    return Detector(weights, float(threshold), metadata)


def _fits(weights: tuple[np.ndarray, ...]) -> bool:
    """The shapes of ARRAYS for some members m, channels k and hidden units h, within
    bounds."""
    c0, b0, c1, b1, w0, d0, w1, d1 = weights
    if c0.ndim != 5 or c0.shape[1:4] != (3, 3, 1) or w0.ndim != 3:
        return False
    m, k, h = c0.shape[0], c0.shape[4], w0.shape[2]
    if not (1 <= m <= MAX_MEMBERS and 1 <= k <= MAX_CHANNELS and 1 <= h <= MAX_HIDDEN):
        return False
    expected = [(m, k), (m, 3, 3, k, 2 * k), (m, 2 * k), (m, 25 * 2 * k, h), (m, h)]
    expected += [(m, h, 1), (m, 1)]
    return [a.shape for a in (b0, c1, b1, w0, d0, w1, d1)] == expected


@functools.cache
def bundled_detector() -> Detector | None:
    """The detector shipped beside the bundled model; None if it is missing or damaged, so
    that reading goes on with the shape rules alone."""
    try:
        return load_detector(DETECTOR_FILE)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return None
