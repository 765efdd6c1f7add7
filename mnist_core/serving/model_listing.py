"""A folder of model files as the pages list them: read once, every field checked.

A model file's metadata is JSON anyone could have written. What the pages show from it is
read here into plain, typed values, so an odd field (`"metrics": "n/a"`) becomes "not
known" instead of an exception in the Draw page of every student; a file whose metadata
cannot be read at all is left out with the reason.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from mnist_core.i18n import Message

from .model_files import SUFFIX, ModelFileError, read_metadata
from .model_names import MAX_NAME_LENGTH


@dataclass(frozen=True)
class ModelInfo:
    """What the pages show about a saved model, read without loading the weights."""

    path: Path
    name: str
    created: str
    test_accuracy: float | None
    layer_sizes: tuple[int, ...]
    status: str = "saved"
    config: dict = field(default_factory=dict)  # the training settings, as saved
    losses: tuple[tuple[float, float], ...] = ()  # (step, loss) points
    train_seconds: float | None = None
    members: int = 1  # networks averaged side by side in it (see averaging.py)


@dataclass(frozen=True)
class ModelScan:
    usable: list[ModelInfo]  # newest first
    refused: list[tuple[str, Message | str]]  # (file name, why it is left out: a Message)


def scan_models(folder: str | os.PathLike) -> ModelScan:
    """Every model file in a folder: the ones that can be listed, and why the others cannot."""
    folder = Path(folder)
    if not folder.is_dir():
        return ModelScan([], [])
    usable, refused = [], []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            usable.append(model_info(path, read_metadata(path)))
        except ModelFileError as exc:
            refused.append((path.name, exc.args[0] if exc.args else str(exc)))
    usable.sort(key=lambda info: info.created, reverse=True)
    return ModelScan(usable, refused)


def list_models(folder: str | os.PathLike) -> list[ModelInfo]:
    """Listable model files in a folder, newest first; unreadable ones are left out."""
    return scan_models(folder).usable


def model_info(path: Path, meta: dict) -> ModelInfo:
    """The fields the pages show, each one checked; a wrong one reads as unknown."""
    metrics = _mapping(meta.get("metrics"))
    accuracy = _number(metrics.get("test_accuracy"))
    return ModelInfo(
        path=path,
        name=_text(meta.get("name")) or path.stem,
        created=_text(meta.get("created")),
        test_accuracy=accuracy if accuracy is not None and 0 <= accuracy <= 1 else None,
        layer_sizes=tuple(meta["layers"]),  # checked by read_metadata
        status=_text(meta.get("status")) or "saved",
        config=_mapping(meta.get("config")),
        losses=_points(_mapping(meta.get("history")).get("loss")),
        train_seconds=_number(metrics.get("train_seconds")),
        members=member_count(meta.get("members")),
    )


def member_count(value: object) -> int:
    """How many networks a model's `members` metadata says it averages (average.py writes
    a list of them); anything else is one network."""
    return len(value) if isinstance(value, list) and len(value) >= 2 else 1


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str:
    return value[:MAX_NAME_LENGTH] if isinstance(value, str) else ""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _points(value: object) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list):
        return ()
    pairs = [p for p in value if isinstance(p, list) and len(p) == 2]
    numbers = [(_number(step), _number(loss)) for step, loss in pairs]
    return tuple((s, v) for s, v in numbers if s is not None and v is not None)
