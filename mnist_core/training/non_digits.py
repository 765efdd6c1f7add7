"""Synthetic things that are not digits, drawn on a canvas the way students draw: for
training the not-a-digit detector (not_a_digit.py). NumPy and Pillow only.

Lines (far from upright: an upright line is a 1), zigzags and waves, scribbles, letters
from the DejaVu fonts (less those that look like digits) and drawn in strokes, shapes
(squares, triangles, stars, crossed circles, smileys, houses, arrows, spirals, grids),
closed shapes of three to six corners, hearts, spirals and stars of many kinds, bumpy
outlines (clouds, flowers), marks (ticks, equals, hash, arrows any way), scattered dots,
two digits side by side, apart or touching, wide or narrowed; doodles of three to nine
parts (rings, lines, arcs, small shapes, dots), faces (eyes, mouths, ears, whiskers, hair),
digits crossed out, ringed, boxed or among marks, words, three digits in a row and digits
beside a sign. benchmarks/non_digits.py scores the detector on hand-authored drawings that
none of these generators made.
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
    if kind in WITH_DIGITS:
        return kind(rng, pairs)
    return kind(rng)


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (CANVAS, CANVAS), 0)
    return image, ImageDraw.Draw(image)


def _brush(rng: np.random.Generator) -> int:
    """A width the Draw page's brush slider offers (8 to 40 pixels), for digits and
    non-digits alike."""
    return int(rng.integers(8, 41))


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
    return _placed_text(rng, glyph, 15, (0.4, 0.9))


def _placed_text(
    rng: np.random.Generator, glyph: Image.Image, tilt: float, share: tuple[float, float]
) -> np.ndarray:
    """Printed text tilted up to `tilt` degrees, cut to its ink, its longer side `share` of
    the canvas, anywhere on it."""
    glyph = glyph.rotate(rng.uniform(-tilt, tilt), resample=Image.Resampling.BILINEAR)
    box = glyph.getbbox()
    if box is None:
        return _line(rng)
    glyph = glyph.crop(box)
    scale = rng.uniform(*share) * CANVAS / max(glyph.size)
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
    """Two handwritten digits side by side, as "12" is written, apart or touching; half
    of them narrowed and set close, as a hand writes "25" in a small space."""
    a, b = pairs[rng.integers(len(pairs), size=2)]
    if rng.random() < 0.5:
        a, b = (_narrowed(d, rng.uniform(0.45, 1.0)) for d in (a, b))
        gap = int(rng.integers(-2, 6))
    else:
        gap = int(rng.integers(-8, 4)) + 28 - a.shape[1]
    row = np.zeros((28, a.shape[1] + b.shape[1] + gap), np.uint8)
    row[:, : a.shape[1]] = a
    left = a.shape[1] + gap
    row[:, left : left + b.shape[1]] = np.maximum(row[:, left : left + b.shape[1]], b)
    scale = rng.uniform(0.6, 0.95) * CANVAS / max(row.shape)
    big = Image.fromarray(row).resize((round(row.shape[1] * scale), round(28 * scale)))
    image, _ = _canvas()
    image.paste(
        big, (int(rng.uniform(0, CANVAS - big.width)), int(rng.uniform(0, CANVAS - big.height)))
    )
    return np.asarray(image)


def _narrowed(digit: np.ndarray, factor: float) -> np.ndarray:
    """A 28x28 digit cut to its inked columns and squeezed sideways by `factor`."""
    cols = np.flatnonzero(digit.max(axis=0) > 0)
    crop = digit[:, cols[0] : cols[-1] + 1] if len(cols) else digit
    width = max(2, round(crop.shape[1] * factor))
    return np.asarray(Image.fromarray(crop).resize((width, 28), Image.Resampling.BILINEAR))


def _fit(points: Points) -> Points:
    """Points scaled to fill the 0-1 box, keeping their proportions, centred."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    side = max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    dx = (1 - (max(xs) - min(xs)) / side) / 2
    dy = (1 - (max(ys) - min(ys)) / side) / 2
    return [((x - min(xs)) / side + dx, (y - min(ys)) / side + dy) for x, y in points]


def fitted(rng: np.random.Generator, strokes: list[Points], angle: float) -> np.ndarray:
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
    # Four to six corners, tall, would be a 0 drawn in straight strokes (a box, a
    # pentagon): those stay wide, turned as they may be.
    stretch = rng.uniform(0.6, 1.5) if corners < 4 else rng.uniform(1.1, 1.6)
    points = [(0.5 + 0.5 * stretch * math.cos(a), 0.5 + 0.5 * math.sin(a)) for a in angles]
    strokes = [[*points, points[0]]]
    if rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 3))):
            i, j = rng.choice(corners, 2, replace=False)
            strokes.append([points[i], points[j]])
    angle = rng.uniform(0, 360)
    if corners >= 4 and _tall(_turn(points, angle)):
        angle += 90  # the wide way up
    return fitted(rng, strokes, angle)


def _tall(points: Points) -> bool:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return max(ys) - min(ys) > max(xs) - min(xs)


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
    return fitted(rng, [points], rng.uniform(-35, 35))


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
    return fitted(rng, [points], rng.uniform(0, 360))


def _stars(rng: np.random.Generator) -> np.ndarray:
    """A star of four to eight points, outlined, drawn in one stroke (a pentagram), or as
    crossing lines (an asterisk)."""
    tips = int(rng.integers(4, 9))
    style = rng.random()
    if style < 0.25:
        return fitted(rng, [_star()], rng.uniform(0, 360))
    if style < 0.45:
        strokes = [
            [
                (0.5 + 0.5 * math.cos(a), 0.5 + 0.5 * math.sin(a)),
                (0.5 - 0.5 * math.cos(a), 0.5 - 0.5 * math.sin(a)),
            ]
            for a in np.arange(min(tips, 4)) * math.pi / min(tips, 4)
        ]
        return fitted(rng, strokes, rng.uniform(0, 360))
    inner = rng.uniform(0.25, 0.6)
    points = [
        (
            0.5 + (0.5 if k % 2 == 0 else 0.5 * inner) * math.cos(k * math.pi / tips),
            0.5 + (0.5 if k % 2 == 0 else 0.5 * inner) * math.sin(k * math.pi / tips),
        )
        for k in range(2 * tips + 1)
    ]
    return fitted(rng, [points], rng.uniform(0, 360))


def _bumpy(rng: np.random.Generator) -> np.ndarray:
    """A closed outline of bumps (a cloud, a flower, a bush), sometimes on a stem."""
    bumps = int(rng.integers(5, 10))
    depth = rng.uniform(0.2, 0.35)
    wide = rng.uniform(1.0, 1.8)
    outward = 1 if rng.random() < 0.7 else -1
    cloud = rng.random() < 0.35  # bumps over the top only, the bottom flat or open
    start, end = (math.pi - 0.3, 2 * math.pi + 0.3) if cloud else (0, 2 * math.pi)
    points = [
        (
            (1 + outward * depth * abs(math.sin(bumps * t / 2))) * math.cos(t) * wide,
            (1 + outward * depth * abs(math.sin(bumps * t / 2))) * math.sin(t),
        )
        for t in np.linspace(start, end, 25 * bumps)
    ]
    if cloud and rng.random() < 0.5:
        points.append(points[0])
    strokes = [points]
    if rng.random() < 0.3:
        strokes.append([(0, 1), (0, 2.5)])
    return fitted(rng, strokes, rng.uniform(-20, 20))


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
    return fitted(rng, strokes, rng.uniform(-15, 15))


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
    return fitted(rng, strokes, rng.uniform(0, 360) if arrows else rng.uniform(-25, 25))


def _primitive(rng: np.random.Generator) -> list[Points]:
    """One piece of a doodle in the 0-1 box: a ring or oval, a segment, an arc, a small
    closed shape, a dot, or a short zigzag, of a random size somewhere in the box."""
    cx, cy = rng.uniform(0.15, 0.85, 2)
    r = rng.uniform(0.05, 0.35)
    kind = rng.integers(6)
    if kind == 0:
        squash = rng.uniform(0.5, 1.5)
        return [[(cx + x * squash - 0.5 * squash, y) for x, y in _ring(0.5, cy, r)]]
    if kind == 1:
        a = rng.uniform(0, math.pi)
        dx, dy = r * math.cos(a), r * math.sin(a)
        return [[(cx - dx, cy - dy), (cx + dx, cy + dy)]]
    if kind == 2:
        start = rng.uniform(0, 360)
        return [_ring(cx, cy, r, start, start + rng.uniform(60, 250))]
    if kind == 3:
        corners = int(rng.integers(3, 6))
        turn = rng.uniform(0, 2 * math.pi)
        points = [
            (
                cx + r * math.cos(turn + 2 * math.pi * k / corners),
                cy + r * math.sin(turn + 2 * math.pi * k / corners),
            )
            for k in range(corners + 1)
        ]
        return [points]
    if kind == 4:
        return [[(cx, cy)]]
    n = int(rng.integers(3, 7))
    return [[(cx - r + 2 * r * i / n, cy + r / 2 * (-1) ** i) for i in range(n + 1)]]


def _doodle(rng: np.random.Generator) -> np.ndarray:
    """A picture of three to nine pieces (rings, lines, arcs, small shapes, dots), the way
    a drawing of a thing is made of parts; often one big outline around or under them."""
    strokes: list[Points] = []
    if rng.random() < 0.5:
        strokes.append(_ring(0.5, 0.5, 0.5) if rng.random() < 0.5 else _polygon_points(rng))
    for _ in range(int(rng.integers(3, 10)) - len(strokes)):
        strokes.extend(_primitive(rng))
    return fitted(rng, strokes, rng.uniform(-20, 20))


def _polygon_points(rng: np.random.Generator) -> Points:
    corners = int(rng.integers(3, 8))
    angles = np.sort(rng.uniform(0, 2 * math.pi, corners))
    points = [(0.5 + 0.5 * math.cos(a), 0.5 + 0.5 * math.sin(a)) for a in angles]
    return [*points, points[0]]


def _face(rng: np.random.Generator) -> np.ndarray:
    """A face: an outline, eyes (dots, rings or lines, one may wink), a mouth either way,
    sometimes a nose, ears, whiskers or hair."""
    wide = rng.uniform(0.8, 1.25)
    strokes = [[(0.5 + (x - 0.5) * wide, y) for x, y in _ring(0.5, 0.5, 0.5)]]
    for side in (-1, 1):
        x, y = 0.5 + side * rng.uniform(0.12, 0.22) * wide, rng.uniform(0.3, 0.45)
        style = rng.integers(3)
        if style == 0:
            strokes.append([(x, y)])
        elif style == 1:
            strokes.append(_ring(x, y, rng.uniform(0.04, 0.09)))
        else:
            strokes.append([(x - 0.06, y), (x + 0.06, y + rng.uniform(-0.03, 0.03))])
    mouth_y = rng.uniform(0.62, 0.78)
    if rng.random() < 0.7:
        smile = rng.random() < 0.6
        strokes.append(
            _ring(
                0.5,
                mouth_y - (0.12 if smile else -0.12),
                rng.uniform(0.15, 0.25),
                30 if smile else 210,
                150 if smile else 330,
            )
        )
    else:
        strokes.append([(0.35, mouth_y), (0.65, mouth_y + rng.uniform(-0.05, 0.05))])
    if rng.random() < 0.3:
        strokes.append([(0.5, 0.45), (0.47, 0.58), (0.53, 0.58)])
    extra = rng.random()
    if extra < 0.25:  # ears
        strokes += [
            [(0.15, 0.3), (0.15, -0.1), (0.38, 0.05)],
            [(0.62, 0.05), (0.85, -0.1), (0.85, 0.3)],
        ]
    elif extra < 0.45:  # whiskers
        for side in (-1, 1):
            for dy in (-0.04, 0.04):
                strokes.append([(0.5 + side * 0.12, 0.6 + dy), (0.5 + side * 0.6, 0.6 + 3 * dy)])
    elif extra < 0.6:  # hair
        strokes += [[(0.5 + 0.1 * k, 0.02), (0.5 + 0.13 * k, -0.15)] for k in range(-3, 4)]
    return fitted(rng, strokes, rng.uniform(-20, 20))


def _marked_digit(rng: np.random.Generator, pairs: np.ndarray) -> np.ndarray:
    """A handwritten digit crossed out, ringed, boxed, or with marks all round it: a
    drawing that holds a digit but is not one."""
    digit = Image.fromarray(pairs[rng.integers(len(pairs))])
    size = rng.uniform(0.3, 0.6)
    mark = rng.integers(4)
    if mark == 0:  # crossed out
        n = int(rng.integers(3, 9))
        strokes = [[(rng.uniform(0, 0.3) + 0.7 * (i % 2), 0.1 + 0.8 * i / n) for i in range(n + 1)]]
    elif mark == 1:
        strokes = [_ring(0.5, 0.5, 0.5)]
    elif mark == 2:
        strokes = [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]
    else:
        strokes = [s for _ in range(int(rng.integers(2, 5))) for s in _primitive(rng)]
        size = rng.uniform(0.25, 0.45)
    image = Image.fromarray(
        _strokes(rng, [_turn(s, rng.uniform(-10, 10)) for s in strokes], fit=False)
    )
    box = image.getbbox() or (0, 0, CANVAS, CANVAS)
    side = max(8, int(size * (box[2] - box[0] + box[3] - box[1]) / 2 * 1.4))
    big = digit.resize((side, side))
    at = (int((box[0] + box[2] - side) / 2), int((box[1] + box[3] - side) / 2))
    if mark == 0:
        at = (int(rng.uniform(box[0], max(box[0] + 1, box[2] - side))), at[1])
    pasted = Image.new("L", (CANVAS, CANVAS), 0)
    pasted.paste(big, at)
    return np.maximum(np.asarray(image), np.asarray(pasted))


def _word(rng: np.random.Generator) -> np.ndarray:
    """Two to five letters written as a word, printed in a DejaVu face or drawn in strokes
    side by side: a name, "hi", "ok" (any letters: a word is no digit)."""
    if rng.random() < 0.5:
        letters = rng.integers(len(HAND_LETTERS), size=int(rng.integers(2, 5)))
        strokes = []
        for k, index in enumerate(letters):
            wide = rng.uniform(0.5, 0.9)
            strokes += [[(k + x * wide, y) for x, y in s] for s in HAND_LETTERS[index]]
        return fitted(rng, strokes, rng.uniform(-10, 10))
    faces = fonts(120)
    font = faces[rng.integers(len(faces))]
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = "".join(alphabet[i] for i in rng.integers(len(alphabet), size=int(rng.integers(2, 6))))
    glyph = Image.new("L", (CANVAS * 4, CANVAS), 0)
    ImageDraw.Draw(glyph).text((20, 40), text, fill=255, font=font)
    return _placed_text(rng, glyph, 10, (0.5, 0.95))


def _digits_and_signs(rng: np.random.Generator, pairs: np.ndarray) -> np.ndarray:
    """Three digits in a row, or a digit with a sign beside it (-5, +3, 7%, =2, 4?)."""
    count = 3 if rng.random() < 0.4 else 1
    chosen = pairs[rng.integers(len(pairs), size=count)]
    gap = int(rng.integers(-6, 4))
    width = 28 * count + gap * (count - 1)
    sign = None
    if count == 1:
        sign = Image.new("L", (28, 28), 0)
        draw = ImageDraw.Draw(sign)
        kind = rng.integers(4)
        thick = int(rng.integers(2, 4))
        if kind == 0:
            draw.line([(4, 14), (24, 14)], fill=255, width=thick)
        elif kind == 1:
            draw.line([(4, 14), (24, 14)], fill=255, width=thick)
            draw.line([(14, 4), (14, 24)], fill=255, width=thick)
        elif kind == 2:
            draw.line([(4, 10), (24, 10)], fill=255, width=thick)
            draw.line([(4, 18), (24, 18)], fill=255, width=thick)
        else:
            draw.ellipse((3, 3, 11, 11), outline=255, width=thick)
            draw.line([(22, 2), (6, 26)], fill=255, width=thick)
            draw.ellipse((17, 17, 25, 25), outline=255, width=thick)
        width = 56 + gap
    row = np.zeros((28, width), np.uint8)
    pieces = list(chosen) if sign is None else [np.asarray(sign), chosen[0]]
    if sign is not None and rng.random() < 0.5:
        pieces.reverse()
    for k, piece in enumerate(pieces):
        left = k * (28 + gap)
        row[:, left : left + 28] = np.maximum(row[:, left : left + 28], piece)
    size = int(rng.uniform(0.6, 0.95) * CANVAS)
    big = Image.fromarray(row).resize((size, max(1, round(size * 28 / row.shape[1]))))
    image, _ = _canvas()
    image.paste(
        big, (int(rng.uniform(0, CANVAS - big.width)), int(rng.uniform(0, CANVAS - big.height)))
    )
    return np.asarray(image)


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
    _doodle,
    _doodle,
    _doodle,
    _face,
    _marked_digit,
    _marked_digit,
    _word,
    _word,
    _digits_and_signs,
)
# Kinds that take the 28x28 digits to draw with.
WITH_DIGITS = (_two_digits, _marked_digit, _digits_and_signs)
