"""The named presets: the two reference programs, their Keras twin, the recommended run, a
run that fits in a lesson, and fine-tuning a trained model on the class's drawings.

Their wording is what a student reads on the Train page (plain words first, the precise
terms in `detail`); the settings are plain `TrainConfig`s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import ConfigError, TrainConfig
from .i18n import Message, Number, Percent, msg

RECOMMENDED = TrainConfig(
    hidden=(1024, 1024),
    init="he",
    optimizer="adam",
    learning_rate=1e-3,
    lr_schedule="cosine",
    epochs=40,
    augment=True,
)
LESSON_EPOCHS = 12  # measured: 98.96-99.03% of MNIST over 3 seeds, 115-121 s of training here
FINE_RATE = 1e-4  # a tenth of the recommended step: adjusts a trained network, not rebuilds it
CLASS_SHARE = 0.3  # the class's drawings, repeated to 30% of the MNIST images in the one pass
# While it learns the class, the network also keeps the start model's own answers on the
# MNIST images, weighed as much as the labels (learning without forgetting): measured on
# five kinds of class, MNIST fell 0.04-0.17 points without it, 0.01-0.09 with it.
REMEMBER = 1.0


@dataclass(frozen=True)
class Preset:
    name: str
    title: Message  # plain words, for the menu
    short: Message  # a few words, for a run's name: "Run 3: lesson"
    description: Message  # plain words: what it does and how well it reads digits
    detail: Message  # the precise terms, for a tooltip and the teacher
    config: TrainConfig


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "seed-mse-mlp",
            msg("Slow learner (first example program)"),
            msg("slow learner"),
            msg(
                "Takes tiny careful steps and a scoring rule that barely punishes mistakes, "
                "so it learns slowly on purpose: about {share} right after {passes} passes.",
                share=Percent(0.57),
                passes=10,
            ),
            msg(
                "Reference 1: 784-256-128-10, truncated-normal weights, linear output, mean "
                "squared error against one-hot labels, SGD at {rate} for {epochs} epochs.",
                rate=Number(1e-3),
                epochs=10,
            ),
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
            msg("Built by hand (second example program)"),
            msg("built by hand"),
            msg(
                # Translators: units are the neurons of a layer.
                "One layer of {units} units, every piece written out by hand, small plain "
                "steps: about {share} right after {passes} passes.",
                units=512,
                share=Percent(0.82),
                passes=10,
            ),
            msg(
                "Reference 2: NaiveDense layers from scratch, 784-512-10, uniform [0, 0.1) "
                "weights, softmax and cross-entropy, SGD at {rate} for {epochs} epochs.",
                rate=Number(1e-3),
                epochs=10,
            ),
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
            msg("Quick and good (the second program with Keras)"),
            msg("quick and good"),
            msg(
                "The same network as the hand-built one, made with the Keras library, with "
                "steps that adapt their size: about {share} right after {passes} passes.",
                share=Percent(0.98),
                passes=5,
            ),
            msg(
                "Reference 2 through Keras: 784-512-10 Dense layers, Glorot weights, RMSprop "
                "at {rate}, model.fit for {epochs} epochs.",
                rate=Number(1e-3),
                epochs=5,
            ),
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
            msg("Best for drawn digits (long)"),
            msg("best for drawn digits"),
            msg(
                "A big network that practises on tilted, stretched, shifted, thick and thin "
                "digits, so it reads digits the way people draw them, not only the ones it "
                "was shown. Takes {passes} passes.",
                passes=40,
            ),
            msg(
                "784-1024-1024-10, He weights, Adam at {rate} with cosine decay, {epochs} "
                "epochs, augmented images (rotations, slants, scaling, shifts, elastic "
                "wobbles, stroke width, 1s with a flag, 7s with a bar, 0s with a slash).",
                rate=Number(1e-3),
                epochs=40,
            ),
            RECOMMENDED,
        ),
        Preset(
            "lesson",
            msg("Ready within a lesson ({minutes} minutes)", minutes=3),
            msg("lesson"),
            msg(
                "The big network on varied digits, in fewer passes: start it at the "
                "beginning of an activity and draw with it by the end. Reads about {share} "
                "of MNIST.",
                share=Percent(0.99, 1),  # measured: 98.96%, 99.00%, 99.03% (seeds 0, 1, 2)
            ),
            msg(
                "784-1024-1024-10, He weights, Adam at {rate} with cosine decay, {epochs} "
                "epochs, augmented images as the recommended run has them.",
                rate=Number(1e-3),
                epochs=LESSON_EPOCHS,
            ),
            RECOMMENDED.replace(epochs=LESSON_EPOCHS),
        ),
        Preset(
            "fine-tune",
            msg("Learn the class's handwriting (from a trained model)"),
            msg("the class's handwriting"),
            msg(
                "Starts from a trained model and adjusts it gently, in one pass, to the "
                "class's own drawings, which it sees many times over: it learns your style "
                "and keeps reading MNIST. Under a minute."
            ),
            msg(
                # Translators: "Start from" and "Also learn from the class's drawings" are
                # the names of two settings on the Train page: write them as translated there.
                "Start from a trained model with Also learn from the class's drawings: Adam "
                "at {rate} (a tenth of the usual step) with cosine decay, 1 epoch, augmented "
                "images, the class's drawings repeated to {share} of the MNIST images, and "
                "the start model's own answers on those images kept (learning without "
                "forgetting, weight {remember}).",
                rate=Number(FINE_RATE, 4),
                share=Percent(CLASS_SHARE),
                remember=Number(REMEMBER),
            ),
            RECOMMENDED.replace(
                learning_rate=FINE_RATE,
                epochs=1,
                class_share=CLASS_SHARE,
                remember_weight=REMEMBER,
            ),
        ),
    )
}

# The preset the Train page picks when it starts from a trained model and learns from the class.
FINE_TUNE = "fine-tune"

# The settings a student can change on the Train page, as the page names them (in "you
# changed the layers, batch size, ...").
SETTING_NAMES = {
    # Translators: the settings a student changed, listed in "you changed the {settings}".
    "hidden": msg("layers"),
    "init": msg("starting weights"),
    "output": msg("output"),
    "loss": msg("scoring rule (loss)"),
    "optimizer": msg("way of stepping (optimizer)"),
    "learning_rate": msg("step size (learning rate)"),
    "lr_schedule": msg("slowing down"),
    "batch_size": msg("batch size"),
    "epochs": msg("passes (epochs)"),
    "augment": msg("varied images"),
    "engine": msg("engine"),
    "seed": msg("random start (seed)"),
    "class_share": msg("share of the class's drawings"),
}


def run_name(name: str) -> Message | str:
    """A run's name as a visitor reads it: the database keeps a preset's key ("lesson", or
    "custom (lesson)" once a setting changed) for every language, a student's own name is
    shown as it was typed."""
    if name in PRESETS:
        return PRESETS[name].short
    custom = re.fullmatch(r"custom \((.+)\)", name)
    if custom and custom.group(1) in PRESETS:
        # Translators: a run that started from a preset and changed some of its settings.
        return msg("custom ({preset})", preset=PRESETS[custom.group(1)].short)
    return name


def changed_settings(preset: str, config: TrainConfig) -> list[Message]:
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
        raise ConfigError(
            msg(
                "unknown preset {name}; choose one of {names}",
                name=repr(name),
                names=", ".join(PRESETS),
            )
        ) from None
