"""Digits as people write them: the stroke sets, the styles added to MNIST, the bundled model."""

import numpy as np
import tensorflow as tf

from benchmarks.handwriting import FRESH, HANDS, HELD_OUT, TEACHING, TUNING, jittered
from benchmarks.handwriting_accuracy import prepared, score
from mnist_core.serving.evaluation import evaluate
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.training.augment import Augmenter
from mnist_core.training.mnist import load_mnist
from mnist_core.training.styles import Styles, with_styles

ISSUE_STYLES = {
    "1 flag",
    "1 plain",
    "7 crossbar",
    "7 plain",
    "4 open",
    "4 closed",
    "9 straight",
    "9 curved",
    "2 loop",
    "0 slash",
}


def test_every_hand_writes_every_digit_and_the_unseen_parts_cover_the_styles():
    parts = (TUNING, HELD_OUT, FRESH, TEACHING)
    assert sum(len(part) for part in parts) == len(set().union(*parts))  # no hand twice
    assert set().union(*parts) == set(HANDS)
    for hand in HANDS.values():
        assert sorted(digit for digit, _ in hand) == list(range(10))
    for part in (HELD_OUT, FRESH):
        assert {f"{d} {s}" for hand in part for d, s in HANDS[hand]} >= ISSUE_STYLES


def test_jitter_spans_sizes_slants_brushes_and_places():
    drawn = list(jittered(("dora",), 20, seed=0))
    sizes = [d.size for d in drawn]
    slants = [d.slant for d in drawn]
    assert min(sizes) < 0.4 and max(sizes) > 0.85
    assert min(slants) < -15 and max(slants) > 15
    assert min(d.brush for d in drawn) <= 12 and max(d.brush for d in drawn) >= 30
    centres = [np.argwhere(d.image[..., 0] > 128).mean(axis=0) for d in drawn]
    assert np.ptp([c[1] for c in centres]) > 100  # anywhere on the canvas, not only the middle
    for d in drawn:
        ink = np.argwhere(d.image[..., 0] > 128)
        assert ink.min() >= 0 and ink.max() < 280
        assert d.image.shape == (280, 280, 4)


def test_styles_restyle_a_share_of_ones_sevens_and_zeros_only(small_mnist):
    split = small_mnist.split_validation(0)
    styled = with_styles(split, seed=0, styles=Styles(0.5, 0.5, 0.5))
    changed = np.abs(styled.x_train - split.x_train).sum(axis=1) > 1.0
    assert set(np.unique(split.y_train[changed])) == {0, 1, 7}
    for digit in (0, 1, 7):
        share = changed[split.y_train == digit].mean()
        assert 0.3 < share < 0.7
    # Strokes are added, never taken away, and stay ink-valued.
    assert (styled.x_train >= split.x_train - 1e-6).all()
    assert styled.x_train.max() <= 1.0
    assert np.array_equal(styled.y_train, split.y_train)


def test_augmentation_thickens_some_strokes_and_slants_others(small_mnist):
    images = tf.constant(small_mnist.x_train[:512])
    out = Augmenter(seed=1)(images).numpy()
    ink_before = (small_mnist.x_train[:512] > 0.5).sum(axis=1)
    ink_after = (out > 0.5).sum(axis=1)
    ratio = ink_after / np.maximum(ink_before, 1)
    assert (ratio > 1.6).mean() > 0.1  # a broad brush on a small drawing
    assert (ratio < 1.3).mean() > 0.5  # most keep their pen


def test_the_bundled_model_reads_the_held_out_hands():
    """The issue's goal is 99%. Measured 99.50% with the distilled network (flagged 1s 100%,
    slashed 0s 80%; the three averaged: 99.75%, slashed 0s 90%); the
    model before the styles read 95.75% (flagged 1s 77%, slashed 0s 0%)."""
    drawn, images = prepared("held-out", per_digit=10, seed=1)
    scores = score(load_model(BUNDLED_MODEL).network, drawn, images)
    assert scores.count == 400
    assert scores.accuracy >= 0.995, scores.mistakes
    assert scores.by_style["1 flag"] >= 0.9, scores.mistakes
    assert min(scores.by_style.values()) >= 0.8, scores.by_style


def test_the_bundled_model_reads_99_5_percent_of_mnist(full_mnist_path):
    """Measured 99.50%: one 784-1200-1200-10 network distilled at T = 3 from two CNNs
    (validation 99.44%); the model before it read 99.30%."""
    data = load_mnist(full_mnist_path)
    result = evaluate(load_model(BUNDLED_MODEL).network, data.x_test, data.y_test)
    assert result.accuracy >= 0.995
