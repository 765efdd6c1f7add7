"""TensorBoard event files for a run, what a TensorFlow user looks for after `model.fit`.

Scalars: the batch loss and learning rate at every reported step, and each epoch's loss and
train, validation and class accuracy. Each epoch also gets every layer's weights and biases
as histograms and the first layer's weights as one picture: each hidden unit's 784 weights
as a 28x28 tile (grey is zero, white positive, black negative), 64 units at most.

TensorFlow 2.21 no longer installs the `tensorboard` package, and `tf.summary.scalar` and
its kin need it, so each value is written with `tf.summary.write` (in TensorFlow itself) in
the form TensorBoard's own summaries have: tagged for its scalars, histograms or images
plugin. Installing `tensorboard` is needed only to look at them.
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf
from tensorflow.core.framework.summary_pb2 import SummaryMetadata

from mnist_core.config import TrainConfig
from mnist_core.runs.events import BatchEnd, EpochEnd, Event, RunEnded
from mnist_core.serving.network import MLP

from .optimizers import learning_rate_at

TILE = 28
GRID = 8  # tiles per row and column of the first layer's picture
BUCKETS = 30  # bars in each histogram, as TensorBoard's own histogram summary has them


def _plugin(name: str) -> SummaryMetadata:
    return SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=name))


SCALARS, HISTOGRAMS, IMAGES = _plugin("scalars"), _plugin("histograms"), _plugin("images")


def scalar(tag: str, value: float, step: int) -> None:
    tf.summary.write(tag, tf.constant(value, tf.float32), step=step, metadata=SCALARS)


def histogram(tag: str, values: np.ndarray, step: int) -> None:
    """Buckets as TensorBoard keeps them: rows of (left edge, right edge, count)."""
    counts, edges = np.histogram(values, bins=BUCKETS)
    buckets = np.stack([edges[:-1], edges[1:], counts], axis=1).astype(np.float64)
    tf.summary.write(tag, buckets, step=step, metadata=HISTOGRAMS)


def image(tag: str, picture: np.ndarray, step: int) -> None:
    """A (height, width) picture in [0, 1], as TensorBoard keeps one: width, height, PNG."""
    png = tf.io.encode_png(np.round(picture * 255).astype(np.uint8)[:, :, None])
    height, width = picture.shape
    tf.summary.write(tag, tf.stack([str(width), str(height), png]), step=step, metadata=IMAGES)


class TensorBoardLog:
    """An event sink that writes a run's events, and a hook for its weights at epoch ends."""

    def __init__(self, logdir: str | os.PathLike, config: TrainConfig, total_steps: int) -> None:
        self.config = config
        self.total_steps = total_steps
        self._writer = tf.summary.create_file_writer(os.fspath(logdir))

    def __call__(self, event: Event) -> None:
        with self._writer.as_default():
            if isinstance(event, BatchEnd):
                scalar("batch/loss", event.loss, event.step)
                rate = learning_rate_at(self.config, event.step - 1, self.total_steps)
                scalar("batch/learning_rate", rate, event.step)
            elif isinstance(event, EpochEnd):
                figures = {
                    "loss": event.loss,
                    "train_accuracy": event.train_accuracy,
                    "val_accuracy": event.val_accuracy,
                    "class_accuracy": event.class_accuracy,
                }
                for name, value in figures.items():
                    if value is not None:
                        scalar(f"epoch/{name}", value, event.epoch)
            elif isinstance(event, RunEnded):
                self._writer.flush()

    def weights(self, epoch: int, network: MLP) -> None:
        """Histograms of every layer and the first layer's picture, at the end of `epoch`."""
        with self._writer.as_default():
            for i, (w, b) in enumerate(zip(network.weights, network.biases)):
                histogram(f"weights/layer{i}/W", w, epoch)
                histogram(f"weights/layer{i}/b", b, epoch)
            image("first_layer/units", first_layer_picture(network), epoch)

    def close(self) -> None:
        self._writer.close()


def first_layer_picture(network: MLP) -> np.ndarray:
    """The first 64 hidden units' weights as 28x28 tiles in a grid, in [0, 1]; each tile is
    scaled by its own largest weight, so zero stays mid-grey."""
    units = network.weights[0][:, : GRID * GRID].T.reshape(-1, TILE, TILE)
    scale = np.abs(units).max(axis=(1, 2), keepdims=True)
    tiles = 0.5 + 0.5 * units / np.where(scale > 0, scale, 1.0)
    rows = -(-len(tiles) // GRID)
    picture = np.ones((rows * (TILE + 1) - 1, GRID * (TILE + 1) - 1), np.float32)
    for k, tile in enumerate(tiles):
        top, left = divmod(k, GRID)
        picture[top * (TILE + 1) : top * (TILE + 1) + TILE, left * (TILE + 1) :][:, :TILE] = tile
    return picture
