"""A photo as a visitor sends it (camera or upload): bounded, checked, decoded small.

A photo arrives as bytes that anyone could have made. It is read only if its first bytes
say PNG or JPEG (the name a browser gives means nothing), it is at most MAX_PHOTO_BYTES,
and its header states at most MAX_IMAGE_PIXELS (checked before any pixel is decoded: a
small PNG can state 13000x13000). A JPEG is decoded at a reduced scale straight away
(Pillow's draft mode), which is most of the speed of reading a 12-megapixel photo. Phones
store photos sideways with an EXIF orientation; it is applied. Every refusal is a
PhotoError whose message is one sentence a visitor can read.
"""

from __future__ import annotations

import io
import struct

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from mnist_core.i18n import Number, msg

from .drawings import MAX_IMAGE_PIXELS, PNG_SIGNATURE

# Streamlit's own limit on an upload is server.maxUploadSize (200 MB unless set); a phone's
# 12-megapixel JPEG is 2-6 MB.
MAX_PHOTO_MB = 10
MAX_PHOTO_BYTES = MAX_PHOTO_MB * 1024 * 1024
JPEG_SIGNATURE = b"\xff\xd8\xff"
# Pillow raises these for files that are damaged in one way or another (struct.error from
# a broken EXIF block, EOFError and SyntaxError from broken chunks).
DAMAGED = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError, KeyError)


class PhotoError(ValueError):
    """A photo that is not read; its message (a Message) says why, in one sentence."""


def decode_photo(data: object, longest: int) -> np.ndarray:
    """The photo as float32 greys in [0, 1] (paper bright), upright, its longer side at
    most `longest` pixels. Raises PhotoError for anything that is not a readable photo."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PhotoError(msg("The photo did not arrive as a file, so it was not read."))
    data = bytes(data)
    if not data:
        raise PhotoError(msg("The photo arrived empty, so it was not read."))
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(
            msg(
                "The photo is larger than {limit} MB, so it was not read: send a smaller one.",
                limit=Number(MAX_PHOTO_MB),
            )
        )
    if not data.startswith((PNG_SIGNATURE, JPEG_SIGNATURE)):
        raise PhotoError(msg("Only PNG and JPEG photos can be read, and this is neither."))
    try:
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG"]) as image:
            return _greys(image, longest)
    except PhotoError:
        raise
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        raise PhotoError(_too_many_pixels()) from None
    except UnidentifiedImageError:
        raise PhotoError(
            msg("Only PNG and JPEG photos can be read, and this is neither.")
        ) from None
    except DAMAGED:
        raise PhotoError(
            msg("The photo is damaged or incomplete, so it was not read: take it again.")
        ) from None


def _greys(image: Image.Image, longest: int) -> np.ndarray:
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise PhotoError(_too_many_pixels(width, height))
    if getattr(image, "is_animated", False) and image.format == "PNG":
        raise PhotoError(msg("The photo is an animation; send a single still photo."))
    # A phone's MPO holds the photo first, then previews or depth maps: the first is read.
    factor = max(width, height) / longest
    if factor > 1 and image.format != "PNG":
        image.draft("L", (max(1, int(width / factor)), max(1, int(height / factor))))
    image = ImageOps.exif_transpose(image)
    grey = _on_white(image)
    grey.thumbnail((longest, longest), Image.Resampling.BOX)
    return np.asarray(grey, np.float32) / 255.0


def _on_white(image: Image.Image) -> Image.Image:
    """Greys of any mode: transparent parts are paper, 16-bit greys are scaled, not clipped
    (Pillow's own conversion clips them at 255)."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, np.float64)
        top = 65535.0 if image.mode != "F" else max(float(values.max()), 1.0)
        scaled = np.clip(values / top * 255.0, 0, 255).round().astype(np.uint8)
        return Image.fromarray(scaled)
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    return image.convert("L")


def _too_many_pixels(width: int | None = None, height: int | None = None) -> object:
    limit = Number(MAX_IMAGE_PIXELS // 1_000_000)
    if width is None or height is None:
        return msg(
            "The photo has far too many pixels; Digit Lab reads photos of up to {limit} "
            "million pixels.",
            limit=limit,
        )
    return msg(
        "The photo has {width}x{height} pixels; Digit Lab reads photos of up to {limit} "
        "million pixels.",
        width=Number(width),
        height=Number(height),
        limit=limit,
    )
