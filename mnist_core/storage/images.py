"""Small PNG images of the class's drawings, for keeping and exporting."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

THUMBNAIL = 56  # pixels a side of the small copy kept of each drawing


def png(image: np.ndarray) -> bytes:
    """A greyscale uint8 image as PNG bytes."""
    out = io.BytesIO()
    Image.fromarray(np.asarray(image, np.uint8), mode="L").save(out, format="PNG", optimize=True)
    return out.getvalue()


def thumbnail(ink: np.ndarray) -> bytes:
    """A small PNG copy of a drawing (ink = 1.0 on 0.0 paper), white ink on black as MNIST."""
    grey = Image.fromarray((np.clip(ink, 0.0, 1.0) * 255).astype(np.uint8), mode="L")
    return png(np.asarray(grey.resize((THUMBNAIL, THUMBNAIL), Image.Resampling.BOX)))
