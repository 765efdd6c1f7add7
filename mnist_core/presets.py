"""The named presets: the two reference programs, their Keras twin, the recommended run, a
run that fits in a lesson, and fine-tuning a trained model on the class's drawings.

Their wording is what a student reads on the Train page (plain words first, the precise
terms in `detail`); the settings are plain `TrainConfig`s.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import ConfigError, TrainConfig

RECOMMENDED = TrainConfig(
    hidden=(1024, 1024),
    init="he",
    optimizer="adam",
    learning_rate=1e-3,
    lr_schedule="cosine",
    epochs=40,
    augment=True,
)
LESSON_EPOCHS = 12  # measured: 99.05% of MNIST, 124 s of training here (see issue 20)
FINE_RATE = 1e-4  # a tenth of the recommended step: adjusts a trained network, not rebuilds it
CLASS_SHARE = 0.3  # the class's drawings, repeated to 30% of the MNIST images in the one pass


@dataclass(frozen=True)
class Preset:
    name: str
    title: str  # plain words, for the menu
    description: str  # plain words: what it does and how well it reads digits
    detail: str  # the precise terms, for a tooltip and the teacher
    config: TrainConfig


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "seed-mse-mlp",
            "Slow learner (first example program)",
            "Takes tiny careful steps and a scoring rule that barely punishes mistakes, so "
            "it learns slowly on purpose: about 57% right after 10 passes.",
            "Reference 1: 784-256-128-10, truncated-normal weights, linear output, mean "
            "squared error against one-hot labels, SGD at 0.001 for 10 epochs.",
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
            "Built by hand (second example program)",
            "One layer of 512 units, every piece written out by hand, small plain steps: "
            "about 82% right after 10 passes.",
            "Reference 2: NaiveDense layers from scratch, 784-512-10, uniform [0, 0.1) "
            "weights, softmax and cross-entropy, SGD at 0.001 for 10 epochs.",
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
            "Quick and good (the second program with Keras)",
            "The same network as the hand-built one, made with the Keras library, with "
            "steps that adapt their size: about 98% right after 5 passes.",
            "Reference 2 through Keras: 784-512-10 Dense layers, Glorot weights, RMSprop "
            "at 0.001, model.fit for 5 epochs.",
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
            "Best for drawn digits (long)",
            "A big network that practises on tilted, stretched, shifted, thick and thin "
            "digits, so it reads digits the way people draw them, not only the ones it "
            "was shown. Takes 40 passes.",
            "784-1024-1024-10, He weights, Adam at 0.001 with cosine decay, 40 epochs, "
            "augmented images (rotations, slants, scaling, shifts, elastic wobbles, stroke "
            "width, 1s with a flag, 7s with a bar, 0s with a slash).",
            RECOMMENDED,
        ),
        Preset(
            "lesson",
            "Ready within a lesson (3 minutes)",
            "The big network on varied digits, in fewer passes: start it at the beginning of "
            "an activity and draw with it by the end. Reads about 99% of MNIST.",
            f"784-1024-1024-10, He weights, Adam at 0.001 with cosine decay, {LESSON_EPOCHS} "
            "epochs, augmented images as the recommended run has them.",
            RECOMMENDED.replace(epochs=LESSON_EPOCHS),
        ),
        Preset(
            "fine-tune",
            "Learn the class's handwriting (from a trained model)",
            "Starts from a trained model and adjusts it gently, in one pass, to the class's "
            "own drawings, which it sees many times over: it learns your style and keeps "
            "reading MNIST. Under a minute.",
            "Start from a trained model with Also learn from the class's drawings: Adam at "
            f"{FINE_RATE:g} (a tenth of the usual step) with cosine decay, 1 epoch, augmented "
            f"images, the class's drawings repeated to {CLASS_SHARE:.0%} of the MNIST images.",
            RECOMMENDED.replace(learning_rate=FINE_RATE, epochs=1, class_share=CLASS_SHARE),
        ),
    )
}

# The preset the Train page picks when it starts from a trained model and learns from the class.
FINE_TUNE = "fine-tune"

# The settings a student can change on the Train page, as the page names them.
SETTING_NAMES = {
    "hidden": "layers",
    "init": "starting weights",
    "output": "output",
    "loss": "scoring rule (loss)",
    "optimizer": "way of stepping (optimizer)",
    "learning_rate": "step size (learning rate)",
    "lr_schedule": "slowing down",
    "batch_size": "batch size",
    "epochs": "passes (epochs)",
    "augment": "varied images",
    "engine": "engine",
    "seed": "random start (seed)",
    "class_share": "share of the class's drawings",
}


def changed_settings(preset: str, config: TrainConfig) -> list[str]:
    """The settings in which `config` differs from the preset, by the names the page uses:
    once any has changed, what the preset promises no longer applies. Fine-tuning keeps the
    layers of the model it starts from, whatever they are."""
    base = PRESETS[preset].config
    own = ("hidden", "output") if preset == FINE_TUNE else ()  # the start model's, not its own
    return [
        label
        for key, label in SETTING_NAMES.items()
        if key not in own and getattr(base, key) != getattr(config, key)
    ]


def preset_config(name: str) -> TrainConfig:
    try:
        return PRESETS[name].config
    except KeyError:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
