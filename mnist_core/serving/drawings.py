"""Drawings from outside (the canvas's PNG, image files), bounded before they are decoded.

A PNG states its size in its first 24 bytes, and a 0.9 MB PNG can state 13000x13000 pixels:
decoding it costs gigabytes. So the canvas's image is refused unless it states exactly the
canvas's size, and an image file unless it has at most MAX_IMAGE_PIXELS, before any pixel
is decoded. Every refusal is one sentence a user can read.
"""

from __future__ import annotations

import base64
import binascii
import io
import struct

import numpy as np
from PIL import Image

PNG_DATA_URL = "data:image/png;base64,"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_IMAGE_PIXELS = 16_000_000  # a 4000x4000 photo of a drawing; about 64 MB as RGBA
DAMAGED = "The drawing arrived damaged, so it was not read."


class DrawingRefused(ValueError):
    """An image that is not read; the message says why, in one sentence."""


def canvas_pixels(data_url: object, width: int, height: int) -> np.ndarray | None:
    """The canvas's drawing as RGBA pixels, or None before anything is drawn.

    `data_url` is what the browser sent (any JSON value); only a PNG of exactly
    width x height is decoded.
    """
    if data_url is None:
        return None
    if not isinstance(data_url, str) or not data_url.startswith(PNG_DATA_URL):
        raise DrawingRefused("The drawing did not arrive as a PNG image, so it was not read.")
    encoded = data_url[len(PNG_DATA_URL) :]
    if len(encoded) > 4 * (_max_png_bytes(width, height) // 3 + 1):
        raise DrawingRefused("The drawing arrived far larger than the canvas, so it was not read.")
    try:
        size = png_size(base64.b64decode(encoded[:32], validate=True))
    except (binascii.Error, ValueError):
        raise DrawingRefused(DAMAGED) from None
    if size != (width, height):
        raise DrawingRefused(
            f"The drawing arrived as {size[0]:,}x{size[1]:,} pixels instead of the canvas's "
            f"{width}x{height}, so it was not read."
        )
    try:
        png = base64.b64decode(encoded, validate=True)
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            return np.asarray(image.convert("RGBA"))
    except (binascii.Error, OSError, ValueError, SyntaxError):
        raise DrawingRefused(DAMAGED) from None


def png_size(head: bytes) -> tuple[int, int]:
    """Width and height from a PNG's first 24 bytes (its signature and IHDR chunk)."""
    if len(head) < 24 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_pixels(name: str, width: int, height: int) -> None:
    """Refuse an image file too large to decode, from the size its header states."""
    if width * height > MAX_IMAGE_PIXELS:
        raise DrawingRefused(too_many_pixels(name, f"{width:,}x{height:,} pixels"))


def too_many_pixels(name: str, size: str = "far too many pixels") -> str:
    return (
        f"{name} has {size}; Digit Lab reads images of up to "
        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels: scale it down first"
    )


def _max_png_bytes(width: int, height: int) -> int:
    """Room for the canvas's PNG stored uncompressed at 16 bits a channel, and its chunks."""
    return height * (1 + 8 * width) + 65_536
