"""MNIST as files: where a local copy is, checking it is what it claims, scaling it.

NumPy only, so the server can use it; Keras's download lives on the training side
(`training/mnist.py`).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mnist_core.config import ConfigError

ENV_VAR = "MNIST_PATH"
MIN_CLASS_DRAWINGS = 8  # fewer cannot be split into some to learn from and some to score
KEYS = ("x_train", "y_train", "x_test", "y_test")
KERAS_CACHE = Path.home() / ".keras" / "datasets" / "mnist.npz"


class DataError(RuntimeError):
    """MNIST could not be had or is not MNIST; the message says what to do."""


@dataclass(frozen=True)
class Mnist:
    """Images flattened to 784 floats in [0, 1] (ink = 1); labels 0-9 as uint8."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str

    def split_validation(self, count: int) -> Split:
        """Hold out the last `count` training images, as Keras's validation_split does."""
        cut = len(self.x_train) - count
        return Split(self.x_train[:cut], self.y_train[:cut], self.x_train[cut:], self.y_train[cut:])


@dataclass(frozen=True)
class Split:
    """Images to learn from, and held-out images to check on while learning."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_class: np.ndarray | None = None  # the class's held-out drawings, scored every epoch
    y_class: np.ndarray | None = None
    class_count: int = 0  # the last this many training images are the class's drawings


@dataclass(frozen=True)
class ClassSet:
    """The class's own labelled drawings, as the network reads them: (N, 784) floats, ink = 1."""

    x: np.ndarray
    y: np.ndarray

    @classmethod
    def from_images(cls, images: np.ndarray, labels: np.ndarray) -> ClassSet:
        """From (N, 28, 28) uint8 images, as the database and MNIST-style files hold them."""
        return cls(scale_images(np.asarray(images, np.uint8)), np.asarray(labels, np.uint8))

    def __len__(self) -> int:
        return len(self.y)

    def check_for_learning(self) -> ClassSet:
        """Too few drawings cannot be split into some to learn from and some to score."""
        if len(self) < MIN_CLASS_DRAWINGS:
            raise ConfigError(
                f"learning from the class needs at least {MIN_CLASS_DRAWINGS} labelled "
                f"drawings and the class has {len(self)} so far: label some on the Draw page"
            )
        return self


def load_class_file(path: str | os.PathLike) -> ClassSet:
    """The class's digits from an exported .npz (x: (N, 28, 28) uint8, y: (N,) labels)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"{path} does not exist: export the class's digits first")
    try:
        with np.load(path, allow_pickle=False) as npz:
            if "x" not in npz.files or "y" not in npz.files:
                raise DataError(f"{path} is not an export of the class's digits (no x and y)")
            x, y = npz["x"], npz["y"]
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(f"{path} could not be read as an .npz file: {exc}") from None
    if x.ndim != 3 or x.shape[1:] != (28, 28) or x.dtype != np.uint8 or len(y) != len(x):
        raise DataError(f"{path} must hold x as (N, 28, 28) uint8 and N labels y")
    if len(y) and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() > 9):
        raise DataError(f"{path} has labels outside 0 to 9")
    return ClassSet.from_images(x, y)


def resolve_path(path: str | os.PathLike | None = None) -> Path | None:
    """The local file to read: the one named, else $MNIST_PATH, else None (download)."""
    chosen = path if path else os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else None


def available_locally(path: str | os.PathLike | None = None) -> bool:
    """Whether loading would need no download (a named file, or Keras's cache)."""
    local = resolve_path(path)
    return local.is_file() if local else KERAS_CACHE.is_file()


def load_local(path: str | os.PathLike) -> Mnist:
    """MNIST from a local .npz file in Keras's layout, checked before use."""
    local = Path(path).expanduser()
    return from_arrays(read_npz(local), str(local))


def from_arrays(arrays: dict[str, np.ndarray], source: str) -> Mnist:
    """Check raw Keras-layout arrays and scale them as the network reads them."""
    validate_arrays(arrays, source)
    x_train, y_train, x_test, y_test = (arrays[k] for k in KEYS)
    return Mnist(
        x_train=scale_images(x_train),
        y_train=y_train.astype(np.uint8),
        x_test=scale_images(x_test),
        y_test=y_test.astype(np.uint8),
        source=source,
    )


def read_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise DataError(
            f"MNIST file {path} does not exist. Point --data or ${ENV_VAR} at a copy of "
            "Keras's mnist.npz, or unset them to download it."
        )
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in KEYS if k not in npz.files]
            if missing:
                raise DataError(
                    f"{path} is not Keras's mnist.npz: it lacks {', '.join(missing)} "
                    f"(it has {', '.join(npz.files) or 'nothing'})"
                )
            return {k: npz[k] for k in KEYS}
    except DataError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(f"{path} could not be read as an .npz file: {exc}") from None


def validate_arrays(arrays: dict[str, np.ndarray], source: str) -> None:
    """Say precisely what is wrong with a file that is not MNIST-shaped."""
    problems = []
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28):
            problems.append(f"x_{split} has shape {x.shape}, expected (N, 28, 28)")
        if x.dtype != np.uint8:
            problems.append(f"x_{split} has dtype {x.dtype}, expected uint8")
        if y.ndim != 1:
            problems.append(f"y_{split} has shape {y.shape}, expected (N,)")
        elif len(y) != len(x):
            problems.append(f"x_{split} has {len(x)} images but y_{split} has {len(y)} labels")
        if not np.issubdtype(y.dtype, np.integer):
            problems.append(f"y_{split} has dtype {y.dtype}, expected integers")
        elif y.size and (y.min() < 0 or y.max() > 9):
            problems.append(f"y_{split} has labels {y.min()}..{y.max()}, expected 0..9")
        if len(x) == 0:
            problems.append(f"x_{split} is empty")
    if problems:
        raise DataError(f"{source} is not usable MNIST: " + "; ".join(problems))


def scale_images(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) to float32 (N, 784) in [0, 1], as the network reads them."""
    return (images.reshape(len(images), -1).astype(np.float32)) / 255.0
