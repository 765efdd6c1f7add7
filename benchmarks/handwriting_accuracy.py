"""How well models read the hand-authored stroke sets, per hand and per style.

    python -m benchmarks.handwriting_accuracy [MODEL.npz ...] [--part held-out|tuning|fresh]
        [--per-digit N] [--seed N] [--json]

Each drawing goes through the Draw page's own path (canvas pixels, MNIST-style preparation,
the network). Without a model it scores the bundled one. Choose settings on `tuning`;
quote `held-out` and `fresh`.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from benchmarks.handwriting import FRESH, HELD_OUT, TUNING, jittered
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.network import MLP
from mnist_core.serving.preprocess import prepare_digit

PARTS = {"tuning": TUNING, "held-out": HELD_OUT, "fresh": FRESH}


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=[str(BUNDLED_MODEL)])
    parser.add_argument("--part", choices=list(PARTS), default="held-out")
    parser.add_argument("--per-digit", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
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
