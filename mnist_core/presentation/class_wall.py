"""The Class page's pieces that need no browser: the wall of drawings and the class's score."""

from __future__ import annotations

import base64
import html

import numpy as np

from mnist_core.serving.evaluation import Evaluation, evaluate
from mnist_core.serving.network import MLP
from mnist_core.storage.drawings import Collection, StoredDrawing
from mnist_core.storage.images import png

RIGHT = "#2f9e44"  # green: the network read it right
WRONG = "#e8590c"  # orange: it did not (distinct from green for most colour-blind eyes too)


def score(network: MLP, collection: Collection) -> Evaluation | None:
    """The model's reading of every kept drawing, now; None when there are none."""
    if not len(collection):
        return None
    images = collection.images.reshape(len(collection), -1).astype(np.float32) / 255.0
    return evaluate(network, images, collection.labels)


def per_digit_rows(evaluation: Evaluation | None) -> list[dict]:
    """One row a digit: how many the class drew, and how many of those the model reads."""
    rows = []
    for digit in range(10):
        count = int(evaluation.confusion[digit].sum()) if evaluation else 0
        right = int(evaluation.confusion[digit, digit]) if evaluation else 0
        rows.append(
            {"digit": str(digit), "drawings": count, "read right": right / count if count else None}
        )
    return rows


def wall_html(drawings: list[StoredDrawing]) -> str:
    """A grid of pictures that fills any width: large on a projector, two or three a row on
    a phone. Each shows the 28x28 image, its label, and what the network read."""
    cells = []
    for drawing in drawings:
        right = drawing.predicted == drawing.label
        colour = RIGHT if right else WRONG
        read = "?" if drawing.predicted is None else str(drawing.predicted)
        verdict = "read right" if right else f"read as {read}"
        source = base64.b64encode(png(drawing.pixels)).decode()
        cells.append(
            f'<figure class="cell" style="border-color:{colour}">'
            f'<img src="data:image/png;base64,{source}" alt="a {drawing.label}">'
            f"<figcaption><b>{drawing.label}</b>"
            f'<span style="color:{colour}">'
            f"{'&#10003;' if right else '&#10007;'} {html.escape(verdict)}</span></figcaption>"
            "</figure>"
        )
    return (
        "<style>"
        ".wall{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:12px}"
        ".wall .cell{margin:0;border:5px solid;border-radius:10px;background:#000;"
        "overflow:hidden;text-align:center}"
        ".wall img{width:100%;image-rendering:pixelated;display:block}"
        ".wall figcaption{background:#fff;color:#111;padding:2px 0 6px}"
        ".wall figcaption b{display:block;font-size:34px;line-height:1.2}"
        ".wall figcaption span{display:block;font-size:17px;font-weight:600;white-space:nowrap}"
        "</style>"
        f'<div class="wall">{"".join(cells)}</div>'
    )
