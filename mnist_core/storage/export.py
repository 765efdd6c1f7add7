"""The class's digits as files other tools read: MNIST's .npz layout, and a zip of PNGs."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .drawings import ClassDrawings, Collection
from .images import png

FORMATS = (".npz", ".zip")


class ExportError(ValueError):
    """The export cannot be written where asked; the message says why."""


def npz_bytes(collection: Collection) -> bytes:
    """x (N, 28, 28) uint8 and y (N,) uint8, as Keras's mnist.npz holds its images."""
    out = io.BytesIO()
    np.savez_compressed(out, x=collection.images, y=collection.labels)
    return out.getvalue()


def zip_bytes(collection: Collection, originals: list[tuple[int, int, bytes]]) -> bytes:
    """digits/<label>/<id>.png (the 28x28 images, one folder per digit, as image loaders
    expect) and originals/<label>/<id>.png (the small copies of the drawings)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for drawing_id, label, image in zip(collection.ids, collection.labels, collection.images):
            archive.writestr(f"digits/{label}/{drawing_id:06d}.png", png(image))
        for drawing_id, label, original in originals:
            archive.writestr(f"originals/{label}/{drawing_id:06d}.png", original)
    return out.getvalue()


def export(store: ClassDrawings, path: Path, force: bool = False) -> int:
    """Write the class's digits to `path` (.npz or .zip) atomically; returns how many."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"export to a .npz or a .zip file, not {path.name!r}")
    if path.exists() and not force:
        raise ExportError(f"{path} already exists: choose another name or add --force")
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    collection = store.collection()
    data = npz_bytes(collection) if suffix == ".npz" else zip_bytes(collection, store.originals())
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"{path} could not be written: {exc.strerror or exc}") from None
    return len(collection)
