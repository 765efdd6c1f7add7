"""The command line: JSON on the last line, one clear line for every bad input."""

import json
import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from tests.bombs import black_png
from tests.conftest import ROOT, SMALL_MNIST, canvas_drawing
from tests.memory import MB


def cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "mnist_core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def last_json(out):
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_train_prints_json_and_saves_the_model(tmp_path):
    out_file = tmp_path / "tiny.npz"
    args = ["train", "--preset", "seed-naive-dense", "--epochs", "2", "--hidden", "32"]
    args += ["--data", str(SMALL_MNIST), "--out", str(out_file), "--json"]
    out = cli(*args)
    assert out.returncode == 0, out.stderr
    summary = last_json(out)
    assert summary["status"] == "finished"
    assert summary["epochs"] == 2
    assert 0 < summary["test_accuracy"] <= 1
    assert summary["seconds"] > 0 and summary["samples_per_second"] > 0
    assert "loss" in out.stderr  # progress goes to stderr when stdout carries JSON
    from mnist_core.serving.model_files import load_model

    meta = load_model(out_file).metadata
    assert meta["command"] == "python -m mnist_core " + " ".join(args)
    assert meta["metrics"]["test_accuracy"] == summary["test_accuracy"]
    assert meta["layers"] == [784, 32, 10]

    again = cli(*args)
    assert again.returncode != 0 and "already exists" in again.stderr


def test_train_prints_the_loss_every_100_steps(tmp_path):
    out = cli("train", "--preset", "seed-mse-mlp", "--epochs", "6", "--data", str(SMALL_MNIST))
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("step")]
    assert [int(line.split()[1]) for line in lines] == [100]  # 6 epochs x 18 steps = 108
    assert "test accuracy" in out.stdout


def test_evaluate_bundled_model_json():
    out = cli("evaluate", "--data", str(SMALL_MNIST), "--json")
    assert out.returncode == 0, out.stderr
    result = last_json(out)
    assert result["test_accuracy"] > 0.97
    assert len(result["per_class_accuracy"]) == 10
    confusion = np.array(result["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 600


def test_predict_reads_drawings_and_says_blank(tmp_path, small_mnist):
    files = []
    for index in range(5):
        path = tmp_path / f"digit{index}.png"
        Image.fromarray(canvas_drawing(small_mnist.x_test[index])).save(path)
        files.append(path)
    dark_on_white = tmp_path / "inverted.jpg"
    drawing = canvas_drawing(small_mnist.x_test[0], ink=(0, 0, 0), paper=(255, 255, 255))
    Image.fromarray(drawing[..., :3]).save(dark_on_white)
    blank = tmp_path / "blank.png"
    Image.fromarray(np.zeros((280, 280, 4), np.uint8)).save(blank)
    out = cli("predict", *map(str, files), str(dark_on_white), str(blank), "--json")
    assert out.returncode == 0, out.stderr
    predictions = last_json(out)["predictions"]
    digits = [p["digit"] for p in predictions]
    assert digits == [*small_mnist.y_test[:5].tolist(), small_mnist.y_test[0], None]
    assert predictions[0]["file"] == str(files[0])
    assert sum(predictions[0]["probabilities"]) == pytest.approx(1.0, abs=1e-4)
    assert predictions[-1]["probabilities"] is None


@pytest.mark.parametrize(
    "args, expected",
    [
        (["evaluate", "missing.npz"], "no model file"),
        (["train", "--preset", "nope"], "unknown preset 'nope'"),
        (["train", "--lr", "0"], "learning rate must be above 0"),
        (["train", "--batch-size", "0"], "batch size must be at least 1"),
        (["train", "--hidden", "12,abc"], "whole numbers"),
        (["train", "--data", "missing.npz"], "does not exist"),
        (["train", "--out", "model.txt"], "--out must end in .npz"),
        (["predict", "missing.png"], "no image at missing.png"),
        (["predict", "README.md"], "cannot read README.md as an image"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_gives_one_clear_line(args, expected):
    out = cli(*args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert expected in out.stderr


@pytest.mark.parametrize(
    "width, height, expected",
    [
        (14000, 14000, "far too many pixels"),  # beyond even Pillow's own limit
        (5000, 4000, "5,000x4,000 pixels"),  # within Pillow's, beyond Digit Lab's
    ],
)
def test_an_image_too_large_to_decode_gives_one_clear_line(tmp_path, width, height, expected):
    image = tmp_path / "huge.png"
    image.write_bytes(black_png(width, height))
    assert image.stat().st_size < MB
    out = cli("predict", str(image))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"huge.png has {expected}; Digit Lab reads images of up to 16 million" in out.stderr


def test_database_upgrade_says_from_which_schema_to_which(url):
    from mnist_core.storage.database import SCHEMA_VERSION
    from tests.old_databases import load

    env = {**os.environ, "DIGITLAB_DATABASE_URL": url}
    out = cli("database", "version", env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"no database yet (this Digit Lab makes schema {SCHEMA_VERSION})")
    load(2, url)  # as Digit Lab with schema 2 left it
    assert cli("database", "version", env=env).stdout.startswith(
        f"schema 2 (this Digit Lab's is {SCHEMA_VERSION}): "
    )
    out = cli("database", "upgrade", env=env)
    assert out.returncode == 0, out.stderr
    [line] = out.stdout.splitlines()
    assert line.startswith(f"upgraded the database from schema 2 to schema {SCHEMA_VERSION}: ")
    assert "password" not in line.lower() and (os.environ.get("PGPASSWORD") or "\0") not in line
    out = cli("database", "upgrade", env=env)
    assert out.stdout.startswith(f"the database is already at schema {SCHEMA_VERSION}: ")
    assert cli("class", "stats", env=env).stdout.startswith("5 labelled drawings")


def test_database_upgrade_of_a_newer_database_is_refused_in_one_line(tmp_path):
    from mnist_core.storage.database import SCHEMA_VERSION

    env = {**os.environ, "DIGITLAB_DATA_DIR": str(tmp_path), "DIGITLAB_DATABASE_URL": ""}
    assert cli("database", "upgrade", env=env).stdout.startswith(
        f"created the database at schema {SCHEMA_VERSION}: sqlite:///{tmp_path}/digitlab.db"
    )
    with sqlite3.connect(tmp_path / "digitlab.db") as conn:
        conn.execute("UPDATE digitlab_settings SET value = '99' WHERE key = 'schema_version'")
    out = cli("database", "upgrade", env=env)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == (
        "error: The class's drawings cannot be kept right now: the database was made by a newer "
        f"Digit Lab (schema 99, this one knows {SCHEMA_VERSION}).\n"
    )
