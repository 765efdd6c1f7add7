"""The convolutional teacher's file: an .npz of arrays and a JSON metadata string, NumPy
only and never pickle, so the command line can tell a teacher from an MLP before it loads
TensorFlow."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from mnist_core.config import ConfigError

FORMAT = "digit-lab-cnn-teacher"
# Per member, Keras's layouts: C0 (5, 5, 1, k) c0 (k), C1 (5, 5, k, 2k) c1 (2k),
# W0 (49 * 2k, h) b0 (h), W1 (h, 10) b1 (10); each file array stacks the members.
ARRAYS = ("C0", "c0", "C1", "c1", "W0", "b0", "W1", "b1")


def save_teacher(path: str | os.PathLike, arrays: dict[str, np.ndarray], metadata: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        np.savez(f, metadata=np.array(json.dumps(metadata)), **arrays)
    return path


def is_teacher_file(path: str | os.PathLike) -> bool:
    """Whether the file holds a convolutional teacher rather than a Digit Lab MLP."""
    try:
        return read_teacher(path)[1].get("format") == FORMAT
    except ConfigError:
        return False


def read_teacher(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and the metadata; a file that is not a teacher is refused in one line."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            metadata = json.loads(str(npz["metadata"]))
            arrays = {key: np.asarray(npz[key], np.float32) for key in ARRAYS}
    except (ValueError, OSError, KeyError, AttributeError) as exc:
        raise ConfigError(f"{path} is not a convolutional teacher file: {exc}") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ConfigError(f"{path} is not a convolutional teacher file")
    return arrays, metadata
