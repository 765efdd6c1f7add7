"""App servers of one class for the browser tests: real `streamlit run app.py` processes on
one database and one data folder, started as docs/deployment.md says, and the other server
of a class as its training registry alone, for tests that need its runs but not its pages.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from mnist_core.storage.database import open_database
from mnist_core.storage.runs import RunRecords
from tests.conftest import ARTIFACTS, SMALL_MNIST


def class_env(url: str, folder: Path) -> dict[str, str]:
    """The settings every server of the class shares (docs/deployment.md's table)."""
    return {
        "MNIST_PATH": str(SMALL_MNIST),
        "DIGITLAB_MODELS_DIR": str(folder / "models"),
        "DIGITLAB_DATA_DIR": str(folder / "data"),
        "DIGITLAB_DATABASE_URL": url,
    }


@contextlib.contextmanager
def app_servers(env: dict[str, str], *names: str) -> Iterator[list[str]]:
    """One app server per name, all with `env`; their base URLs. Each logs to
    test-artifacts/streamlit-server-NAME.log."""
    from benchmarks.app_server import running_app

    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.ExitStack() as stack:
        yield [
            stack.enter_context(running_app(env, log=ARTIFACTS / f"streamlit-server-{name}.log"))
            for name in names
        ]


@contextlib.contextmanager
def registry_server(monkeypatch, url: str, folder: Path):
    """Another server of the class as its training registry, in this process, on the same
    database: it numbers, journals, renews and stops its runs as an app server does, but
    trains with tests/fake_training.py (no TensorFlow), so a run of it waits or trains for
    as long as a test needs at no cost."""
    from mnist_core.runs import registry as registry_module
    from mnist_core.runs.registry import TrainingRegistry
    from tests import fake_training

    monkeypatch.setattr(registry_module, "train_in_child", fake_training.fake_child)
    registry = TrainingRegistry(
        niceness=0, records=RunRecords(open_database(url)), checkpoints=folder / "checkpoints"
    )
    try:
        yield registry
    finally:
        registry.shutdown()
