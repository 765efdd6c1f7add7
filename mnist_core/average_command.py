"""`python -m mnist_core average A.npz B.npz [C.npz ...] --out OUT.npz`: one model from several.

The networks are put side by side in one MLP whose output is the average of theirs (see
`serving/averaging.py`), scored on the MNIST test set, and saved with a record of every
network it holds: file, command, test accuracy.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from mnist_core.serving.averaging import side_by_side
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import (
    SUFFIX,
    ModelFileError,
    SavedModel,
    load_model,
    save_model,
)
from mnist_core.training.mnist import load_mnist


def add_average_command(commands: argparse._SubParsersAction) -> None:
    """The `average` command, on the main parser."""
    parser = commands.add_parser("average", help="average two or more trained models into one")
    parser.add_argument("models", nargs="+", metavar="MODEL.npz")
    parser.add_argument("--out", required=True, help=f"the model file to write ({SUFFIX})")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    parser.add_argument("--data", help="a local mnist.npz (else $MNIST_PATH, else download)")


def run_average(args: argparse.Namespace, argv: list[str]) -> int:
    out = Path(args.out)
    if out.suffix != SUFFIX:
        raise ModelFileError(f"--out must end in {SUFFIX}: {out}")
    if out.exists() and not args.force:
        raise FileExistsError(f"{out} already exists; add --force to replace it")
    members = [(Path(path), load_model(path)) for path in args.models]
    network = side_by_side([saved.network for _, saved in members])
    data = load_mnist(args.data)
    result = evaluate(network, data.x_test, data.y_test)
    first = members[0][1].metadata
    metadata = {
        "name": out.stem,
        "preset": first.get("preset"),
        "command": "python -m mnist_core " + shlex.join(argv),
        "config": first.get("config"),
        "status": "finished",
        "data_source": data.source,
        "metrics": {**result.to_dict(), "train_seconds": _total_seconds(members)},
        "members": [_member_record(path, saved) for path, saved in members],
    }
    save_model(out, network, metadata, args.force)
    print(f"wrote {out}: the average of {len(members)} networks")
    for path, saved in members:
        accuracy = saved.metadata.get("metrics", {}).get("test_accuracy")
        known = f"{accuracy:.2%}" if isinstance(accuracy, float) else "unknown"
        print(f"  {path.name}: test accuracy {known}")
    print(f"averaged: test accuracy {result.accuracy:.2%} on {len(data.y_test)} images")
    return 0


def _member_record(path: Path, saved: SavedModel) -> dict:
    meta = saved.metadata
    metrics = meta.get("metrics") if isinstance(meta.get("metrics"), dict) else {}
    return {
        "file": path.name,
        "layers": list(saved.network.layer_sizes),
        "command": meta.get("command"),
        "test_accuracy": metrics.get("test_accuracy"),
        "sha256": meta.get("sha256"),
    }


def _total_seconds(members: list[tuple[Path, SavedModel]]) -> float | None:
    """How long all the networks took to train, when every one of them says."""
    seconds = [m.metadata.get("metrics", {}).get("train_seconds") for _, m in members]
    if not all(isinstance(s, int | float) for s in seconds):
        return None
    return round(float(sum(seconds)), 2)
