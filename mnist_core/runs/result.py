"""What a finished run hands back: plain data, so it crosses from a training process to the app."""

from __future__ import annotations

from dataclasses import dataclass, replace

from mnist_core.config import TrainConfig
from mnist_core.i18n import Message
from mnist_core.serving.evaluation import Evaluation
from mnist_core.serving.network import MLP

from .history import History


@dataclass(frozen=True)
class TrainResult:
    status: str  # finished, stopped or diverged
    message: Message | str  # str() gives the English; a page translates a Message
    network: MLP | None  # the last finite weights; None once let go (without_network)
    config: TrainConfig
    history: History
    evaluation: Evaluation  # on the test set
    seconds: float  # wall clock of the training, compiling and validating included
    samples_per_second: float  # steady training throughput, after the first compiled call
    data_source: str
    class_evaluation: Evaluation | None = None  # on the class's held-out drawings, if learnt
    class_accuracy_before: float | None = None  # the starting model's, on the same drawings
    test_accuracy_before: float | None = None  # the starting model's, on the same test set

    def without_network(self) -> TrainResult:
        """What an old run keeps: its figures, not its weights or per-image arrays."""
        class_figures = self.class_evaluation and self.class_evaluation.figures_only()
        return replace(
            self,
            network=None,
            evaluation=self.evaluation.figures_only(),
            class_evaluation=class_figures,
        )

    def summary(self) -> dict:
        """The JSON the command line prints last."""
        ended = self.history.ended
        return {
            "status": self.status,
            "message": str(self.message),
            "test_accuracy": self.evaluation.accuracy,
            "epochs": len(self.history.epochs),
            "steps": ended.step if ended else 0,
            "seconds": round(self.seconds, 3),
            "samples_per_second": round(self.samples_per_second, 1),
            "engine": self.config.engine,
            "class_accuracy": self.class_evaluation and self.class_evaluation.accuracy,
            "class_accuracy_before": self.class_accuracy_before,
            "class_drawings_held_out": self.class_evaluation
            and int(self.class_evaluation.confusion.sum()),
            "test_accuracy_before": self.test_accuracy_before,
        }

    def metadata(self, name: str, preset: str | None, command: str | None = None) -> dict:
        """What a saved model file records about how it was made and how well it reads."""
        return {
            "name": name,
            "preset": preset,
            "command": command,
            "config": self.config.to_dict(),
            "status": self.status,
            "data_source": self.data_source,
            "metrics": {
                **self.evaluation.to_dict(),
                "train_seconds": round(self.seconds, 2),
                "samples_per_second": round(self.samples_per_second, 1),
                "class_accuracy": self.class_evaluation and self.class_evaluation.accuracy,
            },
            "history": self.history.to_dict(),
        }
