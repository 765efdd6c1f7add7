"""Training speed of this project's engines against plain Keras, all in one run.

Usage: python -m benchmarks.engine_speed [--data PATH] [--epochs N] [--preset NAME]
    [--steps-per-execution N] [--rounds N]

The same network, optimizer, batch size and data (the preset's; by default keras-rmsprop:
784-512-10, RMSprop, batch 128, 55,000 training and 5,000 validation images) go through:

- `model.fit` as a user writes it, Keras's defaults (which compile the step with XLA);
- `model.fit` compiled with `steps_per_execution=N`, then also with `jit_compile=True`;
- this project's from-scratch engine and Keras engine, through `train()`;
- the command line, `python -m mnist_core train ... --json`, in a child process.

Two figures each, in samples per second: steady (training time of epochs 2..N, after
compiling and warming up, validation left out) and end to end (every training sample over
the wall clock, building, compiling and validating included). For the command line: its
JSON's `samples_per_second` and epochs x images / its JSON's `seconds`. The machine is
shared, so the ratios, measured side by side, say more than the absolute figures; with
`--rounds N` every peer runs N times, in turn, and keeps its best figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import keras

from mnist_core.config import TrainConfig
from mnist_core.dataset import Mnist
from mnist_core.presets import preset_config
from mnist_core.runs.events import EpochEnd
from mnist_core.training.mnist import load_mnist
from mnist_core.training.train import train


class EpochTimer(keras.callbacks.Callback):
    """Training time of each epoch: from its start to its validation's start."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []
        self._began = 0.0

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self._began = time.perf_counter()

    def on_test_begin(self, logs=None) -> None:
        self.seconds.append(time.perf_counter() - self._began)


def train_size(config: TrainConfig, data: Mnist) -> int:
    return len(data.x_train) - config.validation_count(len(data.x_train))


def plain_keras(config: TrainConfig, data: Mnist, **compile_options) -> tuple[float, float]:
    """(steady, end to end) samples/s of the Keras program a user writes, as it is."""
    split = data.split_validation(config.validation_count(len(data.x_train)))
    timer = EpochTimer()
    began = time.perf_counter()
    model = keras.Sequential(
        [keras.Input((784,))]
        + [keras.layers.Dense(width, activation="relu") for width in config.hidden]
        + [keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.get(
            {"class_name": config.optimizer, "config": {"learning_rate": config.learning_rate}}
        ),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        **compile_options,
    )
    model.fit(
        split.x_train,
        split.y_train,
        batch_size=config.batch_size,
        epochs=config.epochs,
        validation_data=(split.x_val, split.y_val),
        callbacks=[timer],
        verbose=0,
    )
    wall = time.perf_counter() - began
    samples = len(split.x_train)
    return samples * (config.epochs - 1) / sum(timer.seconds[1:]), samples * config.epochs / wall


def ours(config: TrainConfig, data: Mnist) -> tuple[float, float]:
    """(steady, end to end) samples/s of one of this project's engines through train()."""
    epochs: list[EpochEnd] = []
    began = time.perf_counter()
    train(config, data, on_event=lambda e: epochs.append(e) if isinstance(e, EpochEnd) else None)
    wall = time.perf_counter() - began
    first, last = epochs[0], epochs[-1]
    samples = (last.step - first.step) * config.batch_size
    return samples / (last.elapsed - first.elapsed), train_size(config, data) * config.epochs / wall


def command_line(
    preset: str, config: TrainConfig, data: Mnist, data_path: str | None
) -> tuple[float, float]:
    """(samples_per_second, end to end) from the command line's own JSON."""
    command = [sys.executable, "-m", "mnist_core", "train", "--preset", preset, "--json"]
    command += ["--engine", config.engine, "--epochs", str(config.epochs)]
    command += ["--data", data_path] if data_path else []
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = json.loads(out.strip().splitlines()[-1])
    end_to_end = train_size(config, data) * summary["epochs"] / summary["seconds"]
    return summary["samples_per_second"], end_to_end


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="mnist.npz (default: $MNIST_PATH or download)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--preset", default="keras-rmsprop")
    parser.add_argument("--steps-per-execution", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    data = load_mnist(args.data)
    base = preset_config(args.preset).replace(epochs=args.epochs)
    spe = args.steps_per_execution
    scratch = base.replace(engine="scratch")
    peers = {
        "keras fit, defaults": lambda: plain_keras(base, data),
        f"keras fit, steps_per_execution={spe}": lambda: plain_keras(
            base, data, steps_per_execution=spe
        ),
        f"keras fit, jit_compile, steps_per_execution={spe}": lambda: plain_keras(
            base, data, jit_compile=True, steps_per_execution=spe
        ),
        "ours: scratch engine, train()": lambda: ours(scratch, data),
        "ours: keras engine, train()": lambda: ours(base.replace(engine="keras"), data),
        "ours: command line, scratch": lambda: command_line(args.preset, scratch, data, args.data),
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in peers}
    for _ in range(args.rounds):
        for name, measure in peers.items():
            runs[name].append(measure())
            print(f"  {name}: {runs[name][-1][0]:,.0f}, {runs[name][-1][1]:,.0f}", flush=True)
    rates = {name: (max(s for s, _ in got), max(e for _, e in got)) for name, got in runs.items()}
    plain_steady, plain_end = rates["keras fit, defaults"]
    sizes = "-".join(map(str, base.layer_sizes))
    print(f"network {sizes}, {base.optimizer}, batch {base.batch_size}, {args.epochs} epochs")
    print(f"{'':50s} {'steady':>10s} {'end to end':>11s}   (samples/s; x plain fit)")
    for name, (steady, end) in rates.items():
        print(
            f"{name:50s} {steady:10,.0f} {end:11,.0f}   "
            f"{steady / plain_steady:.2f}x {end / plain_end:.2f}x"
        )
    fastest_keras = max(steady for name, (steady, _) in rates.items() if name.startswith("keras"))
    scratch_steady = rates["ours: scratch engine, train()"][0]
    summary = {
        "samples_per_second": {name: [round(s), round(e)] for name, (s, e) in rates.items()},
        "scratch_vs_plain_fit_steady": round(scratch_steady / plain_steady, 3),
        "scratch_vs_fastest_keras_steady": round(scratch_steady / fastest_keras, 3),
        "command_line_vs_plain_fit_end_to_end": round(
            rates["ours: command line, scratch"][1] / plain_end, 3
        ),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
