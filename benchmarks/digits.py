"""Hand-drawn digits as mouse strokes on a 280x280 canvas, for browser tests and load tests.

Each digit is a list of strokes; each stroke a list of (x, y) points a mouse passes through,
drawn the way a student would with a mouse: one or two quick strokes, nothing careful.
"""

from __future__ import annotations

import base64
import io
import math

from PIL import Image, ImageDraw

Stroke = list[tuple[float, float]]


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, end: float, n: int = 24
) -> Stroke:
    """Points on an ellipse from angle `start` to `end` (degrees, 0 = right, 90 = down)."""
    return [
        (
            cx + rx * math.cos(math.radians(start + (end - start) * i / n)),
            cy + ry * math.sin(math.radians(start + (end - start) * i / n)),
        )
        for i in range(n + 1)
    ]


DIGITS: dict[int, list[Stroke]] = {
    0: [_arc(140, 140, 58, 90, -90, 275, 36)],
    1: [[(125, 70), (145, 50), (145, 235)]],
    2: [[*_arc(140, 100, 52, 48, 200, 360 + 20, 18), (90, 230), (205, 230)]],
    3: [_arc(138, 95, 48, 42, 200, 450, 18) + _arc(138, 185, 55, 48, 270, 500, 20)],
    4: [[(110, 50), (88, 160), (205, 160)], [(172, 75), (172, 238)]],
    5: [[(195, 52), (105, 52), (98, 128), *_arc(140, 175, 60, 58, 215, 500, 20)]],
    6: [[(185, 45), (150, 70), (118, 110), *_arc(143, 190, 47, 45, 200, 560, 30)]],
    7: [[(80, 60), (205, 60), (125, 238)]],
    8: [_arc(140, 92, 45, 42, 90, 450, 24) + _arc(140, 185, 55, 50, -90, 270, 24)],
    9: [[*_arc(140, 100, 52, 48, 0, 370, 24), (190, 110), (180, 238)]],
}


def render(strokes: list[Stroke], size: int = 280, width: int = 20) -> Image.Image:
    """The canvas as the component sends it: white strokes on black, RGBA."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 255))
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        draw.line(stroke, fill=(255, 255, 255, 255), width=width, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            r = width / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 255))
    return image


def data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
