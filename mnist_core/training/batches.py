"""Shuffled mini-batches of training images, as the reference programs' BatchGenerator made them."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


class BatchGenerator:
    """Shuffled mini-batches, one epoch per iteration, reproducible from the seed.

    In the spirit of the reference BatchGenerator, with a fresh shuffle each epoch; the last
    batch may be smaller so that every image is seen once per epoch.
    """

    def __init__(
        self, images: np.ndarray, labels: np.ndarray, batch_size: int, seed: int = 0
    ) -> None:
        if len(images) != len(labels):
            raise ValueError(f"{len(images)} images but {len(labels)} labels")
        if batch_size < 1:
            raise ValueError(f"batch size must be at least 1, got {batch_size}")
        self.images = images
        self.labels = labels
        self.batch_size = batch_size
        self._rng = np.random.default_rng(seed)

    @property
    def num_batches(self) -> int:
        return -(-len(self.images) // self.batch_size)

    @property
    def last_batch_size(self) -> int:
        return len(self.images) - (self.num_batches - 1) * self.batch_size

    def index_table(self) -> np.ndarray:
        """The next epoch's shuffled order as one (num_batches, batch_size) int32 table, for
        an engine that gathers its batches on the device; the last row's tail past
        `last_batch_size` is padding (index 0)."""
        table = np.zeros(self.num_batches * self.batch_size, np.int32)
        table[: len(self.images)] = self._rng.permutation(len(self.images))
        return table.reshape(self.num_batches, self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        order = self._rng.permutation(len(self.images))
        for start in range(0, len(order), self.batch_size):
            index = order[start : start + self.batch_size]
            yield self.images[index], self.labels[index]
