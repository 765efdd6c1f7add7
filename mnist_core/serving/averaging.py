"""Averaging networks, stored as one wider network that holds them side by side.

Two or three networks trained alike make different mistakes; averaging their outputs reads
more digits right than any one of them. Rather than a new kind of model file, the networks
are put side by side in one MLP: the first layer holds all their first layers next to each
other, each deeper layer is block-diagonal (every network only sees its own units), and the
output layer adds their outputs up divided by their number. The result is exactly the
average of the networks' raw outputs (logits, for softmax networks), served, exported to
Keras and shown like any other MLP.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import block_diag

from .network import MLP


class AveragingError(ValueError):
    """Networks that cannot be averaged; the message says why."""


def side_by_side(networks: list[MLP]) -> MLP:
    """One MLP whose raw output is the mean of the networks' raw outputs."""
    if len(networks) < 2:
        raise AveragingError("averaging needs at least two networks")
    first = networks[0]
    for other in networks[1:]:
        if other.output != first.output:
            raise AveragingError(
                f"a {first.output}-output network cannot be averaged with a "
                f"{other.output}-output one"
            )
        if len(other.weights) != len(first.weights):
            raise AveragingError(
                "the networks must have the same number of layers, not "
                f"{'-'.join(map(str, first.layer_sizes))} and "
                f"{'-'.join(map(str, other.layer_sizes))}"
            )
    count = len(networks)
    last = len(first.weights) - 1
    weights, biases = [], []
    for i in range(last + 1):
        layer_w = [n.weights[i] for n in networks]
        layer_b = [n.biases[i] for n in networks]
        if i == last:
            # Shared inputs (a network without hidden layers) or each network's own units.
            weights.append(np.mean(layer_w, 0) if i == 0 else np.vstack(layer_w) / count)
            biases.append(np.mean(layer_b, axis=0))
        else:
            weights.append(np.hstack(layer_w) if i == 0 else block_diag(*layer_w))
            biases.append(np.concatenate(layer_b))
    return MLP(
        tuple(w.astype(np.float32) for w in weights),
        tuple(b.astype(np.float32) for b in biases),
        first.output,
    )
