"""How well a network reads the test set: overall, per digit, and which digits it confuses."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mnist_core.config import NUM_CLASSES

from .network import MLP


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    per_class_accuracy: tuple[float, ...]
    confusion: np.ndarray  # confusion[true, predicted] = count
    misclassified: np.ndarray  # indices into the evaluated images, in order
    predictions: np.ndarray

    @property
    def wrong(self) -> int:
        """How many images it misread, from the confusion matrix (kept by figures_only)."""
        return int(self.confusion.sum() - np.trace(self.confusion))

    def figures_only(self) -> Evaluation:
        """Without the per-image arrays, which only sampling the mistakes needs."""
        empty = np.empty(0, np.int64)
        return replace(self, misclassified=empty, predictions=empty)

    def to_dict(self) -> dict:
        return {
            "test_accuracy": self.accuracy,
            "per_class_accuracy": list(self.per_class_accuracy),
            "confusion": self.confusion.tolist(),
            "misclassified": self.wrong,
        }


def accuracy(labels: np.ndarray, predictions: np.ndarray) -> float:
    return float(np.mean(np.asarray(labels) == np.asarray(predictions))) if len(labels) else 0.0


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    matrix = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
    np.add.at(matrix, (np.asarray(labels, np.int64), np.asarray(predictions, np.int64)), 1)
    return matrix


def per_class_accuracy(confusion: np.ndarray) -> tuple[float, ...]:
    totals = confusion.sum(axis=1)
    hits = np.diag(confusion)
    return tuple(float(h / t) if t else 0.0 for h, t in zip(hits, totals))


def evaluate(network: MLP, images: np.ndarray, labels: np.ndarray, batch: int = 2000) -> Evaluation:
    predictions = np.concatenate(
        [
            network.predict_proba(images[i : i + batch]).argmax(axis=1)
            for i in range(0, len(images), batch)
        ]
    )
    confusion = confusion_matrix(labels, predictions)
    return Evaluation(
        accuracy=accuracy(labels, predictions),
        per_class_accuracy=per_class_accuracy(confusion),
        confusion=confusion,
        misclassified=np.flatnonzero(predictions != np.asarray(labels)),
        predictions=predictions,
    )


@dataclass(frozen=True)
class Mistakes:
    """A few misclassified test digits, small enough to send to a page and draw."""

    images: np.ndarray  # (n, 28, 28) uint8
    labels: np.ndarray
    predicted: np.ndarray


def sample_mistakes(
    evaluation: Evaluation, images: np.ndarray, labels: np.ndarray, limit: int = 40
) -> Mistakes:
    index = evaluation.misclassified[:limit]
    pixels = np.round(np.asarray(images)[index].reshape(-1, 28, 28) * 255).astype(np.uint8)
    return Mistakes(pixels, np.asarray(labels)[index], evaluation.predictions[index])
