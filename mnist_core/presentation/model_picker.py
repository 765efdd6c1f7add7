"""Which models the app can draw with: the Draw page's model list, with stable keys and labels.

No Streamlit here, so the pages stay thin and this is tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mnist_core.runs.registry import RunView
from mnist_core.serving.model_files import BUNDLED_MODEL, read_metadata
from mnist_core.serving.model_listing import ModelInfo, model_info, scan_models

BUNDLED_KEY = "bundled"


@dataclass(frozen=True)
class ModelChoice:
    key: str  # stable across reruns: "bundled", "file:<name>" or "run:<id>"
    label: str
    path: Path | None = None  # a model file, or None for a run held in memory
    run_id: int | None = None


@dataclass(frozen=True)
class ModelMenu:
    choices: list[ModelChoice]
    left_out: list[tuple[str, str]]  # (file name, why): files that cannot be used


def model_menu(folder: Path, runs: list[RunView]) -> ModelMenu:
    """The bundled model, the runs with weights (in memory, or kept in a checkpoint file),
    then saved files, newest first; and the files left out of the list, with the reason,
    so a page can say so."""
    scan = scan_models(folder)
    choices = [ModelChoice(BUNDLED_KEY, _bundled_label(), path=BUNDLED_MODEL)]
    for run in runs:
        if run.live_network is not None or run.checkpoint:
            # The label must not change while the run trains: the picker identifies its
            # choice by label, so the run's progress is shown beside it instead.
            label = f"Run {run.id}: {run.name} (trained on this server)"
            checkpoint = Path(run.checkpoint) if run.checkpoint else None
            choices.append(ModelChoice(f"run:{run.id}", label, path=checkpoint, run_id=run.id))
    choices.extend(
        ModelChoice(f"file:{info.path.name}", _file_label(info), path=info.path)
        for info in scan.usable
    )
    return ModelMenu(choices, scan.refused)


def _bundled_label() -> str:
    accuracy = model_info(BUNDLED_MODEL, read_metadata(BUNDLED_MODEL)).test_accuracy
    return f"Bundled model ({accuracy:.2%} on the test set)" if accuracy else "Bundled model"


def _file_label(info: ModelInfo) -> str:
    accuracy = f"{info.test_accuracy:.1%}" if info.test_accuracy is not None else "untested"
    return f"{info.name} ({accuracy}, saved {info.created[:16].replace('T', ' ')})"
