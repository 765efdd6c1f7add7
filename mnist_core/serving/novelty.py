"""Is it a digit at all? A small detector beside the network, NumPy only.

A network trained on digits names a digit for anything: a level line reads "7, 100%", a
letter A "4, 95%". The detector is a second, tiny network (784-64-1) that learnt MNIST's
digits against synthetic non-digits (mnist_core/training/not_a_digit.py trains it); it
reads the same 28x28 image and says how unlike a digit it is. Its threshold was chosen on a
tuning set (benchmarks/non_digits.py reports both parts). The file is an .npz of arrays and
a JSON metadata string, read without pickle, written atomically.
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

from .model_files import BUNDLED_MODEL, write_atomically

DETECTOR_FILE = BUNDLED_MODEL.with_name("not_a_digit.npz")
ARRAYS = ("W0", "b0", "W1", "b1")


@dataclass(frozen=True)
class Detector:
    weights: tuple[np.ndarray, ...]  # W0 (784, h), b0 (h,), W1 (h, 1), b1 (1,)
    threshold: float  # a score above it is not a digit
    metadata: dict

    def score(self, pixels: np.ndarray) -> np.ndarray | float:
        """How unlike a digit each 28x28 image is, 0 to 1; one image gives one float."""
        x = np.asarray(pixels, np.float32)
        single = x.ndim == 1 or x.shape == (28, 28)
        x = x.reshape(-1, 784)
        w0, b0, w1, b1 = self.weights
        logits = (np.maximum(x @ w0 + b0, 0.0) @ w1 + b1)[:, 0]
        scores = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return float(scores[0]) if single else scores

    def flags(self, pixels: np.ndarray) -> bool:
        return self.score(pixels) > self.threshold


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


def load_detector(path: str | os.PathLike = DETECTOR_FILE) -> Detector:
    """Raises ValueError or OSError for a file that is not a detector."""
    with np.load(path, allow_pickle=False) as npz:
        weights = tuple(np.asarray(npz[name], np.float32) for name in ARRAYS)
        metadata = json.loads(str(npz["metadata"]))
    w0, b0, w1, b1 = weights
    if w0.shape[0] != 784 or b0.shape != (w0.shape[1],) or w1.shape != (w0.shape[1], 1):
        raise ValueError(f"{Path(path).name} is not a not-a-digit detector")
    if b1.shape != (1,) or not all(np.isfinite(w).all() for w in weights):
        raise ValueError(f"{Path(path).name} is not a not-a-digit detector")
    return Detector(weights, float(metadata["threshold"]), metadata)


@functools.cache
def bundled_detector() -> Detector | None:
    """The detector shipped beside the bundled model; None if it is missing or damaged, so
    that reading goes on with the shape rules alone."""
    try:
        return load_detector(DETECTOR_FILE)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None
