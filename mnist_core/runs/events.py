"""What a training run reports while it runs: the same stream from both engines.

Plain data (no TensorFlow objects), so that events cross a process boundary as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mnist_core.serving.network import MLP


@dataclass(frozen=True)
class RunStarted:
    epochs: int
    steps_per_epoch: int
    train_size: int
    validation_size: int
    kind: str = "started"

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch


@dataclass(frozen=True)
class BatchEnd:
    step: int  # steps done so far, counted from 1
    epoch: int  # the epoch this step belongs to, counted from 1
    loss: float  # this batch's loss
    samples_per_second: float  # training throughput so far
    elapsed: float  # seconds of training so far
    kind: str = "batch"


@dataclass(frozen=True)
class EpochEnd:
    epoch: int
    step: int
    loss: float  # mean batch loss over the epoch
    train_accuracy: float  # on the batches as they were trained (augmented if augmenting)
    val_accuracy: float | None  # on held-out training images; None without any
    samples_per_second: float
    elapsed: float
    class_accuracy: float | None = None  # on the class's held-out drawings, when learning them
    kind: str = "epoch"


@dataclass(frozen=True)
class RunEnded:
    status: str  # FINISHED, STOPPED, DIVERGED or FAILED
    step: int
    epoch: int
    message: str
    elapsed: float
    samples_per_second: float
    kind: str = "ended"


@dataclass(frozen=True)
class WeightsSnapshot:
    """The network as it is mid-run, so the app can draw with a model still learning."""

    step: int
    network: MLP
    kind: str = "weights"


Event = RunStarted | BatchEnd | EpochEnd | RunEnded | WeightsSnapshot
EventSink = Callable[[Event], None]
