"""Which models the app can draw with: the Draw page's model list, with stable keys and labels.

No Streamlit here, so the pages stay thin and this is tested without a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mnist_core.i18n.translator import Translator, english
from mnist_core.runs.registry import RunView
from mnist_core.serving.model_files import BUNDLED_MODEL, read_metadata
from mnist_core.serving.model_listing import ModelInfo, model_info, scan_models

from .describe import run_title

BUNDLED_KEY = "bundled"
ENGLISH = english()


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
    run_titles: dict[str, str] | None = None  # a run choice's key: "Run 3: lesson", translated

    def choice_for(self, value: object) -> ModelChoice | None:
        """The choice a picker's stored value names: its key; or a run's label as a browser
        may still send it after the label gained the run's accuracy (a picker's browser
        side holds labels, not keys), which names that run. None: no choice of the list."""
        by_key = {c.key: c for c in self.choices}
        if isinstance(value, str) and value in by_key:
            return by_key[value]
        if not isinstance(value, str):
            return None
        for key, title in (self.run_titles or {}).items():  # the label in this language
            if value.startswith(title + " ("):
                return by_key.get(key)
        match = re.match(r"Run (\d+): ", value)
        return by_key.get(f"run:{match.group(1)}") if match else None


def model_menu(folder: Path, runs: list[RunView], tr: Translator = ENGLISH) -> ModelMenu:
    """The bundled model, the runs with weights (in memory, or kept in a checkpoint file),
    then saved files, newest first; and the files left out of the list, with the reason,
    so a page can say so."""
    scan = scan_models(folder)
    bundled = model_info(BUNDLED_MODEL, read_metadata(BUNDLED_MODEL))
    choices = [
        ModelChoice(
            BUNDLED_KEY, _bundled_label(bundled, tr), BUNDLED_MODEL, members=bundled.members
        )
    ]
    titles = {}
    for run in runs:
        if run.live_network is not None or run.checkpoint:
            # The label does not follow the run's progress (that is shown beside it); it
            # gains the test accuracy once, when the run has one.
            title = run_title(run, tr)
            titles[f"run:{run.id}"] = title
            checkpoint = Path(run.checkpoint) if run.checkpoint else None
            choices.append(
                ModelChoice(f"run:{run.id}", _run_label(run, title, tr), checkpoint, run.id)
            )
    choices.extend(
        ModelChoice(
            f"file:{info.path.name}", _file_label(info, tr), info.path, members=info.members
        )
        for info in scan.usable
    )
    return ModelMenu(choices, scan.refused, titles)


def _run_label(run: RunView, title: str, tr: Translator) -> str:
    if run.result is None:
        return tr("{run} (a training run of this class)", run=title)
    return tr(
        # Translators: {run} is "Run 3: lesson", {accuracy} its test accuracy.
        "{run} ({accuracy}, a training run of this class)",
        run=title,
        accuracy=tr.percent(run.result.evaluation.accuracy, 1),
    )


def _bundled_label(info: ModelInfo, tr: Translator = ENGLISH) -> str:
    accuracy = info.test_accuracy
    if not accuracy:
        return tr("Bundled model")
    return tr("Bundled model ({accuracy} on the test set)", accuracy=tr.percent(accuracy, 2))


def _file_label(info: ModelInfo, tr: Translator = ENGLISH) -> str:
    saved = info.created[:16].replace("T", " ")
    if info.test_accuracy is None:
        # Translators: a saved model in a list; {saved} is the date and time it was saved.
        return tr("{name} (untested, saved {saved})", name=info.name, saved=saved)
    return tr(
        "{name} ({accuracy}, saved {saved})",
        name=info.name,
        accuracy=tr.percent(info.test_accuracy, 1),
        saved=saved,
    )
