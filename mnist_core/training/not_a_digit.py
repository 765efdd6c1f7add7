"""Train the not-a-digit detector (mnist_core/serving/novelty.py), in Keras, in 10-15 minutes.

Digits: MNIST's training images (with the continental flags, crossbars and slashes of
styles.py, some thickened), digits in the DejaVu fonts, and digits drawn in strokes with
the canvas's brush (STROKE_DIGITS; half of them angular: in straight bars or with their
curves cut straight). Not digits: the synthetic drawings of non_digits.py.
All go through prepare_digit, as a canvas drawing does. The threshold written here (0.5)
is provisional: benchmarks/non_digits.py chooses it on its tuning part (`--part tuning
--set-threshold`) and reports the other parts. Several members (`--members`) are trained
apart on the same drawings, from other seeds; the server averages their logits, reading
the weights with NumPy alone.

    python -m mnist_core.training.not_a_digit --data ../shared/data/mnist.npz \
        --out models/not_a_digit.npz
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import keras
import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

from mnist_core.dataset import Split, load_local, resolve_path
from mnist_core.serving.novelty import DETECTOR_FILE, Detector, save_detector
from mnist_core.serving.preprocess import prepare_digit

from .non_digits import CANVAS, Points, fitted, fonts, non_digit
from .styles import with_styles

# Defaults, as the bundled detector was trained:
CHANNELS = 32  # the first convolution's filters; the second has twice as many
HIDDEN = 64  # units between the convolutions and the output
EPOCHS = 6  # passes over the 255,000 drawings (105,000 digits, 150,000 not)
MEMBERS = 2  # networks trained apart (seeds seed, seed + 1, ...) and averaged
BATCH = 128


def digits(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """MNIST digits restyled, a third thickened, half turned, slanted or squeezed a little
    (hands vary more than MNIST's writers), a third blown up onto the canvas first (as a
    digit drawn large reaches prepare_digit), prepared as the canvas's are."""
    images = restyled(x, y, seed=int(rng.integers(1 << 30))).reshape(-1, 28, 28)
    out = np.empty((len(images), 784), np.float32)
    for i, image in enumerate(images):
        if rng.random() < 0.33:
            image = ndimage.grey_dilation(image, size=(2, 2))
        if rng.random() < 0.5:
            image = _slanted(image, rng)
        if rng.random() < 0.33:
            box = int(rng.uniform(100, 260))
            image = np.asarray(Image.fromarray(image).resize((box, box), Image.Resampling.BILINEAR))
        out[i] = prepare_digit(image).ravel()
    return out


def restyled(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """MNIST's 0-255 digits (n, 784) with styles.py's flags on 1s, crossbars on 7s and
    slashes through 0s, as hands draw them. styles.py draws in [0, 1] ink: laid over 0-255
    pixels its strokes would be invisible, and a slashed 0 would look unlike any digit."""
    inked = x.astype(np.float32) / 255
    split = with_styles(Split(inked, y, inked[:1], y[:1]), seed=seed)
    return np.round(split.x_train * 255).astype(np.uint8)


def _slanted(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 28x28 digit turned up to 15 degrees, sheared up to 0.3 and stretched up to 25%
    either way, about its centre."""
    turn = np.radians(rng.uniform(-15, 15))
    shear = rng.uniform(-0.3, 0.3)
    sx, sy = rng.uniform(0.8, 1.25, 2)
    rotate = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    forward = rotate @ np.array([[1.0, 0.0], [shear, 1.0]]) @ np.diag([sy, sx])
    inverse = np.linalg.inv(forward)
    centre = np.array([13.5, 13.5])
    moved = ndimage.affine_transform(
        image.astype(np.float32), inverse, offset=centre - inverse @ centre, order=1
    )
    return np.clip(moved, 0, 255).astype(np.uint8)


def font_digits(count: int, rng: np.random.Generator) -> np.ndarray:
    """Printed digits in every DejaVu face, tilted and sized at random."""
    faces = fonts(160)
    out = np.empty((count, 784), np.float32)
    for i in range(count):
        font = faces[rng.integers(len(faces))]
        glyph = Image.new("L", (CANVAS, CANVAS), 0)
        ImageDraw.Draw(glyph).text((60, 20), str(rng.integers(10)), fill=255, font=font)
        glyph = glyph.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BILINEAR)
        out[i] = prepare_digit(np.asarray(glyph)).ravel()
    return out


def _oval(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> Points:
    """Points along an ellipse from `start` to `end` degrees (0 is right, 90 is down)."""
    angles = np.radians(np.linspace(start, end, max(8, int(abs(end - start) / 10))))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


# Digits as a hand draws them on the canvas, in a 0-1 box, with the usual variants; the
# same brush draws them as non_digits.py draws its non-digits, so that the detector cannot
# tell a digit from a non-digit by how the ink was laid down.
STROKE_DIGITS: tuple[tuple[int, list[Points]], ...] = (
    (0, [_oval(0.5, 0.5, 0.35, 0.5, -90, 280)]),
    (0, [_oval(0.5, 0.5, 0.35, 0.5, -90, 280), [(0.95, 0.0), (0.05, 1.0)]]),  # slashed 0
    (1, [[(0.5, 0), (0.5, 1)]]),
    (1, [[(0.2, 0.25), (0.55, 0), (0.55, 1)]]),  # flagged 1
    (1, [[(0.2, 0.2), (0.55, 0), (0.55, 1)], [(0.25, 1), (0.85, 1)]]),  # 1 on a base
    (2, [[*_oval(0.5, 0.3, 0.4, 0.3, 200, 380), (0.05, 1), (0.95, 1)]]),
    (3, [_oval(0.5, 0.25, 0.4, 0.25, -160, 90) + _oval(0.5, 0.75, 0.45, 0.25, -90, 160)]),
    (4, [[(0.6, 0), (0.05, 0.65), (0.95, 0.65)], [(0.7, 0.3), (0.7, 1)]]),  # open 4
    (4, [[(0.7, 1), (0.7, 0), (0.05, 0.65), (0.95, 0.65)]]),  # closed 4
    (5, [[(0.9, 0), (0.2, 0), (0.15, 0.45), *_oval(0.5, 0.68, 0.4, 0.32, -150, 150)]]),
    (6, [[(0.8, 0), (0.35, 0.3), (0.1, 0.7), *_oval(0.5, 0.72, 0.4, 0.28, 180, 540)]]),
    (7, [[(0.05, 0), (0.95, 0), (0.35, 1)]]),
    (7, [[(0.05, 0), (0.95, 0), (0.35, 1)], [(0.3, 0.5), (0.85, 0.5)]]),  # crossed 7
    (8, [_oval(0.5, 0.25, 0.33, 0.25, 90, 450), _oval(0.5, 0.75, 0.42, 0.25, -90, 270)]),
    (9, [_oval(0.5, 0.28, 0.4, 0.28, 0, 360), [(0.9, 0.28), (0.85, 1)]]),  # straight tail
    (9, [_oval(0.5, 0.28, 0.4, 0.28, 0, 360), [(0.9, 0.28), (0.85, 0.8), (0.5, 1), (0.2, 0.9)]]),
)


def stroke_digits(count: int, rng: np.random.Generator) -> np.ndarray:
    """Digits drawn in strokes with the canvas's brush, narrow or wide, leaning, tilted;
    half of them angular (issue 27: an 8 of two five-sided loops is an 8): a quarter in
    straight bars, a quarter with their curves cut into straight pieces."""
    out = np.empty((count, 784), np.float32)
    for i in range(count):
        _, strokes = STROKE_DIGITS[rng.integers(len(STROKE_DIGITS))]
        wide, lean = rng.uniform(0.5, 1.2), rng.uniform(-0.3, 0.3)
        strokes = [[(x * wide + lean * (1 - y), y) for x, y in s] for s in strokes]
        kind = rng.random()
        if kind < 1 / 4:
            strokes = segment_digit(int(rng.integers(10)), wide, lean, rng)
        elif kind < 1 / 2:
            strokes = [cornered(s, rng) for s in strokes]
        out[i] = prepare_digit(fitted(rng, strokes, rng.uniform(-12, 12))).ravel()
    return out


# A digit of straight bars, as a calculator shows it and some hands write it with a ruler's
# corners: the segments a (top), b, c (right, top and bottom), d (bottom), e, f (left,
# bottom and top), g (middle), each between two of six corners.
SEGMENTS = {
    "a": ("top left", "top right"),
    "b": ("top right", "middle right"),
    "c": ("middle right", "bottom right"),
    "d": ("bottom left", "bottom right"),
    "e": ("middle left", "bottom left"),
    "f": ("top left", "middle left"),
    "g": ("middle left", "middle right"),
}
SEGMENT_DIGITS = (  # 0 to 9
    "abcdef",
    "bc",
    "abged",
    "abgcd",
    "fgbc",
    "afgcd",
    "afgedc",
    "abc",
    "abcdefg",
    "abfgcd",
)


def segment_digit(digit: int, wide: float, lean: float, rng: np.random.Generator) -> list[Points]:
    """`digit` in straight bars, `wide` as wide as tall, leaning `lean`, its corners a
    little off where a hand puts them, the middle bar anywhere from 0.4 to 0.6 down."""
    middle = rng.uniform(0.4, 0.6)
    corners = {
        f"{row} {side}": (x * wide + lean * (1 - y) + rng.normal(0, 0.03), y + rng.normal(0, 0.03))
        for row, y in (("top", 0.0), ("middle", middle), ("bottom", 1.0))
        for side, x in (("left", 0.0), ("right", 1.0))
    }
    return [[corners[a], corners[b]] for a, b in (SEGMENTS[s] for s in SEGMENT_DIGITS[digit])]


def cornered(stroke: Points, rng: np.random.Generator) -> Points:
    """A stroke drawn in straight lines: its curves cut into pieces 0.35 to 0.6 of the
    digit's height long (a loop of a 0: a box to a heptagon) at evenly spaced points of its
    length (a little off), its own corners (turns of more than 40 degrees) and ends kept."""
    if len(stroke) <= 4:  # already straight lines
        return stroke
    points = np.asarray(stroke, np.float64)
    steps = np.diff(points, axis=0)
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*steps.T))])
    heading = np.arctan2(steps[:, 1], steps[:, 0])
    turns = np.abs((np.diff(heading) + np.pi) % (2 * np.pi) - np.pi)
    pieces = max(2, round(along[-1] / rng.uniform(0.35, 0.6)))
    step = along[-1] / pieces
    # The cuts start anywhere along the stroke (a 0's corners on its diagonals: a box).
    at = (rng.uniform(0, step) + step * np.arange(pieces)) % along[-1]
    at += rng.uniform(-0.2, 0.2, pieces) * step
    at = np.union1d(np.clip(at, 0, along[-1]), [0.0, along[-1]])
    at = np.union1d(at, along[1:-1][turns > math.radians(40)])
    xs, ys = np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])
    return [(float(x), float(y)) for x, y in zip(xs, ys)]


def not_digits(count: int, pairs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`count` drawings of non_digits.py, prepared; a line every 25,000 (minutes in all)."""
    out = []
    while len(out) < count:
        pixels = prepare_digit(non_digit(rng, pairs))
        if pixels is not None:
            out.append(pixels.ravel())
            if len(out) % 25_000 == 0:
                print(f"{len(out):,} of {count:,} non-digits drawn", flush=True)
    return np.asarray(out, np.float32)


def network(channels: int = CHANNELS, hidden: int = HIDDEN) -> keras.Sequential:
    """Two 3x3 convolutions (`channels`, then twice as many), each followed by 2x2 max
    pooling, `hidden` units, one logit: the layout novelty.Detector reads in NumPy."""
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(channels, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(2 * channels, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(1),
        ]
    )


def train(
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    seed: int,
    channels: int = CHANNELS,
    hidden: int = HIDDEN,
) -> tuple[np.ndarray, ...]:
    """One detector network trained with Adam and a cosine schedule on binary
    cross-entropy (y = 1: not a digit); its weights in novelty.ARRAYS's order."""
    keras.utils.set_random_seed(seed)
    model = network(channels, hidden)
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, epochs * (len(x) // BATCH))
    model.compile(
        keras.optimizers.Adam(schedule), keras.losses.BinaryCrossentropy(from_logits=True)
    )
    model.fit(x.reshape(-1, 28, 28, 1), y, batch_size=BATCH, epochs=epochs, verbose=2)
    return tuple(np.asarray(w, np.float32) for w in model.get_weights())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="MNIST .npz (default: $MNIST_PATH)")
    parser.add_argument("--out", type=Path, default=DETECTOR_FILE)
    parser.add_argument("--count", type=int, default=150_000, help="non-digits to draw")
    parser.add_argument("--channels", type=int, default=CHANNELS, help="first convolution")
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="hidden units")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--members", type=int, default=MEMBERS, help="networks averaged")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    mnist = load_local(resolve_path(args.data))
    x_train = (mnist.x_train * 255).round().astype(np.uint8)
    positives = np.concatenate(
        [
            digits(x_train, mnist.y_train, rng),
            font_digits(args.count // 10, rng),
            stroke_digits(args.count // 5, rng),
        ]
    )
    negatives = not_digits(args.count, x_train.reshape(-1, 28, 28), rng)
    print(f"{len(positives):,} digits, {len(negatives):,} not digits", flush=True)
    x = np.concatenate([positives, negatives])
    y = np.concatenate([np.zeros(len(positives)), np.ones(len(negatives))]).astype(np.float32)
    members = []
    for member in range(args.members):
        print(f"network {member + 1} of {args.members}", flush=True)
        members.append(train(x, y, args.epochs, args.seed + member, args.channels, args.hidden))
    weights = tuple(np.stack(arrays) for arrays in zip(*members))
    metadata = {
        "command": "python -m mnist_core.training.not_a_digit "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "digits": len(positives),
        "not_digits": len(negatives),
        **{k: getattr(args, k) for k in ("channels", "hidden", "epochs", "members", "seed")},
        "seconds": round(time.perf_counter() - started, 1),
    }
    save_detector(args.out, Detector(weights, 0.5, metadata))
    print(f"wrote {args.out} in {metadata['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
