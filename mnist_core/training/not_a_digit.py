"""Train the not-a-digit detector (mnist_core/serving/novelty.py), in NumPy, in 5-10 minutes.

Digits: MNIST's training images (with the continental flags, crossbars and slashes of
styles.py, some thickened) and digits in the DejaVu fonts drawn on a canvas. Not digits:
the synthetic drawings of non_digits.py. All go through prepare_digit, as a canvas drawing
does. The threshold written here (0.5) is provisional: benchmarks/non_digits.py chooses it
on its tuning part (`--part tuning --set-threshold`) and reports the held-out part.

    python -m mnist_core.training.not_a_digit --data ../shared/data/mnist.npz \
        --out models/not_a_digit.npz
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

from mnist_core.dataset import Split, load_local, resolve_path
from mnist_core.serving.novelty import DETECTOR_FILE, Detector, save_detector
from mnist_core.serving.preprocess import prepare_digit

from .non_digits import CANVAS, fonts, non_digit
from .styles import with_styles

HIDDEN = 256


def digits(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """MNIST digits restyled, a third thickened, half turned, slanted or squeezed a little
    (hands vary more than MNIST's writers), a third blown up onto the canvas first (as a
    digit drawn large reaches prepare_digit), prepared as the canvas's are."""
    split = with_styles(Split(x, y, x[:1], y[:1]), seed=int(rng.integers(1 << 30)))
    images = split.x_train.reshape(-1, 28, 28)
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


def not_digits(count: int, pairs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = []
    while len(out) < count:
        pixels = prepare_digit(non_digit(rng, pairs))
        if pixels is not None:
            out.append(pixels.ravel())
    return np.asarray(out, np.float32)


def train(
    x: np.ndarray, y: np.ndarray, epochs: int, rng: np.random.Generator, hidden: int = HIDDEN
) -> tuple:
    """A 784-`hidden`-1 ReLU network with a sigmoid output, cross-entropy, Adam, in NumPy."""
    params = [
        rng.normal(0, np.sqrt(2 / 784), (784, hidden)).astype(np.float32),
        np.zeros(hidden, np.float32),
        rng.normal(0, np.sqrt(2 / hidden), (hidden, 1)).astype(np.float32),
        np.zeros(1, np.float32),
    ]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    step, batch, rate = 0, 128, 1e-3
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        total = 0.0
        for start in range(0, len(x), batch):
            idx = order[start : start + batch]
            xb, yb = x[idx], y[idx]
            w0, b0, w1, b1 = params
            h = np.maximum(xb @ w0 + b0, 0.0)
            p = 1 / (1 + np.exp(-np.clip(h @ w1 + b1, -30, 30)))[:, 0]
            total += float(-np.sum(yb * np.log(p + 1e-7) + (1 - yb) * np.log(1 - p + 1e-7)))
            d = ((p - yb) / len(idx))[:, None].astype(np.float32)
            dh = (d @ w1.T) * (h > 0)
            grads = [xb.T @ dh, dh.sum(0), h.T @ d, d.sum(0)]
            step += 1
            lr = rate * 0.5 * (1 + np.cos(np.pi * epoch / epochs))
            for p_, g, m, v in zip(params, grads, moments, squares):
                m *= 0.9
                m += 0.1 * g
                v *= 0.999
                v += 0.001 * g * g
                p_ -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        print(f"epoch {epoch + 1}/{epochs}: loss {total / len(x):.4f}", flush=True)
    return tuple(params)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="MNIST .npz (default: $MNIST_PATH)")
    parser.add_argument("--out", type=Path, default=DETECTOR_FILE)
    parser.add_argument("--count", type=int, default=150_000, help="non-digits to draw")
    parser.add_argument("--hidden", type=int, default=HIDDEN, help="hidden units")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    mnist = load_local(resolve_path(args.data))
    x_train = (mnist.x_train * 255).round().astype(np.uint8)
    positives = np.concatenate(
        [digits(x_train, mnist.y_train, rng), font_digits(args.count // 10, rng)]
    )
    negatives = not_digits(args.count, x_train.reshape(-1, 28, 28), rng)
    print(f"{len(positives):,} digits, {len(negatives):,} not digits", flush=True)
    x = np.concatenate([positives, negatives])
    y = np.concatenate([np.zeros(len(positives)), np.ones(len(negatives))]).astype(np.float32)
    weights = train(x, y, args.epochs, rng, args.hidden)
    metadata = {
        "command": "python -m mnist_core.training.not_a_digit " + " ".join(argv or []),
        "digits": len(positives),
        "not_digits": len(negatives),
        "epochs": args.epochs,
        "hidden": args.hidden,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - started, 1),
    }
    save_detector(args.out, Detector(weights, 0.5, metadata))
    print(f"wrote {args.out} in {metadata['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
