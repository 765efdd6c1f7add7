"""Which models the app can draw with, and saving a trained run as a model file.

No Streamlit here, so the pages stay thin and this is tested without a browser.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .jobs import RunView
from .model_files import BUNDLED_MODEL, SUFFIX, ModelInfo, list_models, read_metadata, save_model

ENV_MODELS_DIR = "DIGITLAB_MODELS_DIR"
DEFAULT_MODELS_DIR = Path(__file__).resolve().parent.parent / "saved_models"
MAX_NAME_LENGTH = 60

BUNDLED_KEY = "bundled"


def models_dir() -> Path:
    """Where the Train page saves models: $DIGITLAB_MODELS_DIR, else ./saved_models."""
    return Path(os.environ.get(ENV_MODELS_DIR) or DEFAULT_MODELS_DIR)


@dataclass(frozen=True)
class ModelChoice:
    key: str  # stable across reruns: "bundled", "file:<name>" or "run:<id>"
    label: str
    path: Path | None = None  # a model file, or None for a run held in memory
    run_id: int | None = None


def model_choices(folder: Path, runs: list[RunView]) -> list[ModelChoice]:
    """The bundled model, this server's runs with weights, then saved files, newest first."""
    choices = [ModelChoice(BUNDLED_KEY, _bundled_label(), path=BUNDLED_MODEL)]
    for run in runs:
        if run.live_network is not None:
            # The label must not change while the run trains: the picker identifies its
            # choice by label, so the run's progress is shown beside it instead.
            label = f"Run {run.id}: {run.name} (trained on this server)"
            choices.append(ModelChoice(f"run:{run.id}", label, run_id=run.id))
    choices.extend(
        ModelChoice(f"file:{info.path.name}", _file_label(info), path=info.path)
        for info in list_models(folder)
    )
    return choices


def _bundled_label() -> str:
    accuracy = read_metadata(BUNDLED_MODEL).get("metrics", {}).get("test_accuracy")
    return f"Bundled model ({accuracy:.2%} on the test set)" if accuracy else "Bundled model"


def _file_label(info: ModelInfo) -> str:
    accuracy = f"{info.test_accuracy:.1%}" if info.test_accuracy is not None else "untested"
    return f"{info.name} ({accuracy}, saved {info.created[:16].replace('T', ' ')})"


def clean_model_name(name: str) -> str:
    """A name a user typed, as a safe file name; refuses what cannot be one."""
    name = name.strip()
    if not name:
        raise ValueError("give the model a name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"keep the name under {MAX_NAME_LENGTH} characters")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")
    if not slug:
        raise ValueError("use some letters or digits in the name")
    return slug


def save_run(run: RunView, name: str, folder: Path) -> Path:
    """Save a finished run's network; refuses to replace an existing model."""
    if run.result is None:
        raise ValueError("this run has no result to save yet")
    path = folder / f"{clean_model_name(name)}{SUFFIX}"
    if path.exists():
        raise FileExistsError(f"a model called {path.stem!r} already exists: choose another name")
    metadata = run.result.metadata(name=name.strip(), preset=run.preset, command=None)
    return save_model(path, run.result.network, metadata)
