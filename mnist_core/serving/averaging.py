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

from mnist_core.config import MAX_LAYER_WIDTH, MAX_PARAMETERS, parameter_count

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
    _check_size(combined_sizes(networks))
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
            weights.append(np.hstack(layer_w) if i == 0 else _block_diagonal(layer_w))
            biases.append(np.concatenate(layer_b))
    return MLP(
        tuple(w.astype(np.float32) for w in weights),
        tuple(b.astype(np.float32) for b in biases),
        first.output,
    )


def apart(network: MLP, count: int) -> list[MLP]:
    """The `count` networks that `side_by_side` put together, taken out again: a distilled
    network learns from their average at their own cost, not the wide network's, whose
    mostly-zero block-diagonal layers cost `count` times as much to multiply."""
    if count < 2:
        return [network]
    sizes = network.layer_sizes
    if any(width % count for width in sizes[1:-1]):
        raise AveragingError(f"layers {'-'.join(map(str, sizes))} do not split into {count}")
    last = len(network.weights) - 1
    for w in network.weights[1:last]:  # side by side, each hidden layer feeds only its own
        blocks = np.kron(
            np.eye(count, dtype=bool), np.ones((w.shape[0] // count, w.shape[1] // count), bool)
        )
        if np.any(w[~blocks]):
            raise AveragingError(
                f"this model is not {count} networks side by side (its layers mix them, as "
                "after fine-tuning): it cannot be taken apart"
            )
    members = []
    for k in range(count):
        weights, biases = [], []
        for i, (w, b) in enumerate(zip(network.weights, network.biases)):
            rows = w.shape[0] // count if i > 0 else w.shape[0]
            cols = w.shape[1] // count if i < last else w.shape[1]
            r0 = k * rows if i > 0 else 0
            c0 = k * cols if i < last else 0
            block = w[r0 : r0 + rows, c0 : c0 + cols]
            # The output layer was divided by the count; each member's own layer is not.
            # Their output biases were averaged into one: each member gets that average, so
            # the members' mean answer is exactly the wide network's.
            weights.append(block * count if i == last else block)
            biases.append(b if i == last else b[c0 : c0 + cols])
        members.append(MLP(tuple(weights), tuple(biases), network.output))
    return members


def combined_sizes(networks: list[MLP]) -> tuple[int, ...]:
    """The layer sizes of the networks side by side: each hidden layer's widths added up."""
    hidden = zip(*(n.layer_sizes[1:-1] for n in networks))
    first = networks[0].layer_sizes
    return (first[0], *(sum(widths) for widths in hidden), first[-1])


def _check_size(sizes: tuple[int, ...]) -> None:
    """Refuse, before building it, a model the app would refuse to load or start from."""
    shown = "-".join(map(str, sizes))
    if max(sizes[1:-1], default=0) > MAX_LAYER_WIDTH:
        raise AveragingError(
            f"side by side they make {shown}, wider than the {MAX_LAYER_WIDTH:,} units a "
            "layer may have: average fewer or narrower networks"
        )
    weights = parameter_count(sizes)
    if weights > MAX_PARAMETERS:
        raise AveragingError(
            f"side by side they make {shown}, {weights:,} weights, more than the "
            f"{MAX_PARAMETERS:,} Digit Lab reads: average fewer or narrower networks"
        )


def _block_diagonal(blocks: list[np.ndarray]) -> np.ndarray:
    rows, cols = sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)
    out = np.zeros((rows, cols), np.float32)
    r = c = 0
    for block in blocks:
        out[r : r + block.shape[0], c : c + block.shape[1]] = block
        r, c = r + block.shape[0], c + block.shape[1]
    return out
