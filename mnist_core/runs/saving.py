"""Keeping a finished run: its network written as a model file the Draw page lists."""

from __future__ import annotations

import threading
from pathlib import Path

from mnist_core.access.roles import Visitor, require_teacher
from mnist_core.config import TrainConfig
from mnist_core.i18n import Number, msg
from mnist_core.serving.model_files import SUFFIX, load_model, save_model
from mnist_core.serving.model_names import clean_model_name
from mnist_core.serving.network import MLP

from .registry import RunView
from .states import INTERRUPTED

MAX_SAVED_MODELS = 100  # model files in the models folder, all of them together
MAX_SAVED_BYTES = 1024**3  # 1 GiB: about 14 of the largest networks (~73 MB each)
STUDENTS_SHARE = 0.8  # of both limits, for students' saves: the rest is the teacher's alone
_saving = threading.Lock()  # the room left is checked and taken by one save at a time


def remove_saved_model(folder: Path, file_name: str, visitor: Visitor | None) -> None:
    """The teacher removes a saved model (a file of the models folder, named exactly)."""
    require_teacher(visitor, msg("remove a saved model"))
    path = folder / file_name
    if path.name != file_name or path.suffix != SUFFIX or not path.is_file():
        raise ValueError(msg("there is no saved model called {name}", name=repr(file_name)))
    path.unlink()


def kept_network(run: RunView) -> MLP | None:
    """A run's latest weights: its result's, its live snapshot, else its checkpoint file."""
    if run.result is not None and run.result.network is not None:
        return run.result.network
    if run.live_network is not None:
        return run.live_network
    return load_model(run.checkpoint).network if run.checkpoint else None


def run_metadata(run: RunView, name: str) -> dict:
    """What a saved model records about its run, figures included once there are some."""
    if run.result is not None:
        return run.result.metadata(name=name, preset=run.preset, command=None)
    return {
        "name": name,
        "preset": run.preset,
        "config": run.config.to_dict(),
        "status": run.state,
        "message": run.message,
        "metrics": {},
        "history": {"loss": [list(point) for point in run.losses]},
    }


def continuation(run: RunView | None) -> tuple[TrainConfig, str]:
    """The settings and name of a run that goes on where an interrupted one stopped."""
    if run is None or run.state != INTERRUPTED or not run.checkpoint:
        raise ValueError(msg("only an interrupted run with kept weights can be continued"))
    done = len(run.epochs)
    config = run.config.replace(
        epochs=max(1, run.config.epochs - done),
        start_from=f"Run {run.id} after step {run.checkpoint_step}",
    )
    return config, f"{run.name} (continued)"


def save_run(run: RunView, name: str, folder: Path, visitor: Visitor | None = None) -> Path:
    """Save a run's latest weights, finished or not; refuses to replace an existing model.
    `visitor` is who asks (None: the server itself, as the teacher)."""
    network = kept_network(run)
    if network is None:
        raise ValueError(msg("this run has no weights to save"))
    path = folder / f"{clean_model_name(name)}{SUFFIX}"
    if path.exists():
        raise FileExistsError(
            msg("a model called {name} already exists: choose another name", name=repr(path.stem))
        )
    with _saving:
        share = 1.0 if visitor is None or visitor.teacher else STUDENTS_SHARE
        check_room(folder, sum(array.nbytes for array in network.to_arrays()), share)
        return save_model(path, network, run_metadata(run, name.strip()))


def check_room(folder: Path, new_bytes: int, share: float = 1.0) -> None:
    """Saved models are a full copy each: a class saving every run would fill the disk, so
    the models folder holds at most MAX_SAVED_MODELS files and MAX_SAVED_BYTES in all.
    Students' saves stop at `share` of both, so a student saving one run over and over
    cannot leave the teacher without room."""
    saved = [path.stat().st_size for path in folder.glob(f"*{SUFFIX}")]
    most_files = int(MAX_SAVED_MODELS * share)
    if len(saved) >= most_files:
        raise ValueError(
            msg(
                "this server already keeps {count} saved models: the teacher can remove some "
                "on the Train page",
                count=most_files,
            )
        )
    most_bytes = MAX_SAVED_BYTES * share
    if sum(saved) + new_bytes > most_bytes:
        raise ValueError(
            msg(
                "saved models would take over {size} GiB on this server: the teacher can "
                "remove some on the Train page",
                size=Number(float(f"{most_bytes / 1024**3:.2g}")),
            )
        )
