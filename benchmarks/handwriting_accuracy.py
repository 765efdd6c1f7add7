"""How well models read the hand-authored stroke sets, per hand and per style.

    python -m benchmarks.handwriting_accuracy [MODEL.npz ...] [--part held-out|tuning|fresh]
        [--per-digit N] [--seed N] [--json]
    python -m benchmarks.handwriting_accuracy --previous [REV|MODEL.npz] [--data mnist.npz]

Each drawing goes through the Draw page's own path (canvas pixels, MNIST-style preparation,
the network). Without a model it scores the bundled one. Choose settings on `tuning`;
quote `held-out` and `fresh`. With `--previous`, every figure of every part (and MNIST's
test set, given the data) is printed beside the previous bundled model's, in one run: by
default the models/default.npz of PREVIOUS_REV, read out of git into a temporary file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.handwriting import FRESH, HELD_OUT, TUNING, jittered
from mnist_core.dataset import resolve_path
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.network import MLP
from mnist_core.serving.preprocess import prepare_digit

PARTS = {"tuning": TUNING, "held-out": HELD_OUT, "fresh": FRESH}
ROOT = Path(__file__).resolve().parent.parent
PREVIOUS_REV = "3984379"  # the last commit whose models/default.npz was the 99.30% network


@dataclass(frozen=True)
class Scores:
    accuracy: float
    count: int
    by_style: dict[str, float]  # "1 flag" -> share read right
    by_hand: dict[str, float]
    mistakes: list[str]  # "dora 1 flag read as 7 (brush 24, size 0.41, slant -12)"


def prepared(part: str, per_digit: int, seed: int) -> tuple[list, np.ndarray]:
    """The part's drawings and the 28x28 images the network gets from them."""
    drawn = list(jittered(PARTS[part], per_digit, seed))
    return drawn, np.stack([prepare_digit(d.image) for d in drawn])


def score(network: MLP, drawn: list, images: np.ndarray) -> Scores:
    read = network.predict_proba(images).argmax(axis=1)
    right = read == np.array([d.digit for d in drawn])
    styles: dict[str, list[bool]] = defaultdict(list)
    hands: dict[str, list[bool]] = defaultdict(list)
    mistakes = []
    for d, ok, guess in zip(drawn, right, read):
        styles[f"{d.digit} {d.style}"].append(bool(ok))
        hands[d.hand].append(bool(ok))
        if not ok:
            mistakes.append(
                f"{d.hand} {d.digit} {d.style} read as {guess} "
                f"(brush {d.brush}, size {d.size:.2f}, slant {d.slant:+.0f})"
            )
    return Scores(
        accuracy=float(right.mean()),
        count=len(right),
        by_style={k: float(np.mean(v)) for k, v in sorted(styles.items())},
        by_hand={k: float(np.mean(v)) for k, v in hands.items()},
        mistakes=mistakes,
    )


def previous_model(source: str, folder: str) -> Path:
    """A model file as given, or the bundled model of a git revision, written to `folder`."""
    if Path(source).is_file():
        return Path(source)
    bundled = BUNDLED_MODEL.relative_to(ROOT).as_posix()
    shown = subprocess.run(
        ["git", "show", f"{source}:{bundled}"], cwd=ROOT, capture_output=True, check=True
    )
    path = Path(folder) / f"previous-{source}.npz"
    path.write_bytes(shown.stdout)
    return path


def side_by_side(previous: MLP, current: MLP, per_digit: int, seed: int, data: str | None) -> None:
    """Every figure of every part, the previous model's beside the current one's."""
    print("| figure | previous | now |\n| --- | --- | --- |")
    mnist = resolve_path(data)
    if mnist is not None:
        from mnist_core.dataset import load_local

        test = load_local(mnist)
        before, after = (
            evaluate(n, test.x_test, test.y_test).accuracy for n in (previous, current)
        )
        print(f"| MNIST test ({len(test.y_test):,}) | {before:.2%} | {after:.2%} |")
    for part in PARTS:
        drawn, images = prepared(part, per_digit, seed)
        old, new = score(previous, drawn, images), score(current, drawn, images)
        print(f"| {part}: all {old.count} drawings | {old.accuracy:.2%} | {new.accuracy:.2%} |")
        for hand in new.by_hand:
            print(f"| {part}: {hand} | {old.by_hand[hand]:.1%} | {new.by_hand[hand]:.1%} |")
        for style in new.by_style:
            print(f"| {part}: {style} | {old.by_style[style]:.1%} | {new.by_style[style]:.1%} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=[str(BUNDLED_MODEL)])
    parser.add_argument("--part", choices=list(PARTS), default="held-out")
    parser.add_argument("--per-digit", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--previous",
        nargs="?",
        const=PREVIOUS_REV,
        metavar="REV|MODEL.npz",
        help="every part's figures beside this model's (default: the previous bundled model)",
    )
    parser.add_argument("--data", help="with --previous: MNIST (else $MNIST_PATH) for its test")
    args = parser.parse_args(argv)
    if args.previous:
        with tempfile.TemporaryDirectory() as folder:
            previous = load_model(previous_model(args.previous, folder)).network
        current = load_model(args.models[0]).network
        side_by_side(previous, current, args.per_digit, args.seed, args.data)
        return
    drawn, images = prepared(args.part, args.per_digit, args.seed)
    for path in args.models:
        scores = score(load_model(path).network, drawn, images)
        if args.json:
            print(json.dumps({"model": path, "part": args.part, **scores.__dict__}))
            continue
        print(f"{path}: {scores.accuracy:.2%} of {scores.count} {args.part} drawings read right")
        print("  by hand:  " + ", ".join(f"{k} {v:.1%}" for k, v in scores.by_hand.items()))
        print("  by style: " + ", ".join(f"{k} {v:.1%}" for k, v in scores.by_style.items()))
        for line in scores.mistakes[:12]:
            print("  " + line)


if __name__ == "__main__":
    main()
