"""`python -m mnist_core average A.npz B.npz [C.npz ...] --out OUT.npz`: one model from several.

The networks are put side by side in one MLP whose output is the average of theirs (see
`serving/averaging.py`), scored on the MNIST test set, and saved with a record of every
network it holds: file, command, test accuracy.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from mnist_core.serving.averaging import AveragingError, side_by_side
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
    """Average the files into one model, score it, save it; a bad input is one line."""
    out = Path(args.out)
    if out.suffix != SUFFIX:
        raise ModelFileError(f"--out must end in {SUFFIX}: {out}")
    if out.exists() and not args.force:
        raise FileExistsError(f"{out} already exists; add --force to replace it")
    members = [(Path(path), load_model(path)) for path in args.models]
    for path, saved in members:
        if _members_of(saved.metadata) > 1:
            raise AveragingError(
                f"{path.name} is already an average of {_members_of(saved.metadata)} "
                "networks: average their own files instead, so that each counts the same"
            )
    network = side_by_side([saved.network for _, saved in members])
    data = load_mnist(args.data)
    result = evaluate(network, data.x_test, data.y_test)
    records = [_member_record(path, saved) for path, saved in members]
    presets = {record["preset"] for record in records}
    metadata = {
        "name": out.stem,
        "preset": presets.pop() if len(presets) == 1 else None,
        "command": "python -m mnist_core " + shlex.join(argv),
        "config": _shared_config(records, network.layer_sizes),
        "status": "finished",
        "data_source": data.source,
        "metrics": {**result.to_dict(), "train_seconds": _total_seconds(records)},
        "members": records,
    }
    save_model(out, network, metadata, args.force)
    print(f"wrote {out}: the average of {len(members)} networks")
    for record in records:
        accuracy = record["test_accuracy"]
        known = f"{accuracy:.2%}" if isinstance(accuracy, float) else "unknown"
        print(f"  {record['file']}: test accuracy {known}")
    print(f"averaged: test accuracy {result.accuracy:.2%} on {len(data.y_test)} images")
    return 0


def _members_of(metadata: dict) -> int:
    members = metadata.get("members")
    return len(members) if isinstance(members, list) else 1


def _mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _member_record(path: Path, saved: SavedModel) -> dict:
    meta = saved.metadata
    metrics = _mapping(meta.get("metrics"))
    return {
        "file": path.name,
        "layers": list(saved.network.layer_sizes),
        "preset": meta.get("preset") if isinstance(meta.get("preset"), str) else None,
        "command": meta.get("command"),
        "config": meta.get("config") if isinstance(meta.get("config"), dict) else None,
        "test_accuracy": _number(metrics.get("test_accuracy")),
        "train_seconds": _number(metrics.get("train_seconds")),
        "sha256": meta.get("sha256"),
    }


def _shared_config(records: list[dict], sizes: tuple[int, ...]) -> dict | None:
    """The networks' training settings when they differ only in their seed, with the hidden
    widths of the whole model (what the pages show as its layers); else None."""
    configs = [record["config"] for record in records]
    if any(config is None for config in configs):
        return None
    unseeded = [{k: v for k, v in config.items() if k != "seed"} for config in configs]
    if any(config != unseeded[0] for config in unseeded):
        return None
    return {**unseeded[0], "hidden": list(sizes[1:-1])}


def _total_seconds(records: list[dict]) -> float | None:
    """How long all the networks took to train, when every one of them says."""
    seconds = [record["train_seconds"] for record in records]
    return None if None in seconds else round(sum(seconds), 2)
