"""Which models the app can draw with: the Draw page's model list, with stable keys and labels.

No Streamlit here, so the pages stay thin and this is tested without a browser.
"""

from __future__ import annotations

import re
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
    members: int = 1  # networks averaged side by side in the model


@dataclass(frozen=True)
class ModelMenu:
    choices: list[ModelChoice]
    left_out: list[tuple[str, str]]  # (file name, why): files that cannot be used

    def choice_for(self, value: object) -> ModelChoice | None:
        """The choice a picker's stored value names: its key; or a run's label as a browser
        may still send it after the label gained the run's accuracy (a picker's browser
        side holds labels, not keys), which names that run. None: no choice of the list."""
        by_key = {c.key: c for c in self.choices}
        if isinstance(value, str) and value in by_key:
            return by_key[value]
        match = re.match(r"Run (\d+): ", value) if isinstance(value, str) else None
        return by_key.get(f"run:{match.group(1)}") if match else None


def model_menu(folder: Path, runs: list[RunView]) -> ModelMenu:
    """The bundled model, the runs with weights (in memory, or kept in a checkpoint file),
    then saved files, newest first; and the files left out of the list, with the reason,
    so a page can say so."""
    scan = scan_models(folder)
    bundled = model_info(BUNDLED_MODEL, read_metadata(BUNDLED_MODEL))
    choices = [
        ModelChoice(BUNDLED_KEY, _bundled_label(bundled), BUNDLED_MODEL, members=bundled.members)
    ]
    for run in runs:
        if run.live_network is not None or run.checkpoint:
            # The label does not follow the run's progress (that is shown beside it); it
            # gains the test accuracy once, when the run has one.
            label = f"Run {run.id}: {run.name} ({_run_accuracy(run)}a training run of this class)"
            checkpoint = Path(run.checkpoint) if run.checkpoint else None
            choices.append(ModelChoice(f"run:{run.id}", label, path=checkpoint, run_id=run.id))
    choices.extend(
        ModelChoice(f"file:{info.path.name}", _file_label(info), info.path, members=info.members)
        for info in scan.usable
    )
    return ModelMenu(choices, scan.refused)


def _run_accuracy(run: RunView) -> str:
    return f"{run.result.evaluation.accuracy:.1%}, " if run.result is not None else ""


def _bundled_label(info: ModelInfo) -> str:
    accuracy = info.test_accuracy
    return f"Bundled model ({accuracy:.2%} on the test set)" if accuracy else "Bundled model"


def _file_label(info: ModelInfo) -> str:
    accuracy = f"{info.test_accuracy:.1%}" if info.test_accuracy is not None else "untested"
    return f"{info.name} ({accuracy}, saved {info.created[:16].replace('T', ' ')})"
