"""Model files: one .npz holding the weights and a JSON metadata string, never pickle.

A file is refused with a clear message unless it is exactly what this module writes:
arrays W0, b0, W1, b1, ... that chain 784 -> ... -> 10, plus `metadata` (JSON) that agrees
with them. Writes go to a temporary file in the same folder and are renamed into place, so
a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from .network import MLP

FORMAT = "digit-lab-mlp"
FORMAT_VERSION = 1
SUFFIX = ".npz"
MAX_FILE_BYTES = 200 * 1024 * 1024
READ_ERRORS = (ValueError, OSError, EOFError, zipfile.BadZipFile)
BUNDLED_MODEL = Path(__file__).resolve().parents[2] / "models" / "default.npz"


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why."""


@dataclass(frozen=True)
class SavedModel:
    network: MLP
    metadata: dict


@dataclass(frozen=True)
class ModelInfo:
    """What a model picker shows, read without loading the weights."""

    path: Path
    name: str
    created: str
    test_accuracy: float | None
    layer_sizes: tuple[int, ...]


def save_model(
    path: str | os.PathLike, network: MLP, metadata: dict, overwrite: bool = False
) -> Path:
    """Write atomically; with overwrite=False an existing file is never replaced."""
    path = Path(path)
    if path.suffix != SUFFIX:
        raise ModelFileError(f"model files end in {SUFFIX}: {path.name}")
    if not overwrite and path.exists():
        raise FileExistsError(f"{path} already exists")
    data = model_bytes(network, metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the name was taken meanwhile, where rename would clobber it.
            os.link(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def model_bytes(network: MLP, metadata: dict) -> bytes:
    """The file's contents, for saving or for a download button."""
    meta = {
        **metadata,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "layers": list(network.layer_sizes),
        "output": network.output,
    }
    meta.setdefault("created", datetime.now(UTC).isoformat(timespec="seconds"))
    arrays = {f"W{i}": w for i, w in enumerate(network.weights)}
    arrays.update({f"b{i}": b for i, b in enumerate(network.biases)})
    meta["sha256"] = {key: _digest(a) for key, a in arrays.items()}
    arrays["metadata"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def load_model(path: str | os.PathLike) -> SavedModel:
    path = Path(path)
    with _open_npz(path) as npz:
        metadata = _read_metadata(npz, path)
        count = len(metadata["layers"]) - 1
        expected = {"metadata"} | {f"W{i}" for i in range(count)} | {f"b{i}" for i in range(count)}
        if set(npz.files) != expected:
            extra = sorted(set(npz.files) - expected)
            missing = sorted(expected - set(npz.files))
            raise ModelFileError(
                f"{path.name} does not match its metadata (missing: {missing or 'none'}, "
                f"unexpected: {extra or 'none'})"
            )
        try:
            weights = tuple(_float_array(npz, f"W{i}", metadata) for i in range(count))
            biases = tuple(_float_array(npz, f"b{i}", metadata) for i in range(count))
        except READ_ERRORS as exc:
            raise _refusal(path, "is damaged", exc) from None
    try:
        network = MLP(weights, biases, metadata["output"])
    except ValueError as exc:
        raise ModelFileError(f"{path.name} holds an unusable network: {exc}") from None
    if list(network.layer_sizes) != list(metadata["layers"]):
        raise ModelFileError(
            f"{path.name} says its layers are {metadata['layers']} but holds "
            f"{list(network.layer_sizes)}"
        )
    return SavedModel(network, metadata)


def read_metadata(path: str | os.PathLike) -> dict:
    """Only the JSON part: cheap enough to list a folder of models."""
    path = Path(path)
    with _open_npz(path) as npz:
        return _read_metadata(npz, path)


def list_models(folder: str | os.PathLike) -> list[ModelInfo]:
    """Usable model files in a folder, newest first; unreadable ones are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    infos = []
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            meta = read_metadata(path)
        except ModelFileError:
            continue
        infos.append(
            ModelInfo(
                path=path,
                name=str(meta.get("name") or path.stem),
                created=str(meta.get("created", "")),
                test_accuracy=meta.get("metrics", {}).get("test_accuracy"),
                layer_sizes=tuple(meta["layers"]),
            )
        )
    return sorted(infos, key=lambda m: m.created, reverse=True)


def _open_npz(path: Path):
    if not path.is_file():
        raise ModelFileError(f"no model file at {path}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ModelFileError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        return np.load(path, allow_pickle=False)
    except READ_ERRORS as exc:
        raise _refusal(path, "is not a Digit Lab model file", exc) from None


def _refusal(path: Path, problem: str, exc: Exception) -> ModelFileError:
    if "pickle" in str(exc).lower():
        return ModelFileError(
            f"{path.name} contains pickled Python objects, which Digit Lab never loads "
            "(they can run code)"
        )
    return ModelFileError(f"{path.name} {problem}: {exc}")


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _float_array(npz, key: str, metadata: dict) -> np.ndarray:
    array = npz[key]
    if array.dtype.kind != "f":
        raise ValueError(f"{key} holds {array.dtype}, not floating-point numbers")
    # The zip format only checks its CRC when a member is read to the end; numpy stops short.
    if _digest(array) != metadata["sha256"].get(key):
        raise ValueError(f"{key} does not match its checksum (the file was altered or damaged)")
    return array.astype(np.float32)


def _read_metadata(npz, path: Path) -> dict:
    if "metadata" not in npz.files:
        raise ModelFileError(f"{path.name} has no metadata: not a Digit Lab model file")
    try:
        raw = npz["metadata"]
        if raw.dtype.kind != "U" or raw.shape != ():
            raise ValueError("metadata is not a JSON string")
        meta = json.loads(raw.item())
    except READ_ERRORS as exc:
        raise _refusal(path, "has unreadable metadata", exc) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"{path.name} is not a Digit Lab model file")
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path.name} is format version {meta.get('format_version')}; "
            f"this Digit Lab reads version {FORMAT_VERSION}"
        )
    layers = meta.get("layers")
    if not (
        isinstance(layers, list) and len(layers) >= 2 and all(isinstance(n, int) for n in layers)
    ):
        raise ModelFileError(f"{path.name} has no valid layer list in its metadata")
    if not isinstance(meta.get("sha256"), dict):
        raise ModelFileError(f"{path.name} has no checksums in its metadata")
    if meta.get("output") not in ("softmax", "linear"):
        raise ModelFileError(f"{path.name} names an unknown output {meta.get('output')!r}")
    return meta
