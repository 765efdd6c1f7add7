"""Synthetic photos of digits written on paper, for the photo tests and benchmark.

Each photo is the hand-authored stroke digits of benchmarks/handwriting.py written with a
pen on a sheet and photographed: a paper colour and texture, light falling off across the
sheet, often a soft shadow (a hand, a phone), sometimes the table beyond the sheet's
straight edge (a margin of paper beyond the ink: nobody writes on the table);
the digit 15-60% of the frame's height, anywhere in it, tilted up to 10 degrees, sometimes
seen at a slant (perspective); a blue ballpoint's thin line, a black marker's thick one or
a pencil's grainy grey; then the camera: defocus blur, sensor noise, a JPEG at quality
40-90 (or a PNG), 640x480 to 4000x3000 pixels, now and then stored sideways with an EXIF
orientation, as phones do. Blank sheets, several digits on one sheet and shapes that are
no digit test the honest answers. Everything is drawn from one seed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from benchmarks.digits import Stroke
from benchmarks.handwriting import HANDS, HELD_OUT, arc, place

DIGIT, BLANK, SEVERAL, SHAPE = "digit", "blank", "several", "shape"
# (width, height) of the photos: a laptop's camera to a 12-megapixel phone.
SIZES = ((640, 480), (1280, 720), (1280, 960), (1600, 1200), (2048, 1536), (4000, 3000))
SMALL_SIZES = SIZES[:4]  # for the tests: quick to make


@dataclass(frozen=True)
class Pen:
    colour: tuple[int, int, int]
    width: tuple[float, float]  # the line's width over the digit's height, least and most
    opacity: tuple[float, float]
    grainy: bool  # graphite leaves paper showing through


PENS = {
    "ballpoint": Pen((35, 50, 135), (1 / 100, 1 / 40), (0.8, 1.0), False),
    "marker": Pen((22, 22, 26), (1 / 20, 1 / 8), (0.95, 1.0), False),
    "pencil": Pen((70, 70, 76), (1 / 80, 1 / 30), (0.55, 0.85), True),
}
PAPERS = ((246, 246, 242), (242, 234, 212), (224, 224, 216), (236, 241, 248))
TABLES = ((96, 66, 44), (70, 72, 78), (150, 120, 90), (30, 30, 32))
# Shapes that are no digit, in a 100-unit box.
SHAPES: dict[str, list[Stroke]] = {
    "star": [
        [
            (50, 0),
            (62, 38),
            (100, 38),
            (69, 60),
            (80, 100),
            (50, 76),
            (20, 100),
            (31, 60),
            (0, 38),
            (38, 38),
            (50, 0),
        ]
    ],
    "house": [[(0, 45), (50, 0), (100, 45), (85, 45), (85, 100), (15, 100), (15, 45)]],
    "zigzag": [[(10, 20), (80, 30), (20, 45), (90, 55), (15, 70), (85, 85), (30, 95), (70, 10)]],
    "A": [[(0, 100), (50, 0), (100, 100)], [(25, 55), (75, 55)]],
    "X": [[(0, 0), (100, 100)], [(100, 0), (0, 100)]],
    "heart": [
        [*arc(28, 30, 24, 24, 150, 360), (50, 100)],
        [*arc(72, 30, 24, 24, 30, -180), (50, 100)],
    ],
    "spiral": [arc(50, 50, 8 + r, 8 + r, 90 * r / 5, 90 * r / 5 + 90) for r in range(0, 40, 5)],
    "smiley": [
        arc(50, 50, 48, 48, 0, 360),
        arc(50, 58, 25, 20, 20, 160),
        [(35, 35), (36, 36)],
        [(65, 35), (66, 36)],
    ],
}


@dataclass(frozen=True)
class Photo:
    kind: str  # DIGIT, BLANK, SEVERAL or SHAPE
    digit: int | None  # for DIGIT
    pen: str
    size: tuple[int, int]  # width, height as the viewer shows it
    share: float  # the ink's height over the frame's height
    conditions: tuple[str, ...]  # of "shadow", "edge", "perspective", "sideways", "png"
    data: bytes  # the file, as a camera or an upload sends it


def photos(
    count: int,
    seed: int,
    kinds: tuple[str, ...] = (DIGIT,),
    hands: tuple[str, ...] = HELD_OUT,
    sizes: tuple[tuple[int, int], ...] = SIZES,
) -> Iterator[Photo]:
    """`count` photos, each of a kind, hand, digit, pen and size drawn in turn from these."""
    rng = np.random.default_rng(seed)
    for index in range(count):
        kind = kinds[index % len(kinds)]
        pen = list(PENS)[int(rng.integers(len(PENS)))]
        width, height = sizes[int(rng.integers(len(sizes)))]
        if rng.random() < 0.3:
            width, height = height, width  # held upright
        hand = hands[int(rng.integers(len(hands)))]
        yield photo(kind, rng, pen, (width, height), hand)


def photo(kind: str, rng: np.random.Generator, pen: str, size: tuple[int, int], hand: str) -> Photo:
    """One photo of a sheet with `kind` on it, written in `hand` with `pen`."""
    width, height = size
    digit, strokes, share = None, [], float(rng.uniform(0.15, 0.6))
    if kind == DIGIT:
        digit = int(rng.integers(10))
        strokes = _written([_digit(hand, digit, rng)], rng, share * height)
    elif kind == SEVERAL:
        number = [int(d) for d in rng.integers(10, size=int(rng.integers(2, 4)))]
        share = min(share, 0.8 * width / height / len(number) / 0.9)
        strokes = _written([_digit(hand, d, rng) for d in number], rng, share * height)
    elif kind == SHAPE:
        shape = SHAPES[list(SHAPES)[int(rng.integers(len(SHAPES)))]]
        strokes = _written(
            [place(shape, rng, 100, 0.9, float(rng.uniform(-15, 15)))], rng, share * height
        )
    conditions = []
    strokes = _in_frame(strokes, rng, width, height)
    if strokes and rng.random() < 0.3:
        strokes = _perspective(strokes, rng, width, height)
        conditions.append("perspective")
    ink = PENS[pen]
    line = float(rng.uniform(*ink.width)) * share * height
    scene = _scene(rng, width, height, conditions, _reach(strokes, width, height, line))
    mask = _ink_mask(strokes, width, height, line)
    if ink.grainy:
        mask *= _upscaled(rng.uniform(0.35, 1.0, (height // 2, width // 2)), width, height)
    mask *= float(rng.uniform(*ink.opacity))
    pixels = _camera(scene, mask, np.array(ink.colour, np.float32), rng)
    data = _stored(pixels, rng, conditions)
    return Photo(kind, digit, pen, size, share, tuple(conditions), data)


def _digit(hand: str, digit: int, rng: np.random.Generator) -> list[Stroke]:
    """The hand's digit slanted and wobbled as handwriting.jittered does, 90 units tall."""
    (strokes,) = [s for (d, _), s in HANDS[hand].items() if d == digit]
    return place(strokes, rng, 100, 0.9, float(rng.uniform(-20, 20)))


def _written(groups: list[list[Stroke]], rng: np.random.Generator, height: float) -> list[Stroke]:
    """Groups of strokes side by side with a gap between them, `height` pixels tall."""
    placed, left = [], 0.0
    for strokes in groups:
        xs = [x for s in strokes for x, _ in s]
        ys = [y for s in strokes for _, y in s]
        scale = height / (max(ys) - min(ys))
        placed += [
            [(left + (x - min(xs)) * scale, (y - min(ys)) * scale) for x, y in s] for s in strokes
        ]
        left += (max(xs) - min(xs)) * scale + float(rng.uniform(0.2, 0.45)) * height
    return placed


def _in_frame(
    strokes: list[Stroke], rng: np.random.Generator, width: int, height: int
) -> list[Stroke]:
    """Tilted up to 10 degrees about its middle and put anywhere in the frame's middle 90%."""
    if not strokes:
        return []
    turn = math.radians(rng.uniform(-10, 10))
    cos, sin = math.cos(turn), math.sin(turn)
    turned = [[(x * cos - y * sin, x * sin + y * cos) for x, y in s] for s in strokes]
    xs = [x for s in turned for x, _ in s]
    ys = [y for s in turned for _, y in s]
    margin_x, margin_y = 0.05 * width, 0.05 * height
    left = rng.uniform(margin_x, max(margin_x, width - margin_x - (max(xs) - min(xs))))
    top = rng.uniform(margin_y, max(margin_y, height - margin_y - (max(ys) - min(ys))))
    return [[(x - min(xs) + left, y - min(ys) + top) for x, y in s] for s in turned]


def _perspective(
    strokes: list[Stroke], rng: np.random.Generator, width: int, height: int
) -> list[Stroke]:
    """The sheet seen a little from one side: a mild projective warp about the middle."""
    p, q = rng.uniform(-0.12, 0.12, 2)
    out = []
    for s in strokes:
        warped = []
        for x, y in s:
            u, v = 2 * x / width - 1, 2 * y / height - 1
            w = 1 + p * u + q * v
            warped.append(((u / w + 1) * width / 2, (v / w + 1) * height / 2))
        out.append(warped)
    return out


@dataclass(frozen=True)
class Edge:
    """The table beyond the sheet's edge: where the edge runs and the table's colour."""

    turn: float  # the direction from the frame's middle across the edge, in radians
    offset: float  # how far the edge is from the middle, in frame widths and heights
    colour: tuple[int, int, int]


def _reach(
    strokes: list[Stroke], width: int, height: int, line: float
) -> tuple[np.ndarray, float] | None:
    """The ink's points and its line's half width, in the frame's units (0 to 1 across):
    what the sheet's edge must stay beyond, since nobody writes on the table."""
    if not strokes:
        return None
    points = np.array([p for s in strokes for p in s], np.float32)
    return np.column_stack([points[:, 0] / width - 0.5, points[:, 1] / height - 0.5]), (
        line / 2 / min(width, height)
    )


def _scene(
    rng: np.random.Generator,
    width: int,
    height: int,
    conditions: list[str],
    reach: tuple[np.ndarray, float] | None,
) -> tuple[np.ndarray, np.ndarray, Edge | None]:
    """The sheet without ink: its colour (RGB) and the light falling on it, on a coarse grid
    (eight times smaller) since both change slowly, and sometimes the table beyond its edge
    (drawn at full size by _camera: a sheet's edge is sharp)."""
    w, h = max(8, width // 8), max(8, height // 8)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    x, y = x / w - 0.5, y / h - 0.5
    angle = rng.uniform(0, 2 * math.pi)
    light = 1.0 - rng.uniform(0, 0.4) * (x * math.cos(angle) + y * math.sin(angle) + 0.5)
    light *= 1.0 - rng.uniform(0, 0.25) * (x**2 + y**2)  # vignetting
    light *= rng.uniform(0.75, 1.05)
    if rng.random() < 0.5:
        conditions.append("shadow")
        turn, offset = rng.uniform(0, 2 * math.pi), rng.uniform(-0.45, 0.2)
        soft = rng.uniform(0.02, 0.15)
        inside = x * math.cos(turn) + y * math.sin(turn) - offset
        light *= 1.0 - rng.uniform(0.25, 0.55) / (1.0 + np.exp(-np.clip(inside / soft, -30, 30)))
    colour = np.broadcast_to(
        np.array(PAPERS[int(rng.integers(len(PAPERS)))], np.float32), (h, w, 3)
    ).copy()
    edge = None
    if rng.random() < 0.3:
        turn = float(rng.uniform(-0.1, 0.1) + rng.integers(4) * math.pi / 2)
        offset = 0.5 - float(rng.uniform(0.03, 0.12))
        table = TABLES[int(rng.integers(len(TABLES)))]
        if reach is not None:  # a margin of paper between the ink and the edge
            points, half_line = reach
            beyond = points @ np.array([math.cos(turn), math.sin(turn)], np.float32)
            offset = max(offset, float(beyond.max()) + half_line + 0.02)
        if offset < 0.5:
            conditions.append("edge")
            edge = Edge(turn, offset, table)
    return colour, light, edge


def _ink_mask(strokes: list[Stroke], width: int, height: int, line: float) -> np.ndarray:
    """How much ink covers each pixel, 0 to 1: a line under a pixel wide is drawn one pixel
    wide and that much fainter."""
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    fill, thick = round(255 * min(1.0, line)), max(1, round(line))
    for stroke in strokes:
        draw.line(stroke, fill=fill, width=thick, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            r = thick / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
    return np.asarray(image, np.float32) / 255.0


def _upscaled(field: np.ndarray, width: int, height: int) -> np.ndarray:
    image = Image.fromarray(field.astype(np.float32)).resize((width, height), Image.BILINEAR)
    return np.asarray(image)


def _camera(
    scene: tuple[np.ndarray, np.ndarray, Edge | None], ink: np.ndarray, colour: np.ndarray, rng
) -> Image.Image:
    """The sheet and its ink through a lens (defocus blur) onto a sensor (noise)."""
    height, width = ink.shape
    sheet, light, edge = scene
    texture = rng.normal(0, rng.uniform(0.005, 0.03), (max(1, height // 3), max(1, width // 3)))
    shade = _upscaled(light, width, height) * (1 + _upscaled(texture, width, height))
    paper = np.stack([_upscaled(sheet[..., c], width, height) for c in range(3)], axis=2)
    if edge is not None:
        x = np.arange(width, dtype=np.float32) / width - 0.5
        y = np.arange(height, dtype=np.float32)[:, None] / height - 0.5
        paper[x * math.cos(edge.turn) + y * math.sin(edge.turn) > edge.offset] = edge.colour
    covered = ink[..., None]
    seen = (paper * (1 - covered) + colour * covered) * shade[..., None]
    image = Image.fromarray(np.clip(seen, 0, 255).astype(np.uint8))
    blur = rng.uniform(0.4, 1.5) * max(1.0, height / 1200)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    noise = rng.standard_normal((height, width, 3), np.float32) * rng.uniform(1, 6)
    return Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype(np.uint8))


# EXIF orientation -> how a phone turned the upright picture to store it (the inverse of
# what ImageOps.exif_transpose does to show it).
STORED_TURNS = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


def _stored(image: Image.Image, rng: np.random.Generator, conditions: list[str]) -> bytes:
    """The file: mostly a JPEG at quality 40-90, sometimes stored sideways with an EXIF
    orientation, sometimes a PNG."""
    buffer = io.BytesIO()
    # A PNG only up to 3 megapixels (a scan, a screenshot): a phone's 12-megapixel photo as
    # a PNG is 20-35 MB, which the page refuses, as it should.
    if rng.random() < 0.1 and image.width * image.height <= 3_000_000:
        conditions.append("png")
        image.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()
    exif = Image.Exif()
    if rng.random() < 0.15:
        conditions.append("sideways")
        orientation = list(STORED_TURNS)[int(rng.integers(len(STORED_TURNS)))]
        image = image.transpose(STORED_TURNS[orientation])
        exif[0x0112] = orientation
    image.save(buffer, format="JPEG", quality=int(rng.integers(40, 91)), exif=exif)
    return buffer.getvalue()
