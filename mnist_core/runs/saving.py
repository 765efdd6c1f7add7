"""Keeping a finished run: its network written as a model file the Draw page lists."""

from __future__ import annotations

from pathlib import Path

from mnist_core.roles import Visitor, require_teacher
from mnist_core.serving.model_files import SUFFIX, save_model
from mnist_core.serving.model_names import clean_model_name

from .registry import RunView


def remove_saved_model(folder: Path, file_name: str, visitor: Visitor | None) -> None:
    """The teacher removes a saved model (a file of the models folder, named exactly)."""
    require_teacher(visitor, "remove a saved model")
    path = folder / file_name
    if path.name != file_name or path.suffix != SUFFIX or not path.is_file():
        raise ValueError(f"there is no saved model called {file_name!r}")
    path.unlink()


def save_run(run: RunView, name: str, folder: Path) -> Path:
    """Save a finished run's network; refuses to replace an existing model."""
    if run.result is None:
        raise ValueError("this run has no result to save yet")
    if run.result.network is None:
        raise ValueError("this run's weights are no longer kept (only the last few runs keep them)")
    path = folder / f"{clean_model_name(name)}{SUFFIX}"
    if path.exists():
        raise FileExistsError(f"a model called {path.stem!r} already exists: choose another name")
    metadata = run.result.metadata(name=name.strip(), preset=run.preset, command=None)
    return save_model(path, run.result.network, metadata)
