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
from mnist_core.serving.model_listing import model_info
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
        if (count := model_info(path, saved.metadata).members) > 1:
            raise AveragingError(
                f"{path.name} is already an average of {count} networks: average their own "
                "files instead, so that each counts the same"
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


def _member_record(path: Path, saved: SavedModel) -> dict:
    info = model_info(path, saved.metadata)  # every field checked, an odd one None
    preset = saved.metadata.get("preset")
    return {
        "file": path.name,
        "layers": list(info.layer_sizes),
        "preset": preset if isinstance(preset, str) else None,
        "command": saved.metadata.get("command"),
        "config": info.config or None,
        "test_accuracy": info.test_accuracy,
        "train_seconds": info.train_seconds,
        "sha256": saved.metadata.get("sha256"),
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
