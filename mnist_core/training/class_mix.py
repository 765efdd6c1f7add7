"""Learning from the class's drawings: some held out to score, the rest mixed into MNIST.

A class labels a few hundred digits against 55,000 MNIST images, so the class's drawings are
repeated until they number a share of the MNIST images (`TrainConfig.class_share`: a tenth
when learning from nothing, more when fine-tuning a trained model for one pass): enough to
matter, not so much that the network forgets MNIST.
"""

from __future__ import annotations

import numpy as np

from mnist_core.dataset import ClassSet, Split

HOLDOUT_SHARE = 0.25  # of the class's drawings, kept aside to score the network on


def mix_in(split: Split, drawings: ClassSet, seed: int, share: float = 0.1) -> Split:
    """The MNIST split with the class's drawings added: repeated into the training images,
    and a held-out share as `x_class` / `y_class`."""
    drawings.check_for_learning()
    order = np.random.default_rng(seed).permutation(len(drawings))
    held = order[: max(2, round(len(drawings) * HOLDOUT_SHARE))]
    learn = order[len(held) :]
    repeats = max(1, round(share * len(split.x_train) / len(learn)))
    return Split(
        x_train=np.concatenate([split.x_train, np.tile(drawings.x[learn], (repeats, 1))]),
        y_train=np.concatenate([split.y_train, np.tile(drawings.y[learn], repeats)]),
        x_val=split.x_val,
        y_val=split.y_val,
        x_class=drawings.x[held],
        y_class=drawings.y[held],
        class_count=repeats * len(learn),
    )
