"""Does the Draw page say so when a drawing is not a digit, and only then?

    python -m benchmarks.non_digits --class-file class.npz          # a class's labelled digits
    python -m benchmarks.non_digits --angular                       # square-cornered digits
    python -m benchmarks.non_digits --part tuning --set-threshold   # choose the detector's
    python -m benchmarks.non_digits --part held-out                 # the figures to quote
    python -m benchmarks.non_digits --part fresh                    # a second held-out part
    python -m benchmarks.non_digits --part final                    # a third (#19)
    python -m benchmarks.non_digits --part final-2                  # a fourth, authored blind
    python -m benchmarks.non_digits --part final-2 --fresh-hands    # and hands never used

Non-digits: stroke sets authored here (dots, lines, scribbles, two digits side by side,
letters, shapes, digits drawn tiny), each drawn many times at random sizes, places, slants
and brushes; none comes from the detector's generator (mnist_core/training/non_digits.py).
Digits: MNIST test images drawn large on the canvas (the first half for tuning, the second
held out), the hand-authored hands of benchmarks/handwriting.py (TUNING / HELD_OUT) and
the browser tests' digits (held out). The fresh part (29 more kinds: stars, smileys,
letters E F H L N T U V Y, arrows, "10", "25"...) was authored after the held-out part had
been looked at, against the held-out part's digits, and is scored with a seed of its own.
The final part (#19: 32 kinds a class draws instead of a digit: a cat, a car, a crown, a
fish, faces, "Hi", %, $, infinity, scribbled-out, circled and boxed digits, "68", "47"...)
was authored before any change it measures, against the same digits; look at its kinds
(--per-kind) only once those changes are done. The final-2 part (36 kinds) was authored
blind, before any change it measures, by someone who had not read the detector's
generator nor any part's per-kind answers: animals (a snail, birds, a dog, a spider, a
butterfly), things (a key, a cup, a rocket, a balloon, a kite, an envelope, a clock face),
nature (a leaf, a round tree, mountains, rain drops), symbols (&, @, peace, yin-yang, "A+",
recycling arrows), words ("ok", "yes", "hey", a cursive name, a signature), sums ("3+4",
x squared, a half, "2=2", a root), a 7 beside a smiley, a 2 above a 5, hatching and dashes;
it is scored against the same digits, and its kinds likewise shown only once those
changes are done.
Every drawing goes through the page's own read_drawing. A non-digit is flagged when the
page answers blank or not-a-digit (too small, scribble, one digit at a time, unlike any
digit); a digit is flagged the same way, wrongly. A non-digit answered "not sure" is also
counted apart (flagged or not sure): the page then names no digit flatly; a digit answered
"not sure" is counted apart too, not as flagged (the page still names it and asks).
`--set-threshold` picks the lowest detector threshold that flags at most 0.3% of the
tuning digits (so that the held-out digits stay under 0.5%) and writes it into
models/not_a_digit.npz (or --detector).
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from benchmarks.digits import DIGITS, Stroke, render
from benchmarks.handwriting import FRESH, HELD_OUT, TUNING, arc, jittered
from mnist_core.dataset import load_local, resolve_path
from mnist_core.serving import reading as rd
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.novelty import DETECTOR_FILE, load_detector, save_detector
from mnist_core.serving.preprocess import prepare_digit
from mnist_core.serving.shape import judge_shape

CANVAS = 280
# On the tuning digits, when choosing the threshold: below the 0.5% promised, because a
# first convolutional detector (before its digits were also drawn in strokes) flagged the
# held-out digits more often than the tuning ones (0.55% at 0.5% of tuning digits).
MAX_DIGITS_FLAGGED = 0.003

Strokes = list[Stroke]


def _at(strokes: Strokes, scale: float, dx: float, dy: float) -> Strokes:
    """Strokes scaled by `scale`, then moved by (dx, dy), in the 100-unit box."""
    return [[(x * scale + dx, y * scale + dy) for x, y in s] for s in strokes]


def _one_then(digit: Strokes, shift: float) -> Strokes:
    """A digit moved right by `shift`, to stand beside another."""
    return _at(digit, 1, shift, 0)


ONE: Strokes = [[(10, 15), (20, 0), (20, 100)]]
TWO: Strokes = [[*arc(25, 26, 22, 24, 200, 370), (5, 100), (50, 100)]]
THREE: Strokes = [arc(25, 25, 22, 24, 200, 450) + arc(25, 74, 25, 25, 270, 500)]
FOUR: Strokes = [[(20, 0), (2, 62), (48, 62)], [(36, 30), (36, 100)]]
FIVE: Strokes = [[(45, 0), (8, 2), (5, 45), *arc(25, 70, 22, 28, 220, 500)]]
SEVEN: Strokes = [[(0, 2), (48, 0), (20, 100)]]

# name -> (strokes in a 100-unit box, the drawing's longer side as a share of the canvas)
TUNING_SHAPES: dict[str, tuple[Strokes, tuple[float, float]]] = {
    "dot": ([[(50, 50), (51, 51)]], (0.0, 0.0)),
    "level line": ([[(0, 50), (100, 48)]], (0.4, 0.9)),
    "zigzag scribble": (
        [[(10, 20), (80, 30), (20, 45), (90, 55), (15, 70), (85, 85), (30, 95), (70, 10)]],
        (0.5, 0.9),
    ),
    "12": (ONE + _one_then(TWO, 40), (0.5, 0.9)),
    "A": ([[(0, 100), (50, 0), (100, 100)], [(25, 55), (75, 55)]], (0.4, 0.9)),
    "E": ([[(80, 0), (10, 0), (10, 100), (80, 100)], [(10, 50), (60, 50)]], (0.4, 0.9)),
    "H": ([[(10, 0), (10, 100)], [(90, 0), (90, 100)], [(10, 50), (90, 50)]], (0.4, 0.9)),
    "star": (
        [
            [
                (50, 0),
                (65, 35),
                (100, 38),
                (72, 60),
                (82, 100),
                (50, 78),
                (18, 100),
                (28, 60),
                (0, 38),
                (35, 35),
                (50, 0),
            ]
        ],
        (0.4, 0.9),
    ),
    "house": (
        [[(0, 45), (50, 0), (100, 45), (85, 45), (85, 100), (15, 100), (15, 45)]],
        (0.4, 0.9),
    ),
    "tiny 7": (SEVEN, (0.05, 0.15)),
}
HELD_OUT_SHAPES: dict[str, tuple[Strokes, tuple[float, float]]] = {
    "two dots": ([[(20, 50), (21, 51)], [(80, 45), (81, 46)]], (0.4, 0.8)),
    "dash": ([[(0, 60), (100, 40)]], (0.3, 0.9)),
    "wavy line": ([[(x, 50 + 12 * math.sin(x / 9)) for x in range(0, 101, 5)]], (0.5, 0.9)),
    "loop scribble": (
        [[(30 + 25 * math.cos(t / 3) + t / 2, 50 + 30 * math.sin(t / 2.3)) for t in range(60)]],
        (0.5, 0.9),
    ),
    "filled blob": (
        [[(10 + 80 * ((i * 37) % 11) / 10, 10 + 80 * i / 30) for i in range(31)]],
        (0.3, 0.7),
    ),
    "34": (_one_then(THREE, 0) + _one_then(FOUR, 55), (0.5, 0.9)),
    "57": (_one_then(FIVE, 0) + _one_then(SEVEN, 55), (0.5, 0.9)),
    "M": ([[(0, 100), (5, 0), (50, 60), (95, 0), (100, 100)]], (0.4, 0.9)),
    "R": ([[(10, 100), (10, 0), *arc(35, 25, 30, 25, -90, 90), (10, 50), (80, 100)]], (0.4, 0.9)),
    "W": ([[(0, 0), (25, 100), (50, 30), (75, 100), (100, 0)]], (0.4, 0.9)),
    "K": ([[(10, 0), (10, 100)], [(80, 0), (10, 55), (85, 100)]], (0.4, 0.9)),
    "X": ([[(0, 0), (100, 100)], [(100, 0), (0, 100)]], (0.4, 0.9)),
    "triangle": ([[(50, 0), (100, 90), (0, 90), (50, 0)]], (0.4, 0.9)),
    "heart": (
        [arc(27, 30, 25, 25, 150, 360) + arc(73, 30, 25, 25, 180, 390) + [(50, 100), (4, 42)]],
        (0.4, 0.9),
    ),
    "sun": (
        [arc(50, 50, 22, 22, 0, 360)]
        + [
            [
                (50 + 30 * math.cos(a), 50 + 30 * math.sin(a)),
                (50 + 48 * math.cos(a), 50 + 48 * math.sin(a)),
            ]
            for a in np.linspace(0, 2 * math.pi, 8, endpoint=False)
        ],
        (0.5, 0.9),
    ),
    "arrow": ([[(0, 50), (100, 50)], [(70, 25), (100, 50), (70, 75)]], (0.4, 0.9)),
    "spiral": (
        [[(50 + t * math.cos(t / 5), 50 + t * math.sin(t / 5)) for t in range(0, 50)]],
        (0.4, 0.9),
    ),
    "tiny 3": (DIGITS[3], (0.05, 0.15)),
}
# Drawn for the fresh part after the held-out part had been looked at; no shape here is in
# TUNING_SHAPES, HELD_OUT_SHAPES or the detector's generator as written before it.
NINE_ALT: Strokes = [[*arc(28, 28, 22, 26, 0, 360), (50, 28), (45, 100)]]
ZERO: Strokes = [arc(25, 50, 22, 48, 0, 360)]
FRESH_SHAPES: dict[str, tuple[Strokes, tuple[float, float]]] = {
    "five-point star": (
        [
            [
                (
                    50 + 50 * math.sin(math.radians(144 * i)),
                    50 - 50 * math.cos(math.radians(144 * i)),
                )
                for i in range(6)
            ]
        ],
        (0.4, 0.9),
    ),
    "smiley": (
        [
            arc(50, 50, 48, 48, 0, 360),
            [(35, 35), (36, 37)],
            [(65, 35), (66, 37)],
            arc(50, 52, 28, 24, 25, 155),
        ],
        (0.4, 0.9),
    ),
    "house with door": (
        [
            [(10, 45), (10, 100), (90, 100), (90, 45), (10, 45), (50, 5), (90, 45)],
            [(40, 100), (40, 70), (60, 70), (60, 100)],
        ],
        (0.4, 0.9),
    ),
    "check mark": ([[(0, 55), (30, 100), (100, 0)]], (0.3, 0.9)),
    "question mark": (
        [[*arc(50, 30, 30, 28, 180, 400), (50, 70)], [(50, 92), (51, 93)]],
        (0.4, 0.9),
    ),
    "plus": ([[(50, 5), (50, 95)], [(5, 50), (95, 50)]], (0.3, 0.9)),
    "equals": ([[(5, 35), (95, 35)], [(5, 65), (95, 65)]], (0.3, 0.9)),
    "hash": (
        [[(35, 0), (28, 100)], [(70, 0), (63, 100)], [(5, 33), (100, 33)], [(0, 67), (95, 67)]],
        (0.4, 0.9),
    ),
    "E": ([[(85, 0), (15, 0), (15, 100), (85, 100)], [(15, 50), (70, 50)]], (0.4, 0.9)),
    "F": ([[(85, 0), (15, 0), (15, 100)], [(15, 48), (65, 48)]], (0.4, 0.9)),
    "H narrow": ([[(20, 0), (20, 100)], [(80, 0), (80, 100)], [(20, 55), (80, 55)]], (0.4, 0.9)),
    "L": ([[(20, 0), (20, 100), (85, 100)]], (0.4, 0.9)),
    "N": ([[(10, 100), (10, 0), (90, 100), (90, 0)]], (0.4, 0.9)),
    "T": ([[(0, 5), (100, 5)], [(50, 5), (50, 100)]], (0.4, 0.9)),
    "U": ([[(10, 0), (10, 60), *arc(50, 60, 40, 40, 180, 0), (90, 0)]], (0.4, 0.9)),
    "V": ([[(0, 0), (50, 100), (100, 0)]], (0.4, 0.9)),
    "Y": ([[(0, 0), (50, 50), (100, 0)], [(50, 50), (50, 100)]], (0.4, 0.9)),
    "cloud": (
        [
            arc(25, 60, 20, 20, 90, 270)
            + arc(45, 38, 22, 22, 180, 330)
            + arc(72, 45, 22, 22, 240, 360)
            + arc(78, 65, 20, 20, 300, 450)
            + [(25, 80)]
        ],
        (0.4, 0.9),
    ),
    "arrow up": ([[(50, 100), (50, 0)], [(20, 30), (50, 0), (80, 30)]], (0.4, 0.9)),
    "double arrow": (
        [[(0, 50), (100, 50)], [(20, 30), (0, 50), (20, 70)], [(80, 30), (100, 50), (80, 70)]],
        (0.4, 0.9),
    ),
    "curved arrow": (
        [arc(50, 60, 40, 40, 180, 360), [(75, 50), (90, 60), (100, 45)]],
        (0.4, 0.9),
    ),
    "10": (ONE + _one_then(ZERO, 45), (0.5, 0.9)),
    "25": (TWO + _one_then(FIVE, 55), (0.5, 0.9)),
    "wavy underline": (
        [[(x, 50 + 6 * math.sin(x / 5)) for x in range(0, 101, 3)]],
        (0.5, 0.95),
    ),
    "crossed box": (
        [
            [(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)],
            [(0, 0), (100, 100)],
            [(100, 0), (0, 100)],
        ],
        (0.4, 0.9),
    ),
    "diamond": ([[(50, 0), (100, 50), (50, 100), (0, 50), (50, 0)]], (0.4, 0.9)),
    "pi": ([[(0, 10), (100, 10)], [(30, 10), (25, 100)], [(70, 10), (75, 100)]], (0.4, 0.9)),
    "tree": (
        [[(50, 0), (90, 70), (10, 70), (50, 0)], [(50, 70), (50, 100)]],
        (0.4, 0.9),
    ),
    "9 then 9": (NINE_ALT + _one_then(NINE_ALT, 50), (0.5, 0.9)),
}
# Drawn for the final part (#19) before any change to the detector, the rules or the
# generator that it measures; no kind here is in the parts above or in the generator as it
# stood: what a class draws when it is not drawing a digit.
SIX: Strokes = [[(40, 0), (12, 45), *arc(28, 72, 22, 26, 200, 560)]]
EIGHT: Strokes = [arc(25, 25, 20, 24, 90, 450) + arc(25, 74, 24, 26, -90, 270)]
FINAL_SHAPES: dict[str, tuple[Strokes, tuple[float, float]]] = {
    "cat face": (
        [
            arc(50, 60, 40, 35, 0, 360),
            [(15, 40), (20, 0), (40, 27)],
            [(60, 27), (80, 0), (85, 40)],
            [(35, 55), (36, 57)],
            [(65, 55), (66, 57)],
            [(0, 65), (35, 68)],
            [(0, 78), (35, 72)],
            [(65, 68), (100, 65)],
            [(65, 72), (100, 78)],
        ],
        (0.4, 0.9),
    ),
    "stick figure": (
        [
            arc(50, 14, 13, 14, 0, 360),
            [(50, 28), (50, 68)],
            [(20, 45), (80, 45)],
            [(28, 100), (50, 68), (72, 100)],
        ],
        (0.4, 0.9),
    ),
    "car": (
        [
            [(0, 70), (0, 45), (20, 45), (32, 20), (70, 20), (82, 45), (100, 48), (100, 70)],
            [(0, 70), (14, 70)],
            [(38, 70), (64, 70)],
            [(88, 70), (100, 70)],
            arc(26, 75, 12, 12, 0, 360),
            arc(76, 75, 12, 12, 0, 360),
        ],
        (0.4, 0.9),
    ),
    "beach ball": (
        [
            arc(50, 50, 48, 48, 0, 360),
            arc(20, 50, 32, 46, -75, 75),
            arc(80, 50, 32, 46, 105, 255),
        ],
        (0.3, 0.9),
    ),
    "lightning bolt": (
        [[(60, 0), (20, 55), (50, 55), (30, 100), (85, 38), (55, 38), (78, 0), (60, 0)]],
        (0.4, 0.9),
    ),
    "crown": (
        [[(0, 100), (0, 20), (25, 60), (50, 10), (75, 60), (100, 20), (100, 100), (0, 100)]],
        (0.4, 0.9),
    ),
    "flower": (
        [arc(50, 30, 9, 9, 0, 360)]
        + [
            arc(50 + 19 * math.cos(a), 30 + 19 * math.sin(a), 10, 10, 0, 360)
            for a in np.linspace(0, 2 * math.pi, 6, endpoint=False)
        ]
        + [[(50, 50), (50, 100)], [(50, 80), (30, 68)]],
        (0.4, 0.9),
    ),
    "fish": (
        [
            [*arc(45, 50, 38, 25, 20, 340), (100, 25), (100, 75), (81, 41)],
            [(25, 43), (26, 45)],
        ],
        (0.4, 0.9),
    ),
    "sailboat": (
        [
            [(0, 70), (100, 70), (80, 95), (20, 95), (0, 70)],
            [(50, 70), (50, 0)],
            [(50, 5), (85, 60), (50, 60)],
        ],
        (0.4, 0.9),
    ),
    "umbrella": (
        [
            [*arc(50, 45, 50, 40, 180, 360), (0, 45)],
            [(50, 45), (50, 92), *arc(42, 92, 8, 8, 0, 180)],
        ],
        (0.4, 0.9),
    ),
    "crescent moon": (
        [arc(50, 50, 40, 50, 60, 300) + arc(72, 50, 30, 42, 240, 120)],
        (0.4, 0.9),
    ),
    "eye": (
        [arc(50, 80, 60, 55, 215, 325) + arc(50, 20, 60, 55, 35, 145), arc(50, 50, 12, 12, 0, 360)],
        (0.4, 0.9),
    ),
    "percent": (
        [arc(20, 18, 14, 16, 0, 360), [(85, 0), (15, 100)], arc(80, 82, 14, 16, 0, 360)],
        (0.4, 0.9),
    ),
    "divide": ([[(0, 50), (100, 50)], [(50, 18), (51, 19)], [(50, 82), (51, 83)]], (0.3, 0.9)),
    "infinity": (
        [arc(27, 50, 25, 22, 0, 360) + arc(73, 50, 25, 22, 180, 540)],
        (0.4, 0.9),
    ),
    "music note": (
        [arc(25, 85, 18, 13, 0, 360), [(43, 85), (43, 0), (70, 20), (75, 45)]],
        (0.4, 0.9),
    ),
    "tic-tac-toe": (
        [
            [(33, 0), (33, 100)],
            [(66, 0), (66, 100)],
            [(0, 33), (100, 33)],
            [(0, 66), (100, 66)],
            [(5, 5), (28, 28)],
            [(28, 5), (5, 28)],
            arc(50, 50, 11, 11, 0, 360),
            [(72, 72), (95, 95)],
            [(95, 72), (72, 95)],
        ],
        (0.5, 0.9),
    ),
    "Hi": (
        [
            [(0, 0), (0, 100)],
            [(40, 0), (40, 100)],
            [(0, 50), (40, 50)],
            [(70, 40), (70, 100)],
            [(70, 15), (71, 16)],
        ],
        (0.4, 0.9),
    ),
    "cursive mm": (
        [
            [
                (0, 100),
                (5, 40),
                *arc(20, 45, 15, 20, 180, 360),
                (35, 100),
                (38, 45),
                *arc(53, 45, 15, 20, 180, 360),
                (68, 100),
                (72, 45),
                *arc(86, 45, 14, 20, 180, 360),
                (100, 100),
            ]
        ],
        (0.5, 0.9),
    ),
    "cursive eee": (
        [
            [
                p
                for k in range(3)
                for p in [
                    (k * 32 + 2, 60),
                    (k * 32 + 28, 50),
                    *arc(k * 32 + 16, 50, 13, 20, 0, -300),
                ]
            ]
        ],
        (0.5, 0.9),
    ),
    "b and d": (
        [
            [(10, 0), (10, 100)],
            arc(27, 72, 17, 27, 180, 540),
            arc(73, 72, 17, 27, 0, 360),
            [(90, 0), (90, 100)],
        ],
        (0.5, 0.9),
    ),
    "G": ([[*arc(50, 50, 45, 50, -40, -330), (95, 55), (60, 55)]], (0.4, 0.9)),
    "dollar": (
        [arc(50, 30, 30, 22, -20, -270) + arc(50, 72, 30, 22, -90, 160), [(50, 0), (50, 100)]],
        (0.4, 0.9),
    ),
    "winking face": (
        [
            arc(50, 50, 48, 48, 0, 360),
            [(28, 36), (40, 36)],
            arc(66, 36, 6, 6, 0, 360),
            [(30, 65), (50, 75), (72, 62)],
        ],
        (0.4, 0.9),
    ),
    "sad face": (
        [
            arc(50, 50, 48, 48, 0, 360),
            [(34, 36), (35, 38)],
            [(66, 36), (67, 38)],
            arc(50, 82, 22, 16, 200, 340),
        ],
        (0.4, 0.9),
    ),
    "scribbled-out 4": (
        [
            [(42, 0), (8, 62), (92, 62)],
            [(68, 25), (68, 100)],
            [(0, 20), (100, 35), (0, 50), (100, 65), (0, 80), (100, 95)],
        ],
        (0.4, 0.9),
    ),
    "scribbled-out 6": (
        [*_one_then(SIX, 25), [(0, 30), (95, 10), (5, 60), (100, 45), (10, 95), (100, 80)]],
        (0.4, 0.9),
    ),
    "circled 3": (
        [arc(50, 50, 50, 50, 0, 360), *_at(THREE, 0.6, 35, 20)],
        (0.4, 0.9),
    ),
    "boxed 7": (
        [[(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)], *_at(SEVEN, 0.6, 22, 20)],
        (0.4, 0.9),
    ),
    "68 close": (_one_then(SIX, 0) + _one_then(EIGHT, 45), (0.5, 0.9)),
    "47 touching": (_one_then(FOUR, 0) + _one_then(SEVEN, 42), (0.5, 0.9)),
    "minus 5": ([[(0, 50), (30, 50)], *_one_then(FIVE, 45)], (0.4, 0.9)),
}


# Drawn for the final-2 part blind, before any change that it measures: authored without
# looking at the detector's generator or at any part's per-kind answers; no kind here is in
# the parts above. What a class draws on a digit canvas when it is not drawing a digit.
def _drop(cx: float, cy: float) -> Stroke:
    return [(cx, cy - 12), *arc(cx, cy, 6, 7, -50, 230), (cx, cy - 12)]


def _arrow_arc(start: float) -> Strokes:
    """One of three arrows chasing each other round a circle, with its head."""
    end = start + 85
    tip = (50 + 42 * math.cos(math.radians(end)), 52 + 42 * math.sin(math.radians(end)))
    back = math.radians(end - 14)
    return [
        arc(50, 52, 42, 42, start, end),
        [
            (50 + 52 * math.cos(back), 52 + 52 * math.sin(back)),
            tip,
            (50 + 32 * math.cos(back), 52 + 32 * math.sin(back)),
        ],
    ]


FINAL2_SHAPES: dict[str, tuple[Strokes, tuple[float, float]]] = {
    "snail": (
        [
            [(55 + t * 0.6 * math.cos(t / 5), 55 + t * 0.6 * math.sin(t / 5)) for t in range(50)],
            [(0, 88), (90, 88), (100, 72), (98, 55)],
            [(96, 58), (88, 38)],
            [(99, 58), (100, 38)],
        ],
        (0.5, 0.9),
    ),
    "birds": (
        [
            arc(16, 40, 16, 12, 200, 340) + arc(46, 40, 14, 12, 200, 340),
            arc(64, 78, 10, 8, 200, 340) + arc(84, 78, 10, 8, 200, 340),
        ],
        (0.5, 0.9),
    ),
    "dog": (
        [
            arc(45, 50, 32, 15, 0, 360),
            arc(84, 30, 14, 13, 0, 360),
            [(78, 20), (70, 42)],
            [(25, 62), (24, 92)],
            [(36, 64), (36, 92)],
            [(56, 64), (56, 92)],
            [(67, 61), (68, 92)],
            [(14, 45), (0, 28)],
        ],
        (0.5, 0.9),
    ),
    "spider": (
        [arc(50, 48, 14, 13, 0, 360), arc(50, 28, 7, 7, 0, 360)]
        + [
            [(50 + s * 12, 42 + k * 5), (50 + s * 32, 22 + k * 16), (50 + s * 46, 36 + k * 20)]
            for s in (-1, 1)
            for k in range(4)
        ],
        (0.4, 0.9),
    ),
    "butterfly": (
        [
            arc(29, 36, 21, 20, 0, 360),
            arc(71, 36, 21, 20, 0, 360),
            arc(33, 72, 16, 15, 0, 360),
            arc(67, 72, 16, 15, 0, 360),
            [(50, 18), (50, 92)],
            [(50, 18), (40, 0)],
            [(50, 18), (60, 0)],
        ],
        (0.4, 0.9),
    ),
    "key": (
        [
            arc(18, 50, 18, 18, 0, 360),
            [(36, 50), (100, 50)],
            [(80, 50), (80, 68)],
            [(92, 50), (92, 66)],
        ],
        (0.5, 0.9),
    ),
    "cup": (
        [
            [(5, 15), (75, 15), (68, 95), (12, 95), (5, 15)],
            arc(74, 50, 18, 20, -80, 80),
            [(28, 10), (24, 0)],
            [(48, 10), (44, 0)],
        ],
        (0.4, 0.9),
    ),
    "rocket": (
        [
            [(40, 88), (40, 30), (50, 0), (60, 30), (60, 88), (40, 88)],
            [(40, 62), (24, 92), (40, 88)],
            [(60, 62), (76, 92), (60, 88)],
            arc(50, 45, 7, 7, 0, 360),
            [(44, 92), (50, 100), (56, 92)],
        ],
        (0.4, 0.9),
    ),
    "balloon": (
        [
            arc(50, 30, 28, 32, 0, 360),
            [(44, 68), (50, 62), (56, 68), (44, 68)],
            [(50, 68), (44, 78), (56, 88), (48, 100)],
        ],
        (0.4, 0.9),
    ),
    "kite": (
        [
            [(50, 0), (80, 28), (50, 72), (20, 28), (50, 0)],
            [(50, 0), (50, 72)],
            [(20, 28), (80, 28)],
            [(50, 72), (42, 82), (56, 90), (46, 100)],
            [(40, 80), (48, 86), (40, 90)],
        ],
        (0.4, 0.9),
    ),
    "envelope": (
        [[(0, 15), (100, 15), (100, 85), (0, 85), (0, 15)], [(0, 15), (50, 55), (100, 15)]],
        (0.5, 0.9),
    ),
    "clock face": (
        [
            arc(50, 50, 48, 48, 0, 360),
            [(50, 52), (50, 20), (50, 52), (72, 62)],
            [(50, 3), (50, 11)],
            [(97, 50), (89, 50)],
            [(50, 97), (50, 89)],
            [(3, 50), (11, 50)],
        ],
        (0.4, 0.9),
    ),
    "leaf": (
        [
            [(50 - 32 * math.sin(math.pi * t / 20), 4 * t) for t in range(21)],
            [(50 + 32 * math.sin(math.pi * t / 20), 4 * t) for t in range(21)],
            [(50, 0), (50, 100)],
            [(50, 30), (34, 18)],
            [(50, 30), (66, 18)],
            [(50, 55), (28, 42)],
            [(50, 55), (72, 42)],
        ],
        (0.4, 0.9),
    ),
    "round tree": (
        [
            [
                (
                    50 + (34 + 4 * math.sin(7 * math.radians(a))) * math.cos(math.radians(a)),
                    36 + (34 + 4 * math.sin(7 * math.radians(a))) * math.sin(math.radians(a)),
                )
                for a in range(0, 361, 8)
            ],
            [(42, 70), (40, 100)],
            [(58, 70), (60, 100)],
            [(15, 100), (85, 100)],
        ],
        (0.4, 0.9),
    ),
    "mountains": (
        [
            [(0, 95), (22, 45), (38, 70), (62, 8), (82, 55), (92, 40), (100, 60)],
            [(52, 34), (58, 40), (63, 32), (68, 40), (73, 34)],
        ],
        (0.5, 0.9),
    ),
    "rain drops": (
        [_drop(x, y) for x, y in ((12, 20), (50, 14), (88, 32), (28, 60), (70, 70), (40, 94))],
        (0.4, 0.9),
    ),
    "ampersand": (
        [
            [
                (92, 100),
                (34, 44),
                (27, 26),
                (34, 8),
                (50, 3),
                (62, 14),
                (58, 32),
                (28, 55),
                (16, 76),
                (24, 95),
                (48, 100),
                (70, 86),
                (86, 60),
            ]
        ],
        (0.4, 0.9),
    ),
    "at sign": (
        [
            [
                *arc(48, 52, 14, 16, -30, -390),
                (62, 40),
                (64, 62),
                (78, 64),
                *arc(50, 50, 42, 44, 0, -320),
            ]
        ],
        (0.4, 0.9),
    ),
    "peace sign": (
        [
            arc(50, 50, 48, 48, 0, 360),
            [(50, 2), (50, 98)],
            [(50, 50), (17, 84)],
            [(50, 50), (83, 84)],
        ],
        (0.4, 0.9),
    ),
    "yin-yang": (
        [
            arc(50, 50, 48, 48, 0, 360),
            arc(50, 26, 24, 24, -90, 90) + arc(50, 74, 24, 24, 270, 90),
            [(50, 26), (51, 27)],
            [(50, 74), (51, 75)],
        ],
        (0.4, 0.9),
    ),
    "A+": (
        [
            [(0, 100), (25, 0), (50, 100)],
            [(12, 58), (38, 58)],
            [(76, 30), (76, 72)],
            [(55, 51), (97, 51)],
        ],
        (0.5, 0.9),
    ),
    "recycling arrows": (
        [s for start in (-75, 45, 165) for s in _arrow_arc(start)],
        (0.4, 0.9),
    ),
    "ok": (
        [arc(22, 68, 20, 28, 0, 360), [(60, 0), (60, 98)], [(92, 44), (60, 74), (94, 98)]],
        (0.5, 0.9),
    ),
    "yes": (
        [
            [(0, 30), (16, 70)],
            [(32, 30), (16, 70), (6, 100)],
            [(40, 52), (62, 52), *arc(51, 52, 11, 16, 0, -300)],
            arc(85, 40, 10, 9, -30, -270) + arc(85, 58, 11, 10, -90, 150),
        ],
        (0.5, 0.9),
    ),
    "hey": (
        [
            [(4, 0), (4, 100)],
            [(4, 62), *arc(18, 62, 14, 16, 180, 360), (32, 100)],
            [(42, 75), (64, 75), *arc(53, 75, 11, 16, 0, -300)],
            [(72, 50), (86, 82)],
            [(100, 50), (86, 82), (76, 112)],
        ],
        (0.5, 0.9),
    ),
    "cursive Lily": (
        [
            [
                (16, 12),
                (12, 2),
                (5, 8),
                (8, 50),
                (5, 84),
                (0, 96),
                (10, 98),
                (20, 90),
                (28, 92),
                (34, 62),
                (36, 92),
                (44, 76),
                (52, 22),
                (52, 6),
                (46, 8),
                (45, 50),
                (48, 92),
                (56, 66),
                (60, 90),
                (68, 92),
                (74, 62),
                (72, 110),
                (64, 124),
                (58, 112),
                (76, 96),
                (90, 82),
            ],
            [(34, 48), (35, 49)],
        ],
        (0.5, 0.95),
    ),
    "signature": (
        [
            [
                *arc(16, 45, 14, 40, 90, 450),
                (32, 62),
                (42, 45),
                (48, 66),
                (58, 44),
                (64, 64),
                (74, 50),
                (100, 54),
            ],
            [(4, 84), (100, 74)],
        ],
        (0.5, 0.95),
    ),
    "3+4": (
        [*THREE, [(75, 30), (75, 70)], [(57, 50), (93, 50)], *_one_then(FOUR, 105)],
        (0.5, 0.9),
    ),
    "x squared": (
        [[(0, 35), (55, 100)], [(55, 35), (0, 100)], *_at(TWO, 0.4, 68, 0)],
        (0.4, 0.9),
    ),
    "one half": (
        [*_at(ONE, 0.4, 8, 0), [(75, 5), (25, 95)], *_at(TWO, 0.4, 70, 60)],
        (0.4, 0.9),
    ),
    "2=2": (
        [*TWO, [(62, 40), (92, 40)], [(62, 60), (92, 60)], *_one_then(TWO, 105)],
        (0.5, 0.9),
    ),
    "root x": (
        [
            [(0, 60), (10, 54), (22, 100), (40, 0), (100, 0)],
            [(55, 25), (88, 80)],
            [(88, 25), (55, 80)],
        ],
        (0.4, 0.9),
    ),
    "7 and a smiley": (
        [
            *SEVEN,
            arc(90, 55, 30, 30, 0, 360),
            [(80, 46), (81, 48)],
            [(100, 46), (101, 48)],
            arc(90, 58, 17, 13, 20, 160),
        ],
        (0.5, 0.9),
    ),
    "2 over 5": (_at(TWO, 0.45, 0, 0) + _at(FIVE, 0.45, 2, 55), (0.4, 0.9)),
    "hatch fill": (
        [[(x, 100), (x + 40, 0)] for x in range(0, 81, 16)],
        (0.4, 0.9),
    ),
    "random dashes": (
        [
            [(5, 10), (22, 14)],
            [(60, 4), (72, 18)],
            [(88, 30), (100, 26)],
            [(30, 40), (34, 56)],
            [(62, 52), (80, 58)],
            [(8, 72), (20, 66)],
            [(44, 86), (58, 80)],
            [(82, 90), (92, 100)],
        ],
        (0.5, 0.9),
    ),
}
PARTS = {
    "tuning": (TUNING_SHAPES, TUNING),
    "held-out": (HELD_OUT_SHAPES, HELD_OUT),
    "fresh": (FRESH_SHAPES, HELD_OUT),
    "final": (FINAL_SHAPES, HELD_OUT),
    "final-2": (FINAL2_SHAPES, HELD_OUT),
}
BLIND_PARTS = ("final", "final-2")  # each kind's answers hidden unless --per-kind


def placed(strokes: Strokes, rng: np.random.Generator, size: float, slant: float) -> Strokes:
    """Slanted, scaled so the longer side is `size` of the canvas, anywhere it fits."""
    lean = math.tan(math.radians(slant))
    moved = [[(x + lean * (50 - y), y) for x, y in s] for s in strokes]
    xs = [x for s in moved for x, _ in s]
    ys = [y for s in moved for _, y in s]
    scale = size * CANVAS / max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    width, height = (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale
    left = rng.uniform(10, max(10, CANVAS - 10 - width))
    top = rng.uniform(10, max(10, CANVAS - 10 - height))
    return [
        [(left + (x - min(xs)) * scale, top + (y - min(ys)) * scale) for x, y in s] for s in moved
    ]


def non_digits(shapes: dict, per_shape: int, rng: np.random.Generator) -> Iterator[tuple]:
    for name, (strokes, (low, high)) in shapes.items():
        for _ in range(per_shape):
            size = rng.uniform(low, high)
            brush = int(rng.uniform(10, 36))
            if high > 0.2:  # a small drawing gets a brush to match, as in the hands
                brush = int(min(brush, max(10, size * CANVAS / 5)))
            image = render(placed(strokes, rng, size, rng.uniform(-15, 15)), CANVAS, brush)
            yield name, np.asarray(image)


def mnist_on_canvas(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An MNIST digit drawn large, anywhere on the canvas (as tests/conftest.py does)."""
    box = int(rng.uniform(120, 250))
    big = Image.fromarray(digit.reshape(28, 28)).resize((box, box), Image.Resampling.BILINEAR)
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    top, left = rng.integers(0, CANVAS - box + 1, 2)
    canvas[top : top + box, left : left + box] = np.asarray(big)
    return canvas


def digits(part: str, rng: np.random.Generator, per_digit: int) -> Iterator[tuple]:
    mnist = load_local(resolve_path(None))
    x = (mnist.x_test * 255).round().astype(np.uint8)
    half = len(x) // 2
    for image in x[:half] if part == "tuning" else x[half:]:
        yield "MNIST", mnist_on_canvas(image, rng)
    for drawn in jittered(PARTS[part][1], per_digit, seed=11):
        yield f"hand {drawn.digit} {drawn.style}", drawn.image
    if part != "tuning":
        for strokes in DIGITS.values():
            yield "browser tests' digits", np.asarray(render(strokes))


# Digits drawn with straight strokes and square corners (issue 27: "a clear 8 drawn as two
# stacked five-sided loops" was answered "not a digit"), in a 100-unit box.
ANGULAR: dict[str, Strokes] = {
    "0 box": [[(20, 0), (80, 0), (80, 100), (20, 100), (20, 0)]],
    "1 stick": [[(50, 0), (50, 100)]],
    "2 blocky": [[(15, 0), (85, 0), (85, 50), (15, 50), (15, 100), (85, 100)]],
    "3 blocky": [[(15, 0), (85, 0), (85, 50), (30, 50)], [(85, 50), (85, 100), (15, 100)]],
    "4 blocky": [[(15, 0), (15, 55), (85, 55)], [(70, 20), (70, 100)]],
    "5 blocky": [[(85, 0), (15, 0), (15, 50), (85, 50), (85, 100), (15, 100)]],
    "6 blocky": [[(80, 0), (20, 0), (20, 100), (80, 100), (80, 50), (20, 50)]],
    "7 angular": [[(10, 0), (90, 0), (40, 100)]],
    "8 pentagons": [
        [(50, 0), (85, 15), (75, 45), (25, 45), (15, 15), (50, 0)],
        [(50, 45), (90, 62), (78, 100), (22, 100), (10, 62), (50, 45)],
    ],
    "9 blocky": [[(80, 50), (20, 50), (20, 0), (80, 0), (80, 100), (20, 100)]],
}
# A second set of angular digits, other styles than ANGULAR's (hexagons, flags, brackets,
# diamonds, crossbars; narrow and wide, slanted, one stroke or several). Authored blind to
# the detector's training generator (issue 27), by a helper who did not read
# mnist_core/training.
ANGULAR_FRESH: dict[str, Strokes] = {
    "0 hexagon": [[(50, 0), (75, 22), (75, 78), (50, 100), (25, 78), (25, 22), (50, 0)]],
    "0 octagon": [
        [(40, 0), (70, 0), (85, 18), (80, 82), (62, 100), (32, 100), (16, 82), (22, 18), (40, 0)]
    ],
    "1 flag base": [[(30, 22), (55, 0), (55, 100)], [(30, 100), (80, 100)]],
    "1 slanted flag": [[(32, 24), (62, 0), (48, 100)]],
    "2 z hook": [[(15, 22), (32, 0), (78, 0), (85, 18), (15, 100), (88, 100)]],
    "2 tall": [[(28, 0), (72, 0), (72, 40), (28, 78), (28, 100), (75, 100)]],
    "3 flat top": [[(18, 0), (80, 0), (42, 40), (80, 55), (80, 88), (66, 100), (18, 100)]],
    "3 brackets": [[(22, 0), (80, 22), (40, 50), (80, 78), (22, 100)]],
    "4 closed": [[(62, 100), (62, 0), (12, 66), (88, 66)]],
    "4 narrow": [[(55, 0), (25, 62), (75, 62)], [(60, 32), (55, 100)]],
    "5 flag belly": [[(25, 0), (20, 45), (75, 45), (80, 95), (18, 100)], [(25, 0), (85, 0)]],
    "5 chamfered": [[(72, 0), (36, 0), (30, 42), (64, 44), (72, 84), (56, 100), (24, 96)]],
    "6 slanted": [[(72, 0), (24, 52), (24, 100), (80, 100), (80, 60), (24, 60)]],
    "6 diamond loop": [[(66, 0), (25, 66), (50, 100), (78, 72), (50, 48), (27, 62)]],
    "7 crossbar": [[(15, 0), (85, 0), (40, 100)], [(35, 50), (75, 50)]],
    "7 tick": [[(20, 16), (20, 0), (80, 0), (46, 100)]],
    "8 diamonds": [
        [(50, 0), (74, 24), (50, 48), (26, 24), (50, 0)],
        [(50, 48), (86, 74), (50, 100), (14, 74), (50, 48)],
    ],
    "8 crossed": [[(50, 46), (25, 22), (50, 0), (75, 22), (20, 75), (50, 100), (80, 75), (50, 46)]],
    "9 triangle head": [[(74, 48), (18, 26), (74, 0), (74, 48), (70, 100)]],
    "9 diamond head": [[(80, 30), (50, 0), (22, 30), (50, 58), (80, 30), (60, 100)]],
}
BRUSHES = (8, 20, 40)  # the canvas's thinnest, default and thickest brush


def angular_digits(
    shapes: dict[str, Strokes] = ANGULAR,
) -> Iterator[tuple[str, int, np.ndarray]]:
    """Each of these angular digits (ANGULAR unless told) drawn in the middle of the canvas
    with each brush."""
    for name, strokes in shapes.items():
        placed_strokes = [[(40 + 2 * x, 40 + 2 * y) for x, y in s] for s in strokes]
        for brush in BRUSHES:
            yield name, brush, np.asarray(render(placed_strokes, CANVAS, brush))


def class_flags(path: Path, detector) -> tuple[int, int, Counter]:
    """How many of a class's labelled drawings (the Class page's .npz) the detector flags,
    and which digits they are labelled."""
    with np.load(path, allow_pickle=False) as data:
        images, labels = data["x"], data["y"]
    scale = 255.0 if images.dtype == np.uint8 else 1.0  # the page exports uint8, 0 to 255
    found = Counter(
        int(label)
        for image, label in zip(images, labels)
        if detector.flags(np.asarray(image, np.float32).reshape(28, 28) / scale)
    )
    return sum(found.values()), len(labels), found


def flagged(reading: rd.Reading) -> bool:
    return reading.verdict in (rd.BLANK, rd.NOT_A_DIGIT)


def answer(reading: rd.Reading) -> str:
    return reading.reason or reading.verdict


def choose_threshold(drawings: list[np.ndarray], path: Path = DETECTOR_FILE) -> float:
    """The lowest threshold that flags at most MAX_DIGITS_FLAGGED of these digits, rules
    included; written into the detector file at `path`."""
    detector = load_detector(path)
    scores = []
    for image in drawings:
        if judge_shape(image) is None:
            scores.append(detector.score(prepare_digit(image)))
    allowed = int(MAX_DIGITS_FLAGGED * len(drawings)) - (len(drawings) - len(scores))
    ranked = np.sort(scores)[::-1]
    threshold = float(ranked[max(allowed, 0)])
    save_detector(path, replace(detector, threshold=threshold))
    return threshold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, default="held-out")
    parser.add_argument("--per-shape", type=int, default=60)
    parser.add_argument("--per-digit", type=int, default=10, help="per hand and digit")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set-threshold", action="store_true")
    parser.add_argument("--detector", type=Path, default=DETECTOR_FILE, help="detector file")
    parser.add_argument(
        "--fresh-hands",
        action="store_true",
        help="also the handwriting benchmark's fresh hands: digits nothing here was chosen on",
    )
    parser.add_argument(
        "--per-kind",
        action="store_true",
        help="each kind's answers for the final and final-2 parts too (other parts always "
        "show them); only once the changes they measure are done",
    )
    parser.add_argument(
        "--class-file",
        type=Path,
        help="a class's labelled drawings (the Class page's .npz): how many the detector flags",
    )
    parser.add_argument(
        "--angular",
        action="store_true",
        help="only the angular and blocky digits, with the thinnest, default and thickest brush",
    )
    args = parser.parse_args(argv)
    network = load_model(BUNDLED_MODEL).network
    if args.class_file is not None:
        count, total, digits_flagged = class_flags(args.class_file, load_detector(args.detector))
        print(
            f"{args.class_file}: the detector flags {count} of {total} labelled drawings"
            f" ({count / max(total, 1):.1%})"
            + "".join(f"; {d}: {n}" for d, n in sorted(digits_flagged.items()))
        )
        return 0
    if args.angular:
        detector = load_detector(args.detector)
        for label, drawn in (("angular", ANGULAR), ("fresh angular", ANGULAR_FRESH)):
            read = 0
            for name, brush, image in angular_digits(drawn):
                reading = rd.read_drawing(network, image, detector)
                read += not flagged(reading)
                print(f"  {name:15s} brush {brush:2d}: {answer(reading)} ({reading.digit})")
            print(f"{label} digits read as digits: {read} of {len(drawn) * len(BRUSHES)}")
        return 0
    rng = np.random.default_rng(args.seed + list(PARTS).index(args.part))
    real = list(digits(args.part, rng, args.per_digit))
    if args.set_threshold:
        threshold = choose_threshold([image for _, image in real], args.detector)
        print(f"threshold set to {threshold:.4f} in {args.detector}")
    detector = load_detector(args.detector)
    started = time.perf_counter()
    answers: dict[str, Counter] = defaultdict(Counter)
    fakes = list(non_digits(PARTS[args.part][0], args.per_shape, rng))
    for name, image in fakes:
        answers[name][answer(rd.read_drawing(network, image, detector))] += 1
    wrong: dict[str, Counter] = defaultdict(Counter)
    flagged_digits = unsure_digits = 0
    for name, image in real:
        reading = rd.read_drawing(network, image, detector)
        unsure_digits += reading.verdict == rd.UNSURE
        if flagged(reading):
            flagged_digits += 1
            wrong[name][answer(reading)] += 1
    per_drawing = (time.perf_counter() - started) / (len(fakes) + len(real)) * 1000
    caught = sum(n for a in answers.values() for k, n in a.items() if k in (rd.BLANK, *rd.REASONS))
    hedged = caught + sum(a[rd.UNSURE] for a in answers.values())
    print(f"part {args.part}, detector threshold {detector.threshold:.4f}")
    if args.per_kind or args.part not in BLIND_PARTS:
        for name, counts in answers.items():
            print(f"  {name:16s} " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    print(
        f"non-digits flagged: {caught:,} of {len(fakes):,} ({caught / len(fakes):.1%}),"
        f" flagged or not sure: {hedged:,} ({hedged / len(fakes):.1%});"
        f" real digits flagged: {flagged_digits:,} of {len(real):,}"
        f" ({flagged_digits / len(real):.2%}), not sure: {unsure_digits:,}"
        f" ({unsure_digits / len(real):.2%}); {per_drawing:.1f} ms a drawing"
    )
    # The hands are drawn in strokes as on the canvas: MNIST's scans outnumber them 12 to 1
    # above, so their own share is printed too (a class draws like the hands).
    hands = sum(name.startswith("hand ") for name, _ in real)
    hands_flagged = sum(sum(c.values()) for name, c in wrong.items() if name.startswith("hand "))
    print(f"hand-drawn digits flagged: {hands_flagged} of {hands} ({hands_flagged / hands:.2%})")
    for name, counts in sorted(wrong.items()):
        print(f"  flagged {name}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    if args.fresh_hands:
        fresh = list(jittered(FRESH, args.per_digit, seed=11))
        missed = Counter(
            f"{d.digit} {d.style}"
            for d in fresh
            if flagged(rd.read_drawing(network, d.image, detector))
        )
        total = sum(missed.values())
        print(
            f"fresh hands flagged: {total} of {len(fresh)} ({total / len(fresh):.2%})"
            + "".join(f"; {k} {n}" for k, n in missed.most_common())
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
