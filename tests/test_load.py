"""A small classroom over Streamlit's websocket protocol: every drawing read right and
labelled, the projector's wall kept up, and the database holds exactly the confirmed labels."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks.load import run_classroom
from tests.conftest import ARTIFACTS, ROOT, SMALL_MNIST


@pytest.fixture(scope="module")
def classroom_app(tmp_path_factory) -> tuple[str, dict[str, str]]:
    """An app of its own, on a database of its own: other tests' labels would spoil the count."""
    from benchmarks.app_server import running_app

    env = {
        "MNIST_PATH": str(SMALL_MNIST),
        "DIGITLAB_MODELS_DIR": str(tmp_path_factory.mktemp("classroom_models")),
        "DIGITLAB_DATA_DIR": str(tmp_path_factory.mktemp("classroom_data")),
        "DIGITLAB_DATABASE_URL": "",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(env, log=ARTIFACTS / "streamlit-classroom.log") as url:
        yield url, env


def class_stats(env: dict[str, str]) -> dict:
    """What `python -m mnist_core class stats --json` finds in the app's database."""
    done = subprocess.run(
        [sys.executable, "-m", "mnist_core", "class", "stats", "--json"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_five_students_drawing_and_labelling_at_once(classroom_app):
    url, env = classroom_app
    report = run_classroom(url, students=5, drawings=3, pause=(0.1, 0.5))
    assert report.exceptions == []
    assert report.drawings == 15
    assert report.wrong == []
    assert len(report.strokes) >= 15
    assert report.unacknowledged == []
    assert sum(report.acknowledged.values()) == len(report.labels) == 15
    # The projector's last refreshes began after the last label was confirmed.
    assert report.refreshes >= 1
    assert "15 labelled drawings" in report.score
    stats = class_stats(env)
    assert stats["drawings"] == 15
    assert stats["per_digit"] == [report.acknowledged[digit] for digit in range(10)]
