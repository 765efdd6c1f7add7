"""Training settings and the named presets, checked before anything runs.

Plain Python: the Train page imports this in the server process to refuse bad settings
without loading TensorFlow.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

from mnist_core.i18n import Number, msg

INPUT_SIZE = 784
NUM_CLASSES = 10

INITS = ("truncated_normal", "uniform", "glorot", "he")
OUTPUTS = ("softmax", "linear")
LOSSES = ("cross_entropy", "mse")
OPTIMIZER_NAMES = ("sgd", "rmsprop", "adam")
ENGINE_NAMES = ("scratch", "keras")
SCHEDULES = ("constant", "cosine")

# Guards against settings that would exhaust a small machine's memory or never finish.
MAX_LAYER_WIDTH = 4096
MAX_HIDDEN_LAYERS = 8
MAX_PARAMETERS = 20_000_000
MAX_EPOCHS = 500


class ConfigError(ValueError):
    """A setting that cannot work; the message (a Message: a page shows it in the visitor's
    language, str() gives the English) says which and why."""


def written(value: float) -> Number:
    """A setting's number (a learning rate: 0.0001, 3, 0.03) with as many decimals as it
    has, for a sentence in the visitor's language (0,0001 in German)."""
    fraction = f"{value:.10f}".rstrip("0").partition(".")[2]
    return Number(value, len(fraction))


def parameter_count(sizes: tuple[int, ...] | list[int]) -> int:
    """Weights and biases of a dense network with these layer sizes: what every size limit
    (training settings, model files, averaged networks) counts."""
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


@dataclass(frozen=True)
class TrainConfig:
    hidden: tuple[int, ...] = (512,)  # widths of the hidden (ReLU) layers, input to output
    init: str = "glorot"  # weight initialisation: one of INITS
    output: str = "softmax"  # last layer: softmax probabilities or linear scores
    loss: str = "cross_entropy"  # cross_entropy (needs softmax) or mse against one-hot labels
    optimizer: str = "adam"  # sgd (the references' hand update), rmsprop or adam
    learning_rate: float = 1e-3  # step size of every update
    lr_schedule: str = "constant"  # constant, or cosine decay to zero over the whole run
    batch_size: int = 128  # images per gradient step
    epochs: int = 10  # passes over the training images
    augment: bool = False  # random rotation, scale, shift and stroke thickness per batch
    engine: str = "scratch"  # scratch (NaiveDense + GradientTape) or keras (model.fit)
    seed: int = 0  # one seed for initial weights, shuffling and augmentation
    validation_share: float = 1 / 12  # of training images held out for validation (5,000 of 60,000)
    report_every: int = 10  # a batch-loss event every this many steps
    class_data: bool = False  # also learn from the class's labelled drawings (some held out)
    class_share: float = 0.1  # the class's drawings, repeated to this share of the MNIST images
    start_from: str = ""  # the model whose weights it starts from; "" = random weights
    teacher: str = ""  # learn the answers of this (averaged) model, not only the labels
    # With a teacher: both sides' logits are divided by this before the softmax. Above 1, the
    # teacher's answer shows how much a 7 looks like a 1, not only that it is a 7 (Hinton et
    # al. 2015); 1 is the plain teacher's answer, as the bundled model learnt it before.
    temperature: float = 1.0
    label_weight: float = 0.0  # with a teacher: this share of the loss is the labels' own
    # Fine-tuning (with start_from): the weight of the start model's own answers on MNIST's
    # images beside the labels, so the network keeps reading MNIST while it learns the
    # class (learning without forgetting); 0 learns from the labels alone.
    remember_weight: float = 0.0

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return (INPUT_SIZE, *self.hidden, NUM_CLASSES)

    @property
    def parameter_count(self) -> int:
        return parameter_count(self.layer_sizes)

    def validate(self, train_size: int | None = None) -> TrainConfig:
        """Refuse settings that cannot work, before any process or data is touched."""
        _check_choice("init", self.init, INITS)
        _check_choice("output", self.output, OUTPUTS)
        _check_choice("loss", self.loss, LOSSES)
        _check_choice("optimizer", self.optimizer, OPTIMIZER_NAMES)
        _check_choice("engine", self.engine, ENGINE_NAMES)
        _check_choice("lr_schedule", self.lr_schedule, SCHEDULES)
        if self.loss == "cross_entropy" and self.output != "softmax":
            raise ConfigError(msg("cross-entropy compares probabilities: use the softmax output"))
        if not self.hidden:
            raise ConfigError(msg("give at least one hidden layer (for example 512)"))
        if len(self.hidden) > MAX_HIDDEN_LAYERS:
            raise ConfigError(
                msg(
                    "at most {most} hidden layers, got {count}",
                    most=MAX_HIDDEN_LAYERS,
                    count=len(self.hidden),
                )
            )
        for width in self.hidden:
            if not isinstance(width, int) or not 1 <= width <= MAX_LAYER_WIDTH:
                raise ConfigError(
                    # Translators: units are a layer's neurons; {got} is what was typed.
                    msg(
                        "each hidden layer needs 1 to {most} units, got {got}",
                        most=MAX_LAYER_WIDTH,
                        got=repr(width),
                    )
                )
        if self.parameter_count > MAX_PARAMETERS:
            raise ConfigError(
                msg(
                    "{count} weights is too many for this machine (at most {most}): use "
                    "fewer or narrower layers",
                    count=Number(self.parameter_count),
                    most=Number(MAX_PARAMETERS),
                )
            )
        if not self.learning_rate > 0 or self.learning_rate != self.learning_rate:
            raise ConfigError(
                msg("the learning rate must be above 0, got {got}", got=str(self.learning_rate))
            )
        if self.learning_rate > 1e3:
            raise ConfigError(
                msg(
                    "a learning rate of {rate} is absurd (at most {most})",
                    rate=written(self.learning_rate),
                    most=Number(1000),
                )
            )
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ConfigError(
                msg("the batch size must be at least 1, got {got}", got=repr(self.batch_size))
            )
        if not isinstance(self.epochs, int) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise ConfigError(
                # Translators: epochs are passes over all the training images.
                msg(
                    "epochs must be 1 to {most}, got {got}",
                    most=MAX_EPOCHS,
                    got=repr(self.epochs),
                )
            )
        if not 0 <= self.validation_share < 1:
            raise ConfigError(
                msg(
                    "the validation share must be 0 to 1, got {got}",
                    got=str(self.validation_share),
                )
            )
        if not 0 < self.class_share < 1:
            raise ConfigError(
                msg(
                    "the class's share must be between 0 and 1, got {got}",
                    got=str(self.class_share),
                )
            )
        if self.teacher and self.engine != "scratch":
            raise ConfigError(msg("learning from a teacher model needs the scratch engine"))
        if self.teacher and self.class_data:
            raise ConfigError(
                msg(
                    "a teacher model's answers replace every label, the class's drawings' "
                    "too: learn from the teacher or from the class's drawings, not both"
                )
            )
        if not 0 < self.temperature <= 20:
            raise ConfigError(f"the temperature must be above 0, at most 20: {self.temperature}")
        if not 0 <= self.label_weight <= 1:
            raise ConfigError(f"the labels' weight must be 0 to 1, got {self.label_weight}")
        if not 0 <= self.remember_weight <= 100:
            raise ConfigError(f"the weight of remembering must be 0 to 100: {self.remember_weight}")
        if self.remember_weight and self.engine != "scratch":
            raise ConfigError("remembering the start model's answers needs the scratch engine")
        if self.report_every < 1:
            raise ConfigError(msg("report_every must be at least 1"))
        if train_size is not None:
            usable = train_size - self.validation_count(train_size)
            if usable < 1:
                raise ConfigError(
                    msg(
                        "no training images are left to learn from ({count} in all)",
                        count=train_size,
                    )
                )
            if self.batch_size > usable:
                raise ConfigError(
                    msg(
                        "a batch of {size} is larger than the {count} training images",
                        size=self.batch_size,
                        count=usable,
                    )
                )
        return self

    def validation_count(self, train_size: int) -> int:
        return round(train_size * self.validation_share)

    def replace(self, **changes: object) -> TrainConfig:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["hidden"] = list(self.hidden)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> TrainConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(msg("unknown settings: {names}", names=", ".join(sorted(unknown))))
        values = dict(data)
        if "hidden" in values:
            values["hidden"] = tuple(values["hidden"])
        return cls(**values)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(
            msg(
                "{name} must be one of {choices}; got {got}",
                name=name,
                choices=", ".join(choices),
                got=repr(value),
            )
        )


def parse_hidden(text: str) -> tuple[int, ...]:
    """Read layer widths as a user types them: '256,128' or '256 128'."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts:
        raise ConfigError(msg("give at least one hidden layer width, for example 512 or 256,128"))
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ConfigError(
            msg("hidden layer widths must be whole numbers, got {got}", got=repr(text))
        ) from None
