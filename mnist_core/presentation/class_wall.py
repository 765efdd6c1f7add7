"""The Class page's pieces that need no browser: the wall of drawings and the class's score."""

from __future__ import annotations

import base64
import hashlib
import html
import threading
import weakref
from collections import OrderedDict

import numpy as np

from mnist_core.i18n.translator import Translator, english
from mnist_core.serving.evaluation import Evaluation, evaluate
from mnist_core.serving.network import MLP
from mnist_core.storage.drawings import Collection, StoredDrawing
from mnist_core.storage.images import png

ENGLISH = english()
# Text colours at least 4.5:1 on white (WCAG AA), and never alone: a tick or a cross and
# words say the same.
RIGHT = "#1e7b34"  # green: the network read it right
WRONG = "#c2410c"  # orange: it did not (distinct from green for most colour-blind eyes too)


def score(network: MLP, collection: Collection) -> Evaluation | None:
    """The model's reading of every kept drawing, now; None when there are none."""
    if not len(collection):
        return None
    return _SCORES.get(network, collection)


class ScoreCache:
    """The last few scores. The Class page refreshes every two seconds on every projector
    that shows it; reading 2,000 drawings with a model of three networks side by side
    takes about half a second, so they are read again only when the drawings (their
    pixels and labels) or the model changed. Networks are held weakly: an old training
    snapshot is not kept alive by its score."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, bytes], tuple[weakref.ref, Evaluation]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, network: MLP, collection: Collection) -> Evaluation:
        """The network's score on the collection, read again only if not kept here."""
        digest = hashlib.sha256()
        for array in (collection.ids, collection.labels, collection.images):
            digest.update(np.ascontiguousarray(array).tobytes())
        key = (id(network), digest.digest())
        with self._lock:
            kept = self._entries.get(key)
            # An id is reused once its network is gone: the weak reference tells them apart.
            if kept is not None and kept[0]() is network:
                self._entries.move_to_end(key)
                return kept[1]
        images = collection.images.reshape(len(collection), -1).astype(np.float32) / 255.0
        evaluation = evaluate(network, images, collection.labels)
        with self._lock:
            self._entries[key] = (weakref.ref(network), evaluation)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return evaluation


_SCORES = ScoreCache()


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


def wall_html(drawings: list[StoredDrawing], tr: Translator = ENGLISH) -> str:
    """A grid of pictures that fills any width: large on a projector, two or three a row on
    a phone. Each shows the 28x28 image, its label, and what the network read."""
    cells = []
    for drawing in drawings:
        right = drawing.predicted == drawing.label
        colour = RIGHT if right else WRONG
        read = "?" if drawing.predicted is None else str(drawing.predicted)
        verdict = tr("read right") if right else tr("read as {digit}", digit=read)
        source = base64.b64encode(png(drawing.pixels)).decode()
        alt = tr("a drawing of a {digit}", digit=drawing.label)
        cells.append(
            f'<figure class="cell" style="border-color:{colour}">'
            f'<img src="data:image/png;base64,{source}" alt="{html.escape(alt)}">'
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
