"""Does learning from the class's drawings help, and what does it cost, for classes of
several kinds? The issue-20 and issue-27 tables.

Each kind of class (KINDS) is made of hands from benchmarks/handwriting.py, drawn on the
canvas, prepared exactly as the Draw page prepares a drawing and exported in the Class
page's .npz layout, and given to the command line as a user would: `train --preset
fine-tune --start-from MODEL --class-data class.npz`. Then both models, the one it started
from and the one it made, are scored on more drawings of the same hands that it never learnt
from (another draw of the jitter, all ten digits, right labels), on the drawings the command
kept aside, and on the MNIST test set. The kinds: `worst` (the two hands the bundled model
reads worst), `like-mnist` (American hands), `continental` (flags, crossbars, slashes),
`wrong-labels` (a tenth of the class's labels are another digit) and `three-digits` (a
class that labelled only 0s, 1s and 4s). The promise: errors on the class's hands halved
where there were some, MNIST within 0.1 point, under 30 s.

Usage: python -m benchmarks.fine_tune [--model M.npz] [--kind NAME ...] [--data mnist.npz]
    [--preset fine-tune] [--epochs N] [--train-args "--remember-weight 1"]
    python -m benchmarks.fine_tune --class-file C.npz --unseen U.npz   # a class of your own
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.handwriting import jittered
from mnist_core.dataset import ClassSet, load_class_file
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.preprocess import prepare_digit

ROOT = Path(__file__).resolve().parent.parent
WORST_HANDS = ("emil", "lena")  # the bundled model's worst: slashed 0s as 8s, long-flag 1s as 7s
ALL_DIGITS = tuple(range(10))


@dataclass(frozen=True)
class ClassKind:
    hands: tuple[str, ...]  # who draws the class's digits (and the unseen ones)
    per_digit: int  # drawings of each digit of each hand the class labels
    digits: tuple[int, ...] = ALL_DIGITS  # the digits the class labels
    wrong_share: float = 0.0  # of the class's labels that name another digit


KINDS = {
    "worst": ClassKind(WORST_HANDS, 6),
    "like-mnist": ClassKind(("bruno", "goran"), 6),
    "continental": ClassKind(("ada", "dora", "hana"), 4),
    "wrong-labels": ClassKind(WORST_HANDS, 6, wrong_share=0.1),
    "three-digits": ClassKind(WORST_HANDS, 20, digits=(0, 1, 4)),
}


def class_drawings(
    hands: tuple[str, ...], per_digit: int, seed: int, digits: tuple[int, ...] = tuple(range(10))
) -> ClassSet:
    """The hands' `digits` as the class would label them: drawn on the canvas, prepared as
    the Draw page prepares a drawing, kept as the 28x28 image the database holds."""
    images, labels = [], []
    for drawn in jittered(hands, per_digit, seed=seed):
        if drawn.digit not in digits:
            continue
        pixels = prepare_digit(drawn.image)
        if pixels is not None:
            images.append((pixels * 255).round().astype(np.uint8))
            labels.append(drawn.digit)
    return ClassSet.from_images(np.stack(images), np.array(labels, np.uint8))


def mislabelled(drawings: ClassSet, share: float, seed: int) -> ClassSet:
    """The drawings with `share` of their labels changed to another digit, as a class that
    clicks the wrong button now and then gives them."""
    rng = np.random.default_rng(seed)
    labels = drawings.y.copy()
    wrong = rng.random(len(labels)) < share
    labels[wrong] = (labels[wrong] + rng.integers(1, 10, wrong.sum())) % 10
    return ClassSet(drawings.x, labels.astype(drawings.y.dtype))


def save_class(path: Path, drawings: ClassSet) -> None:
    """The drawings in the Class page's export layout."""
    np.savez(path, x=(drawings.x.reshape(-1, 28, 28) * 255).round().astype(np.uint8), y=drawings.y)


def fine_tune(args: argparse.Namespace, class_path: Path, out: Path) -> dict:
    """The command line's JSON summary of learning from `class_path`, saved to `out`."""
    command = [
        sys.executable, "-m", "mnist_core", "train", "--preset", args.preset,
        "--start-from", args.model, "--class-data", str(class_path),
        "--out", str(out), "--force", "--json",
    ]  # fmt: skip
    if args.epochs:
        command += ["--epochs", str(args.epochs)]
    if args.data:
        command += ["--data", args.data]
    command += shlex.split(args.train_args)
    ran = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if ran.returncode:
        sys.exit(ran.stderr[-2000:])
    return json.loads(ran.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Outcome:
    kind: str
    learnt: int
    unseen: int
    unseen_before: float
    unseen_after: float
    kept_before: float | None
    kept_after: float | None
    mnist_before: float
    mnist_after: float
    seconds: float

    def row(self) -> str:
        kept = (
            "n/a" if self.kept_after is None else f"{self.kept_before:.1%} -> {self.kept_after:.1%}"
        )
        errors = (round((1 - a) * self.unseen) for a in (self.unseen_before, self.unseen_after))
        return (
            f"| {self.kind} | {self.learnt} | {self.unseen_before:.1%} -> {self.unseen_after:.1%}"
            f" ({' -> '.join(map(str, errors))} errors) | {kept} | {self.mnist_before:.2%} -> "
            f"{self.mnist_after:.2%} ({100 * (self.mnist_after - self.mnist_before):+.2f}) "
            f"| {self.seconds:.0f} s |"
        )


def measure(args: argparse.Namespace, kind: str, class_path: Path, unseen: ClassSet) -> Outcome:
    """Fine-tune on the class file and score both models on the unseen drawings."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tuned.npz"
        summary = fine_tune(args, class_path, out)
        tuned = load_model(out).network
    start = load_model(args.model).network
    return Outcome(
        kind=kind,
        learnt=len(load_class_file(class_path)),
        unseen=len(unseen),
        unseen_before=evaluate(start, unseen.x, unseen.y).accuracy,
        unseen_after=evaluate(tuned, unseen.x, unseen.y).accuracy,
        kept_before=summary.get("class_accuracy_before"),
        kept_after=summary.get("class_accuracy"),
        mnist_before=summary["test_accuracy_before"],
        mnist_after=summary["test_accuracy"],
        seconds=summary["seconds"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(BUNDLED_MODEL), help="the model to start from")
    parser.add_argument("--kind", nargs="+", choices=list(KINDS), default=list(KINDS))
    parser.add_argument("--class-file", help="the class's drawings (.npz x, y) instead of a kind")
    parser.add_argument("--unseen", help="with --class-file: drawings not to learn from")
    parser.add_argument("--preset", default="fine-tune")
    parser.add_argument("--epochs", type=int, help="override the preset's epochs")
    parser.add_argument("--train-args", default="", help="more flags for the train command")
    parser.add_argument("--data", help="mnist.npz (else $MNIST_PATH)")
    parser.add_argument("--unseen-per-digit", type=int, default=40)
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()
    outcomes = []
    with tempfile.TemporaryDirectory() as folder:
        if args.class_file:
            if not args.unseen:
                parser.error("--class-file needs --unseen")
            unseen = load_class_file(args.unseen)
            outcomes.append(
                measure(args, Path(args.class_file).stem, Path(args.class_file), unseen)
            )
        for name in [] if args.class_file else args.kind:
            kind = KINDS[name]
            drawings = class_drawings(kind.hands, kind.per_digit, seed=7, digits=kind.digits)
            if kind.wrong_share:
                drawings = mislabelled(drawings, kind.wrong_share, seed=7)
            class_path = Path(folder) / f"{name}.npz"
            save_class(class_path, drawings)
            unseen = class_drawings(kind.hands, args.unseen_per_digit, seed=8)
            outcomes.append(measure(args, name, class_path, unseen))
            print(outcomes[-1].row(), flush=True)
    print(f"\n{args.preset} {args.train_args} from {Path(args.model).name}:")
    print(
        "| class | drawings learnt | unseen drawings of its hands (all ten digits) | kept "
        "aside | MNIST test | time |\n| --- | --- | --- | --- | --- | --- |"
    )
    for outcome in outcomes:
        print(outcome.row())
    if args.json:
        print(json.dumps([o.__dict__ for o in outcomes]))


if __name__ == "__main__":
    main()
