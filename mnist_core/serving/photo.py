"""A digit photographed on paper, read like a drawing on the canvas.

A photo is not a canvas: the paper is grey, lit unevenly, shadowed, textured, and the pen
may be a thin ballpoint line ten pixels wide in a 12-megapixel frame. So the photo is
first turned into what the canvas would have sent, white ink on black with the digit
large and its stroke as thick as the Draw page's default brush, and that image goes
through read_drawing like any drawing: the same MNIST preparation, the same blank,
several-digits and not-a-digit answers. Each step is there for a kind of photo:

- the paper's own brightness is estimated at a coarse scale (a grey closing, which keeps
  a shadow's edge and a lighting gradient but fills in anything as thin as a stroke) and
  divided out, so a shadow or a dim corner is paper, not ink;
- ink is what is clearly darker than that paper, beyond its noise (hysteresis: strong
  pixels, and the fainter ones joined to them, as a pencil line is);
- specks, paper texture and anything touching the photo's edge (the table, the sheet's
  edge, a finger) are left out;
- the stroke is thickened to the canvas's default brush, a tenth of the digit's height,
  when it is thinner; thicker marker lines are left as they are, as thick MNIST digits.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from .network import MLP
from .novelty import Detector
from .photo_file import decode_photo
from .reading import Reading, read_drawing

CANVAS = 280  # the Draw page's canvas: the rules of shape.py were chosen on it
WORK = 1024  # photos are read with their longer side at most this many pixels
# The paper is estimated on a grid this many times coarser than the working image, with a
# closing this share of the shorter side wide (wider than the thickest marker stroke).
COARSE = 8
CLOSING = 0.12
# Ink is at least this much darker than the paper (a share of its brightness), and at
# least this many times the paper's own noise; a stroke has some pixels darker still.
LOW, HIGH = 0.1, 0.22
LOW_NOISE, HIGH_NOISE = 3.0, 6.0
# Ink closer than this share of the shorter side is one piece (a pencil line's gaps).
JOIN = 0.004
# A piece with less ink than this share of the shorter side, squared, is a speck; one with
# less than SMALL_PIECE of the largest piece's ink is dust beside the digit.
SPECK = 0.01
SMALL_PIECE = 0.05
STROKE = 0.1  # the canvas's default brush (20 pixels) over a digit 200 pixels tall
FILL = 0.7  # the ink's longer side over the canvas's side
# The canvas shows at least this share of the photo's shorter side: a digit that is a
# speck in the photo stays small on the canvas, and is answered "too small" as drawn.
ZOOM = 1 / 5


def photo_drawing(data: object) -> np.ndarray:
    """The CANVAS x CANVAS ink image (float32, ink = 1 on 0) that a PNG or JPEG photo of
    paper amounts to; all zeros for blank paper. Raises PhotoError (photo_file.py) for
    anything that is not a readable photo."""
    return ink_drawing(decode_photo(data, WORK))


def read_photo_bytes(
    network: MLP, data: object, detector: Detector | None = None
) -> tuple[Reading, np.ndarray]:
    """What the network reads in a photo, as read_drawing answers a drawing, and the ink
    image it read (what a page keeps with a label, as it keeps a canvas)."""
    drawing = photo_drawing(data)
    return read_drawing(network, drawing, detector), drawing


def ink_drawing(grey: np.ndarray) -> np.ndarray:
    """A photo's greys (paper bright, floats in [0, 1]) as the canvas's ink image."""
    grey = np.asarray(grey, np.float32)
    if grey.ndim != 2 or min(grey.shape) < COARSE:
        raise ValueError(f"expected a greyscale photo, got shape {grey.shape}")
    short = min(grey.shape)
    darker = 1.0 - grey / np.maximum(paper(grey), 1 / 255)
    mask = _pieces(_ink(darker), short)
    if not mask.any():
        return np.zeros((CANVAS, CANVAS), np.float32)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    crop = _thickened(mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], height)
    return _on_canvas(crop, max(max(height, width) / FILL, ZOOM * short))


def paper(grey: np.ndarray) -> np.ndarray:
    """The paper's brightness under each pixel, ink left out: a grey closing (dark marks
    narrower than CLOSING filled in) on a coarse grid, smoothed, brought back to size."""
    height, width = grey.shape
    coarse = Image.fromarray(grey).reduce(COARSE)
    closed = ndimage.grey_closing(
        np.asarray(coarse), size=max(3, round(CLOSING * min(coarse.size))), mode="nearest"
    )
    smooth = ndimage.uniform_filter(closed, 3, mode="nearest")
    back = Image.fromarray(smooth).resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(back)


def _ink(darker: np.ndarray) -> np.ndarray:
    """Pixels clearly darker than the paper, and fainter ones joined to them."""
    noise = 1.4826 * float(np.median(np.abs(darker - np.median(darker))))
    weak = darker > max(LOW, LOW_NOISE * noise)
    strong = darker > max(HIGH, HIGH_NOISE * noise)
    labels, _ = ndimage.label(weak, structure=np.ones((3, 3)))
    keep = np.zeros(labels.max() + 1, bool)
    keep[np.unique(labels[strong])] = True
    keep[0] = False
    return keep[labels]


def _pieces(mask: np.ndarray, short: int) -> np.ndarray:
    """The ink of the pieces that may be digits: no specks, dust, or ink at the edge."""
    # Whatever touches the photo's edge (the table beyond the sheet, a finger) goes before
    # pieces are joined, so that a digit written near the sheet's edge is not joined to it.
    touching, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    edge = np.unique(np.concatenate([touching[0], touching[-1], touching[:, 0], touching[:, -1]]))
    mask = mask & ~np.isin(touching, edge[edge > 0])
    joined = ndimage.binary_dilation(mask, iterations=max(1, round(JOIN * short)))
    labels, count = ndimage.label(joined, structure=np.ones((3, 3)))
    if count == 0:
        return mask
    ink = ndimage.sum_labels(mask, labels, np.arange(1, count + 1))
    height, width = mask.shape
    inside = np.array(
        [
            rows.start > 0 and cols.start > 0 and rows.stop < height and cols.stop < width
            for rows, cols in ndimage.find_objects(labels)
        ]
    )
    big = ink >= (SPECK * short) ** 2
    largest = ink[inside & big].max(initial=0)
    keep = np.concatenate([[False], inside & big & (ink >= SMALL_PIECE * largest)])
    return mask & keep[labels]


def _thickened(mask: np.ndarray, height: int) -> np.ndarray:
    """The ink with its stroke at least STROKE of `height` wide (grown evenly all round)."""
    width = stroke_width(mask)
    grow = (STROKE * height - width) / 2
    if grow <= 0.5:
        return mask
    pad = int(np.ceil(grow)) + 1
    padded = np.pad(mask, pad)
    return ndimage.distance_transform_edt(~padded) <= grow


def stroke_width(mask: np.ndarray) -> float:
    """How wide the strokes are, in pixels: twice the distance from their middle line (the
    distance transform's ridge) to the paper, less the middle pixel counted twice."""
    distance = ndimage.distance_transform_edt(np.pad(mask, 1))
    ridge = (distance > 0) & (distance >= ndimage.maximum_filter(distance, 3))
    return max(1.0, 2 * float(np.median(distance[ridge])) - 1)


def _on_canvas(crop: np.ndarray, side: float) -> np.ndarray:
    """The crop scaled so that `side` photo pixels fill the canvas, in its middle."""
    scale = CANVAS / side
    height, width = crop.shape
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(crop.astype(np.float32)).resize(size, Image.Resampling.LANCZOS)
    patch = np.clip(np.asarray(resized), 0.0, 1.0)[:CANVAS, :CANVAS]
    canvas = np.zeros((CANVAS, CANVAS), np.float32)
    top, left = (CANVAS - patch.shape[0]) // 2, (CANVAS - patch.shape[1]) // 2
    canvas[top : top + patch.shape[0], left : left + patch.shape[1]] = patch
    return canvas
