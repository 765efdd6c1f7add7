"""Synthetic things that are not digits, drawn on a canvas the way students draw: for
training the not-a-digit detector (not_a_digit.py). NumPy and Pillow only.

Lines (far from upright: an upright line is a 1), zigzags and waves, scribbles, letters
from the DejaVu fonts (less those that look like digits) and drawn in strokes, shapes
(squares, triangles, stars, crossed circles, smileys, houses, arrows, spirals, grids),
closed shapes of three to six corners, hearts, spirals and stars of many kinds, bumpy
outlines (clouds, flowers), marks (ticks, equals, hash, arrows any way), scattered dots,
and two digits side by side, apart or touching. benchmarks/non_digits.py scores the
detector on hand-authored drawings that none of these generators made.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

CANVAS = 280
FONTS = Path("/usr/share/fonts/truetype/dejavu")
# Letters that a child's digit can look like (O 0, I l 1, S 5, Z z 2, B 8, G b 6, q g 9, D 0)
# are left out: the detector must not learn to call those digits not-digits.
LETTERS = "ACEFHKMNPRTUVWXYacefhkmnrtuvwxy"

Points = list[tuple[float, float]]


def non_digit(rng: np.random.Generator, pairs: np.ndarray) -> np.ndarray:
    """One drawing (a CANVAS x CANVAS greyscale uint8 image, ink 255) of a random kind;
    `pairs` holds 28x28 digits (uint8) to set side by side."""
    kind = KINDS[rng.integers(len(KINDS))]
    if kind is _two_digits:
        return _two_digits(rng, pairs)
    return kind(rng)


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (CANVAS, CANVAS), 0)
    return image, ImageDraw.Draw(image)


def _brush(rng: np.random.Generator) -> int:
    return int(rng.uniform(10, 36))


def _strokes(rng: np.random.Generator, strokes: list[Points], fit: bool = True) -> np.ndarray:
    """Strokes in a 0-1 box, scaled to a random size and place on the canvas, then drawn."""
    size = rng.uniform(0.4, 0.9) * CANVAS
    left, top = rng.uniform(0.05, 0.95 - size / CANVAS, 2) * CANVAS if fit else (0.0, 0.0)
    image, draw = _canvas()
    width = _brush(rng)
    wobble = rng.uniform(0, 0.02)  # a hand is never quite steady
    for stroke in strokes:
        shake = wobble if len(stroke) <= 12 else wobble / 5  # a curve's points lie close
        points = [
            (left + (x + rng.normal(0, shake)) * size, top + (y + rng.normal(0, shake)) * size)
            for x, y in stroke
        ]
        if len(points) == 1:
            x, y = points[0]
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)
            continue
        draw.line(points, fill=255, width=width, joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)
    return np.asarray(image)


def _turn(points: Points, degrees: float) -> Points:
    a = math.radians(degrees)
    return [
        (
            0.5 + (x - 0.5) * math.cos(a) - (y - 0.5) * math.sin(a),
            0.5 + (x - 0.5) * math.sin(a) + (y - 0.5) * math.cos(a),
        )
        for x, y in points
    ]


def _ring(cx: float, cy: float, r: float, start: float = 0, end: float = 360) -> Points:
    n = max(8, int(abs(end - start) / 10))
    return [
        (
            cx + r * math.cos(math.radians(start + (end - start) * i / n)),
            cy + r * math.sin(math.radians(start + (end - start) * i / n)),
        )
        for i in range(n + 1)
    ]


def _line(rng: np.random.Generator) -> np.ndarray:
    """A straight or gently bent line at least 50 degrees from upright (a 1 may lean)."""
    angle = rng.uniform(-40, 40)
    bend = rng.uniform(-0.1, 0.1)
    points = [(t, 0.5 + bend * math.sin(math.pi * t)) for t in np.linspace(0, 1, 12)]
    return _strokes(rng, [_turn(points, angle)])


def _zigzag(rng: np.random.Generator) -> np.ndarray:
    """A zigzag or a wave along a mostly level line, three or more turns."""
    turns = int(rng.integers(3, 8))
    height = rng.uniform(0.1, 0.4)
    if rng.random() < 0.5:
        points = [(i / turns, 0.5 + height * (-1) ** i / 2) for i in range(turns + 1)]
    else:
        points = [
            (t, 0.5 + height / 2 * math.sin(t * turns * math.pi)) for t in np.linspace(0, 1, 60)
        ]
    return _strokes(rng, [_turn(points, rng.uniform(-30, 30))])


def _scribble(rng: np.random.Generator) -> np.ndarray:
    """A random walk that keeps turning back over itself, in one to three strokes."""
    strokes = []
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.integers(6, 25))
        points = np.cumsum(rng.normal(0, 0.25, (n, 2)), axis=0)
        points -= points.min(axis=0)
        points /= max(points.max(), 1e-6)
        strokes.append([(float(x), float(y)) for x, y in points])
    return _strokes(rng, strokes)


def _letter(rng: np.random.Generator) -> np.ndarray:
    """A letter in a DejaVu font, tilted a little, drawn large or small, thin or thick."""
    faces = fonts(200)
    font = faces[rng.integers(len(faces))]
    letter = LETTERS[rng.integers(len(LETTERS))]
    glyph = Image.new("L", (CANVAS * 2, CANVAS * 2), 0)
    ImageDraw.Draw(glyph).text((CANVAS // 2, CANVAS // 4), letter, fill=255, font=font)
    glyph = glyph.rotate(rng.uniform(-15, 15), resample=Image.Resampling.BILINEAR)
    box = glyph.getbbox()
    if box is None:
        return _line(rng)
    glyph = glyph.crop(box)
    scale = rng.uniform(0.4, 0.9) * CANVAS / max(glyph.size)
    glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))))
    image, _ = _canvas()
    left = int(rng.uniform(0, CANVAS - glyph.width))
    top = int(rng.uniform(0, CANVAS - glyph.height))
    image.paste(glyph, (left, top))
    return np.asarray(image)


@functools.cache
def fonts(size: int) -> tuple[ImageFont.FreeTypeFont, ...]:
    """Every DejaVu face on this machine (Debian's fonts-dejavu), at one size."""
    return tuple(ImageFont.truetype(str(f), size) for f in sorted(FONTS.glob("DejaVu*.ttf")))


def _shape(rng: np.random.Generator) -> np.ndarray:
    """One of a dozen simple pictures children draw instead of a digit."""
    shapes: list[list[Points]] = [
        [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]],  # square
        [[(0.5, 0), (1, 1), (0, 1), (0.5, 0)]],  # triangle
        [_ring(0.5, 0.5, 0.5), [(0.15, 0.15), (0.85, 0.85)], [(0.85, 0.15), (0.15, 0.85)]],
        [_ring(0.5, 0.5, 0.5), [(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)]],
        [[(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)]],  # plus
        [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],  # cross
        [_star()],
        [_ring(0.5, 0.5, 0.5), [(0.35, 0.35)], [(0.65, 0.35)], _ring(0.5, 0.5, 0.28, 30, 150)],
        [[(0, 0.45), (0.5, 0), (1, 0.45), (0.85, 0.45), (0.85, 1), (0.15, 1), (0.15, 0.45)]],
        [[(0, 0.5), (1, 0.5)], [(0.7, 0.2), (1, 0.5), (0.7, 0.8)]],  # arrow
        [_spiral()],
        [
            [(0.33, 0), (0.33, 1)],
            [(0.67, 0), (0.67, 1)],
            [(0, 0.33), (1, 0.33)],
            [(0, 0.67), (1, 0.67)],
        ],
        [_ring(0.5, 0.5, 0.5), _ring(0.5, 0.5, 0.25)],  # two rings
    ]
    strokes = shapes[rng.integers(len(shapes))]
    angle = rng.uniform(-25, 25)
    return _strokes(rng, [_turn(s, angle) for s in strokes])


def _star() -> Points:
    return [
        (0.5 + 0.5 * math.sin(math.radians(144 * i)), 0.5 - 0.5 * math.cos(math.radians(144 * i)))
        for i in range(6)
    ]


def _spiral() -> Points:
    return [
        (0.5 + t / 2 * math.cos(t * 5 * math.pi), 0.5 + t / 2 * math.sin(t * 5 * math.pi))
        for t in np.linspace(0.05, 1, 80)
    ]


def _dots(rng: np.random.Generator) -> np.ndarray:
    """Several dots scattered over the canvas."""
    dots = [[(float(x), float(y))] for x, y in rng.uniform(0, 1, (int(rng.integers(2, 7)), 2))]
    return _strokes(rng, dots)


def _two_digits(rng: np.random.Generator, pairs: np.ndarray) -> np.ndarray:
    """Two handwritten digits side by side, as "12" is written, apart or touching."""
    a, b = pairs[rng.integers(len(pairs), size=2)]
    gap = int(rng.integers(-8, 4))
    row = np.zeros((28, 56 + gap), np.uint8)
    row[:, :28] = a
    row[:, 28 + gap :] = np.maximum(row[:, 28 + gap :], b)
    width = int(rng.uniform(0.6, 0.95) * CANVAS)
    big = Image.fromarray(row).resize((width, round(width * 28 / row.shape[1])))
    image, _ = _canvas()
    image.paste(
        big, (int(rng.uniform(0, CANVAS - big.width)), int(rng.uniform(0, CANVAS - big.height)))
    )
    return np.asarray(image)


def _fit(points: Points) -> Points:
    """Points scaled to fill the 0-1 box, keeping their proportions, centred."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    side = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    dx = (1 - (max(xs) - min(xs)) / side) / 2
    dy = (1 - (max(ys) - min(ys)) / side) / 2
    return [((x - min(xs)) / side + dx, (y - min(ys)) / side + dy) for x, y in points]


def _fitted(rng: np.random.Generator, strokes: list[Points], angle: float) -> np.ndarray:
    """Strokes turned by `angle`, fitted to the box together, then drawn."""
    turned = [_turn(s, angle) for s in strokes]
    flat = _fit([p for s in turned for p in s])
    out, i = [], 0
    for s in turned:
        out.append(flat[i : i + len(s)])
        i += len(s)
    return _strokes(rng, out)


def _polygon(rng: np.random.Generator) -> np.ndarray:
    """A closed shape with three to six corners, regular or not, at any angle, sometimes
    with a line or two across it (a crossed box, a flag, an envelope)."""
    corners = int(rng.integers(3, 7))
    angles = np.sort(rng.uniform(0, 2 * math.pi, corners)) if rng.random() < 0.4 else None
    if angles is None:
        angles = np.arange(corners) * 2 * math.pi / corners + rng.uniform(0, math.pi)
    # Five or six corners, tall, would be a 0: those stay wide and near level.
    stretch = rng.uniform(0.6, 1.5) if corners < 5 else rng.uniform(1.1, 1.6)
    points = [(0.5 + 0.5 * stretch * math.cos(a), 0.5 + 0.5 * math.sin(a)) for a in angles]
    strokes = [[*points, points[0]]]
    if rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 3))):
            i, j = rng.choice(corners, 2, replace=False)
            strokes.append([points[i], points[j]])
    return _fitted(rng, strokes, rng.uniform(0, 360) if corners < 5 else rng.uniform(-20, 20))


def _heart(rng: np.random.Generator) -> np.ndarray:
    """A heart, plump or thin, upright or tipped."""
    plump = rng.uniform(0.7, 1.3)
    points = [
        (
            16 * math.sin(t) ** 3 * plump,
            -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)),
        )
        for t in np.linspace(0, 2 * math.pi, 60)
    ]
    return _fitted(rng, [points], rng.uniform(-35, 35))


def _spirals(rng: np.random.Generator) -> np.ndarray:
    """A spiral of one and a half to four turns, either way, round or square."""
    turns = rng.uniform(1.5, 4)
    sign = 1 if rng.random() < 0.5 else -1
    inner = rng.uniform(0, 0.3)
    if rng.random() < 0.25:
        steps = int(turns * 4)
        points = [
            ((k + 1) * math.cos(sign * k * math.pi / 2), (k + 1) * math.sin(sign * k * math.pi / 2))
            for k in range(steps + 1)
        ]
    else:
        points = [
            (
                (inner + t) * math.cos(sign * t * turns * 2 * math.pi),
                (inner + t) * math.sin(sign * t * turns * 2 * math.pi) * rng.uniform(0.95, 1.05),
            )
            for t in np.linspace(0, 1, int(40 * turns))
        ]
    return _fitted(rng, [points], rng.uniform(0, 360))


def _stars(rng: np.random.Generator) -> np.ndarray:
    """A star of four to eight points, outlined, drawn in one stroke (a pentagram), or as
    crossing lines (an asterisk)."""
    tips = int(rng.integers(4, 9))
    style = rng.random()
    if style < 0.25:
        return _fitted(rng, [_star()], rng.uniform(0, 360))
    if style < 0.45:
        strokes = [
            [
                (0.5 + 0.5 * math.cos(a), 0.5 + 0.5 * math.sin(a)),
                (0.5 - 0.5 * math.cos(a), 0.5 - 0.5 * math.sin(a)),
            ]
            for a in np.arange(min(tips, 4)) * math.pi / min(tips, 4)
        ]
        return _fitted(rng, strokes, rng.uniform(0, 360))
    inner = rng.uniform(0.25, 0.6)
    points = [
        (
            0.5 + (0.5 if k % 2 == 0 else 0.5 * inner) * math.cos(k * math.pi / tips),
            0.5 + (0.5 if k % 2 == 0 else 0.5 * inner) * math.sin(k * math.pi / tips),
        )
        for k in range(2 * tips + 1)
    ]
    return _fitted(rng, [points], rng.uniform(0, 360))


def _bumpy(rng: np.random.Generator) -> np.ndarray:
    """A closed outline of bumps (a cloud, a flower, a bush), sometimes on a stem."""
    bumps = int(rng.integers(5, 10))
    depth = rng.uniform(0.2, 0.35)
    wide = rng.uniform(1.0, 1.8)
    outward = 1 if rng.random() < 0.7 else -1
    points = [
        (
            (1 + outward * depth * abs(math.sin(bumps * t / 2))) * math.cos(t) * wide,
            (1 + outward * depth * abs(math.sin(bumps * t / 2))) * math.sin(t),
        )
        for t in np.linspace(0, 2 * math.pi, 25 * bumps)
    ]
    strokes = [points]
    if rng.random() < 0.3:
        strokes.append([(0, 1), (0, 2.5)])
    return _fitted(rng, strokes, rng.uniform(-20, 20))


# Letters as a hand draws them, in a 0-1 box: none of them a digit's shape.
HAND_LETTERS: tuple[list[Points], ...] = (
    [[(0, 1), (0.5, 0), (1, 1)], [(0.25, 0.55), (0.75, 0.55)]],  # A
    [[(0.9, 0), (0.1, 0), (0.1, 1), (0.9, 1)], [(0.1, 0.5), (0.7, 0.5)]],  # E
    [[(0.9, 0), (0.1, 0), (0.1, 1)], [(0.1, 0.5), (0.7, 0.5)]],  # F
    [[(0.1, 0), (0.1, 1)], [(0.9, 0), (0.9, 1)], [(0.1, 0.5), (0.9, 0.5)]],  # H
    [[(0.1, 0), (0.1, 1)], [(0.9, 0), (0.1, 0.55), (0.9, 1)]],  # K
    [[(0.1, 0), (0.1, 1), (0.9, 1)]],  # L
    [[(0, 1), (0.05, 0), (0.5, 0.6), (0.95, 0), (1, 1)]],  # M
    [[(0.1, 1), (0.1, 0), (0.9, 1), (0.9, 0)]],  # N
    [[(0.1, 1), (0.1, 0), (0.6, 0.02), (0.85, 0.25), (0.6, 0.5), (0.1, 0.5), (0.85, 1)]],  # R
    [[(0, 0), (1, 0)], [(0.5, 0), (0.5, 1)]],  # T
    [[(0.1, 0), (0.1, 0.7), (0.3, 1), (0.7, 1), (0.9, 0.7), (0.9, 0)]],  # U
    [[(0, 0), (0.5, 1), (1, 0)]],  # V
    [[(0, 0), (0.25, 1), (0.5, 0.3), (0.75, 1), (1, 0)]],  # W
    [[(0, 0), (1, 1)], [(1, 0), (0, 1)]],  # X
    [[(0, 0), (0.5, 0.5), (1, 0)], [(0.5, 0.5), (0.5, 1)]],  # Y
    [[(0.1, 1), (0.1, 0), (0.6, 0.02), (0.85, 0.25), (0.6, 0.5), (0.1, 0.5)]],  # P
    [[(0.1, 0), (0.1, 1)], [(0.1, 0.5), (0.6, 0.5), (0.9, 1)], [(0.6, 0.5), (0.9, 0)]],  # K'
    [[(0.9, 0.1), (0.5, 0), (0.1, 0.3), (0.1, 0.7), (0.5, 1), (0.9, 0.9)]],  # C
)


def _hand_letter(rng: np.random.Generator) -> np.ndarray:
    """A capital letter drawn in strokes, narrow or wide, slanted, wobbly."""
    strokes = HAND_LETTERS[rng.integers(len(HAND_LETTERS))]
    wide = rng.uniform(0.5, 1.3)
    lean = rng.uniform(-0.3, 0.3)
    strokes = [[(x * wide + lean * (1 - y), y) for x, y in s] for s in strokes]
    return _fitted(rng, strokes, rng.uniform(-15, 15))


def _symbol(rng: np.random.Generator) -> np.ndarray:
    """Marks on school work: ticks, equals, hash, arrows (any way, one or two heads, bent),
    a house, a smiley, a tree, a box with a cross, a pi."""
    head = [(0.8, 0.35), (1, 0.5), (0.8, 0.65)]
    bent = _ring(0.5, 0.7, 0.45, 180, 360)
    symbols: list[list[Points]] = [
        [[(0, 0.55), (0.3, 1), (1, 0)]],  # tick
        [[(0, 0.35), (1, 0.35)], [(0, 0.65), (1, 0.65)]],  # equals
        [
            [(0.35, 0), (0.3, 1)],
            [(0.7, 0), (0.65, 1)],
            [(0, 0.33), (1, 0.33)],
            [(0, 0.67), (1, 0.67)],
        ],
        [[(0, 0.5), (1, 0.5)], head],  # arrow
        [[(0, 0.5), (1, 0.5)], head, [(0.2, 0.35), (0, 0.5), (0.2, 0.65)]],  # both ways
        [
            bent,
            [
                (bent[-1][0] - 0.15, bent[-1][1] - 0.1),
                bent[-1],
                (bent[-1][0] + 0.05, bent[-1][1] + 0.15),
            ],
        ],
        [[(0.1, 0.45), (0.1, 1), (0.9, 1), (0.9, 0.45), (0.1, 0.45), (0.5, 0.05), (0.9, 0.45)]],
        [
            _ring(0.5, 0.5, 0.5),
            [(0.33, 0.35)],
            [(0.67, 0.35)],
            [(0.3, 0.65), (0.5, 0.78), (0.7, 0.65)],
        ],
        [[(0.5, 0), (0.95, 0.7), (0.05, 0.7), (0.5, 0)], [(0.5, 0.7), (0.5, 1)]],  # tree
        [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], [(0, 0), (1, 1)]],  # box, one diagonal
        [[(0, 0.1), (1, 0.1)], [(0.3, 0.1), (0.25, 1)], [(0.7, 0.1), (0.75, 1)]],  # pi
        [[(0, 0.5), (1, 0.5)], [(0.5, 0), (0.5, 1)], [(0.15, 0.15), (0.85, 0.85)]],
    ]
    strokes = symbols[rng.integers(len(symbols))]
    arrows = 3 <= symbols.index(strokes) <= 5
    return _fitted(rng, strokes, rng.uniform(0, 360) if arrows else rng.uniform(-25, 25))


KINDS: tuple[Callable, ...] = (
    _line,
    _zigzag,
    _scribble,
    _scribble,
    _letter,
    _letter,
    _letter,
    _hand_letter,
    _hand_letter,
    _shape,
    _shape,
    _polygon,
    _polygon,
    _heart,
    _spirals,
    _stars,
    _bumpy,
    _symbol,
    _symbol,
    _dots,
    _two_digits,
    _two_digits,
)
