"""Training speed of the two engines on the same network, optimizer and batch size.

Usage: python -m benchmarks.engine_speed [--data PATH] [--epochs N] [--preset NAME]

Prints samples per second for the from-scratch engine and for Keras model.fit, measured
after the first epoch (which includes compiling), and their ratio.
"""

from __future__ import annotations

import argparse
import json

from mnist_core.presets import preset_config
from mnist_core.runs.events import EpochEnd
from mnist_core.training.mnist import load_mnist
from mnist_core.training.train import train


def steady_rate(config, data) -> float:
    """Samples per second over epochs 2..N: compiling and warm-up are left out."""
    epochs: list[EpochEnd] = []
    train(config, data, on_event=lambda e: epochs.append(e) if isinstance(e, EpochEnd) else None)
    first, last = epochs[0], epochs[-1]
    samples = (last.step - first.step) * config.batch_size
    return samples / (last.elapsed - first.elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="mnist.npz (default: $MNIST_PATH or download)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--preset", default="keras-rmsprop")
    args = parser.parse_args()
    data = load_mnist(args.data)
    base = preset_config(args.preset).replace(epochs=args.epochs)
    rates = {
        engine: steady_rate(base.replace(engine=engine), data) for engine in ("scratch", "keras")
    }
    ratio = rates["scratch"] / rates["keras"]
    sizes = "-".join(map(str, base.layer_sizes))
    print(f"network {sizes}, {base.optimizer}, batch {base.batch_size}, {args.epochs} epochs")
    for engine, rate in rates.items():
        print(f"{engine:8s} {rate:10,.0f} samples/s")
    print(f"scratch / keras: {ratio:.2f}x")
    print(json.dumps({"samples_per_second": rates, "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
