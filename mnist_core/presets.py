"""The named presets: the two reference programs, their Keras twin, and the recommended run.

Their wording is what a student reads on the Train page; the settings are plain `TrainConfig`s.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import ConfigError, TrainConfig


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    config: TrainConfig


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "seed-mse-mlp",
            "Reference 1: squared error, plain SGD",
            "784-256-128-10, truncated-normal weights, linear output, mean squared error "
            "against one-hot labels, SGD at 0.001 for 10 epochs. Learns slowly on purpose: "
            "about 57% after 10 epochs.",
            TrainConfig(
                hidden=(256, 128),
                init="truncated_normal",
                output="linear",
                loss="mse",
                optimizer="sgd",
                learning_rate=1e-3,
                epochs=10,
            ),
        ),
        Preset(
            "seed-naive-dense",
            "Reference 2: NaiveDense from scratch",
            "784-512-10 built by hand, uniform [0, 0.1) weights, softmax and cross-entropy, "
            "SGD at 0.001 for 10 epochs: about 82%.",
            TrainConfig(
                hidden=(512,),
                init="uniform",
                optimizer="sgd",
                learning_rate=1e-3,
                epochs=10,
            ),
        ),
        Preset(
            "keras-rmsprop",
            "Reference 2 through Keras",
            "The same 784-512-10 network with Keras's Dense layers, RMSprop and model.fit, "
            "5 epochs: about 98%.",
            TrainConfig(
                hidden=(512,),
                init="glorot",
                optimizer="rmsprop",
                learning_rate=1e-3,
                epochs=5,
                engine="keras",
            ),
        ),
        Preset(
            "recommended",
            "Recommended for drawn digits",
            "784-1024-1024-10 with He weights and Adam, a cosine learning-rate decay, and "
            "augmented images (small rotations, slants, scaling, shifts, elastic wobbles, "
            "thicker and thinner strokes, and some 1s with a flag, 7s with a bar, 0s with a "
            "slash) so it reads hand-drawn digits the way people write them, not only MNIST's.",
            TrainConfig(
                hidden=(1024, 1024),
                init="he",
                optimizer="adam",
                learning_rate=1e-3,
                lr_schedule="cosine",
                epochs=40,
                augment=True,
            ),
        ),
    )
}


def preset_config(name: str) -> TrainConfig:
    try:
        return PRESETS[name].config
    except KeyError:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
