"""Does learning from the class's drawings help? Fine-tune the bundled model on a "class".

The class here is drawn by hands that are not MNIST's (benchmarks/handwriting.py: a 1 with a
flag, a crossed 7, open 4s, looped 2s, ...), prepared exactly as the Draw page prepares a
drawing, exported in the Class page's .npz layout, and given to the command line as a user
would: `train --start-from models/default.npz --class-data class.npz`. It prints the
bundled model's MNIST test accuracy and its accuracy on the held-out class drawings, before
and after.

Usage: python -m benchmarks.fine_tune [--data mnist.npz] [--per-digit 12] [--epochs 1]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from benchmarks.handwriting import HELD_OUT, jittered
from mnist_core.serving.model_files import BUNDLED_MODEL, read_metadata
from mnist_core.serving.preprocess import prepare_digit

ROOT = Path(__file__).resolve().parent.parent


def class_file(path: Path, per_digit: int) -> int:
    """The held-out hands' digits as the Class page would export them; returns how many."""
    images, labels = [], []
    for drawn in jittered(HELD_OUT, per_digit, seed=7):
        pixels = prepare_digit(drawn.image)
        if pixels is not None:
            images.append((pixels * 255).round().astype(np.uint8))
            labels.append(drawn.digit)
    np.savez(path, x=np.stack(images), y=np.array(labels, np.uint8))
    return len(labels)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="mnist.npz (else $MNIST_PATH)")
    parser.add_argument("--per-digit", type=int, default=12, help="drawings per hand and style")
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        drawings = Path(folder) / "class.npz"
        count = class_file(drawings, args.per_digit)
        command = [
            sys.executable, "-m", "mnist_core", "train", "--preset", "recommended",
            "--start-from", str(BUNDLED_MODEL), "--class-data", str(drawings),
            "--epochs", str(args.epochs), "--json",
        ]  # fmt: skip
        if args.data:
            command += ["--data", args.data]
        out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    before = read_metadata(BUNDLED_MODEL)["metrics"]["test_accuracy"]
    print(f"{count} class drawings by {len(HELD_OUT)} hands not in MNIST; a quarter held out")
    print(f"MNIST test set:        {before:.2%} -> {summary['test_accuracy']:.2%}")
    print(
        f"held-out class drawings: {summary['class_accuracy_before']:.2%} -> "
        f"{summary['class_accuracy']:.2%}  ({args.epochs} epoch(s), {summary['seconds']:.0f} s)"
    )
    print(json.dumps({"class_drawings": count, "mnist_before": before, **summary}))


if __name__ == "__main__":
    main()
