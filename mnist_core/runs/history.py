"""A run's curves and state, rebuilt from its events wherever they arrive."""

from __future__ import annotations

from dataclasses import dataclass, field

from .events import BatchEnd, EpochEnd, Event, RunEnded, RunStarted


@dataclass
class History:
    """Curves and state rebuilt from a run's events."""

    started: RunStarted | None = None
    losses: list[tuple[int, float]] = field(default_factory=list)
    epochs: list[EpochEnd] = field(default_factory=list)
    last_batch: BatchEnd | None = None
    ended: RunEnded | None = None

    def copy(self) -> History:
        """A copy that later events do not change, for writing down from another thread."""
        return History(
            self.started, list(self.losses), list(self.epochs), self.last_batch, self.ended
        )

    def add(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.started = event
        elif isinstance(event, BatchEnd):
            self.losses.append((event.step, event.loss))
            self.last_batch = event
        elif isinstance(event, EpochEnd):
            self.epochs.append(event)
        elif isinstance(event, RunEnded):
            self.ended = event

    def to_dict(self) -> dict:
        return {
            "loss": [[step, loss] for step, loss in self.losses],
            "epochs": [
                {
                    "epoch": e.epoch,
                    "step": e.step,
                    "loss": e.loss,
                    "train_accuracy": e.train_accuracy,
                    "val_accuracy": e.val_accuracy,
                    "class_accuracy": e.class_accuracy,
                }
                for e in self.epochs
            ],
        }
