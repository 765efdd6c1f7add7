"""Model files: one .npz holding the weights and a JSON metadata string, never pickle.

A file is refused with a clear message unless it is exactly what this module writes:
arrays W0, b0, W1, b1, ... that chain 784 -> ... -> 10, plus `metadata` (JSON) that agrees
with them. Nothing is decompressed before it is known to be small enough: a 3 MB file can
hold gigabytes of zeros, so each array's .npy header is read first and its shape and type
checked against the metadata (whose network size is bounded) before its data is read.
Writes go to a temporary file in the same folder and are renamed into place, so a crash
leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from mnist_core.config import (
    INPUT_SIZE,
    MAX_HIDDEN_LAYERS,
    MAX_PARAMETERS,
    NUM_CLASSES,
    parameter_count,
)
from mnist_core.i18n import Message, Number, msg

from .network import MLP

FORMAT = "digit-lab-mlp"
FORMAT_VERSION = 1
SUFFIX = ".npz"
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_METADATA_BYTES = 16 * 1024 * 1024  # as stored: numpy keeps 4 bytes per character
READ_ERRORS = (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile)
BUNDLED_MODEL = Path(__file__).resolve().parents[2] / "models" / "default.npz"


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why."""


@dataclass(frozen=True)
class SavedModel:
    network: MLP
    metadata: dict


def save_model(
    path: str | os.PathLike, network: MLP, metadata: dict, overwrite: bool = False
) -> Path:
    """Write atomically; with overwrite=False an existing file is never replaced."""
    path = Path(path)
    if path.suffix != SUFFIX:
        raise ModelFileError(
            msg("model files end in {suffix}: {file}", suffix=SUFFIX, file=path.name)
        )
    if not overwrite and path.exists():
        raise FileExistsError(msg("{path} already exists", path=str(path)))
    data = model_bytes(network, metadata)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, overwrite)
    return path


def write_atomically(path: Path, data: bytes, overwrite: bool = True) -> None:
    """A crash leaves the old file or the new one, never half of one; with overwrite=False
    an existing file is never replaced."""
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
    (np.savez_compressed if _many_zeros(network) else np.savez)(buffer, **arrays)
    return buffer.getvalue()


def _many_zeros(network: MLP) -> bool:
    """An averaged network's block-diagonal layers are mostly zeros, which zip stores in a
    few bytes; trained weights are hardly ever exactly zero, hardly compress (7%) and take
    25 times longer to save compressed."""
    zeros = sum(int(np.count_nonzero(w == 0)) for w in network.weights)
    return zeros > 0.1 * sum(w.size for w in network.weights)


def load_model(path: str | os.PathLike) -> SavedModel:
    path = Path(path)
    with _open_npz(path) as npz:
        metadata = _read_metadata(npz, path)
        layers = metadata["layers"]
        count = len(layers) - 1
        expected = {"metadata"} | {f"W{i}" for i in range(count)} | {f"b{i}" for i in range(count)}
        if set(npz.files) != expected:
            extra = sorted(set(npz.files) - expected)
            missing = sorted(expected - set(npz.files))
            raise ModelFileError(
                msg(
                    # Translators: {missing} and {unexpected} list the names of arrays in
                    # the file (W0, b1), or say none.
                    "{file} does not match its metadata (missing: {missing}, unexpected: "
                    "{unexpected})",
                    file=path.name,
                    missing=str(missing) if missing else msg("none"),
                    unexpected=str(extra) if extra else msg("none"),
                )
            )
        try:
            weights = tuple(
                _float_array(npz, f"W{i}", (layers[i], layers[i + 1]), metadata)
                for i in range(count)
            )
            biases = tuple(
                _float_array(npz, f"b{i}", (layers[i + 1],), metadata) for i in range(count)
            )
        except READ_ERRORS as exc:
            raise _refusal(path, exc, msg("{file} is damaged: {reason}")) from None
    try:
        network = MLP(weights, biases, metadata["output"])
    except ValueError as exc:
        raise ModelFileError(
            msg("{file} holds an unusable network: {reason}", file=path.name, reason=exc)
        ) from None
    return SavedModel(network, metadata)


def read_metadata(path: str | os.PathLike) -> dict:
    """Only the JSON part: cheap enough to list a folder of models."""
    path = Path(path)
    with _open_npz(path) as npz:
        return _read_metadata(npz, path)


def _open_npz(path: Path):
    if not path.is_file():
        raise ModelFileError(msg("no model file at {path}", path=str(path)))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ModelFileError(
            msg(
                "{file} is larger than {size} MiB",
                file=path.name,
                size=Number(MAX_FILE_BYTES // 2**20),
            )
        )
    try:
        with path.open("rb") as f:
            start = f.read(2)
        # A zip archive, or a pickle (b"\x80"), which np.load names as such; numpy would take
        # anything else for a pickle too, or for a single .npy array.
        if start != b"PK" and start[:1] != b"\x80":
            raise ValueError(msg("it is not a zip archive"))
        return np.load(path, allow_pickle=False)
    except READ_ERRORS as exc:
        raise _refusal(path, exc, msg("{file} is not a Digit Lab model file: {reason}")) from None


def _refusal(path: Path, exc: Exception, problem: Message) -> ModelFileError:
    """`problem`: the sentence with {file} and {reason} (what `exc` says) to fill in."""
    if "pickle" in str(exc).lower():
        return ModelFileError(
            msg(
                "{file} contains pickled Python objects, which Digit Lab never loads (they "
                "can run code)",
                file=path.name,
            )
        )
    return ModelFileError(Message(problem.text, {"file": path.name, "reason": exc}))


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _float_array(npz, key: str, shape: tuple[int, ...], metadata: dict) -> np.ndarray:
    def check(found_dtype: np.dtype, found_shape: tuple[int, ...]) -> None:
        if found_dtype.kind != "f" or found_dtype.itemsize > 8:
            raise ValueError(
                msg(
                    "{key} holds {kind}, not floating-point numbers",
                    key=key,
                    kind=str(found_dtype),
                )
            )
        if found_shape != shape:
            said = (
                msg("layer {layer} weights have shape {found}, but its metadata says {shape}")
                if key[0] == "W"
                else msg("layer {layer} biases have shape {found}, but its metadata says {shape}")
            )
            raise ValueError(
                Message(
                    said.text,
                    {"layer": key[1:], "found": str(found_shape), "shape": str(shape)},
                )
            )

    array = _read_member(npz, key, check)
    # The zip format only checks its CRC when a member is read to the end; numpy stops short.
    if _digest(array) != metadata["sha256"].get(key):
        raise ValueError(
            msg("{key} does not match its checksum (the file was altered or damaged)", key=key)
        )
    return array.astype(np.float32)


def _read_member(npz, key: str, check: Callable[[np.dtype, tuple[int, ...]], None]) -> np.ndarray:
    """One array, its .npy header read and checked before any of its data is decompressed."""
    with npz.zip.open(f"{key}.npy") as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise ValueError(
                msg(
                    "{key} is stored in .npy format {version}, which is not read here",
                    key=key,
                    version=str(version),
                )
            )
        if dtype.hasobject:
            raise ValueError(msg("{key} holds pickled objects", key=key))
        check(dtype, shape)
        size = math.prod(shape) * dtype.itemsize
        data = member.read(size)
    if len(data) != size:
        raise ValueError(msg("{key} is cut short", key=key))
    return np.frombuffer(data, dtype).reshape(shape, order="F" if fortran else "C")


def _check_metadata_member(dtype: np.dtype, shape: tuple[int, ...]) -> None:
    if dtype.kind != "U" or shape != ():
        raise ValueError(msg("metadata is not a JSON string"))
    if dtype.itemsize > MAX_METADATA_BYTES:
        raise ValueError(
            msg("metadata is larger than {size} MiB", size=Number(MAX_METADATA_BYTES // 2**20))
        )


def _read_metadata(npz, path: Path) -> dict:
    if "metadata" not in npz.files:
        raise ModelFileError(
            msg("{file} has no metadata: not a Digit Lab model file", file=path.name)
        )
    try:
        meta = json.loads(_read_member(npz, "metadata", _check_metadata_member).item())
    except READ_ERRORS as exc:
        raise _refusal(path, exc, msg("{file} has unreadable metadata: {reason}")) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(msg("{file} is not a Digit Lab model file", file=path.name))
    if meta.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            msg(
                "{file} is format version {found}; this Digit Lab reads version {version}",
                file=path.name,
                found=str(meta.get("format_version")),
                version=FORMAT_VERSION,
            )
        )
    _check_layers(meta.get("layers"), path)
    if not isinstance(meta.get("sha256"), dict):
        raise ModelFileError(msg("{file} has no checksums in its metadata", file=path.name))
    if meta.get("output") not in ("softmax", "linear"):
        raise ModelFileError(
            msg(
                "{file} names an unknown output {output}",
                file=path.name,
                output=repr(meta.get("output")),
            )
        )
    return meta


def _check_layers(layers: object, path: Path) -> None:
    """784 in, 10 out, and no more weights than training may make: this bounds every array."""
    if not (
        isinstance(layers, list)
        and 2 <= len(layers) <= MAX_HIDDEN_LAYERS + 2
        and all(type(n) is int and n >= 1 for n in layers)
        and layers[0] == INPUT_SIZE
        and layers[-1] == NUM_CLASSES
    ):
        raise ModelFileError(msg("{file} has no valid layer list in its metadata", file=path.name))
    weights = parameter_count(layers)
    if weights > MAX_PARAMETERS:
        raise ModelFileError(
            msg(
                "{file} says it holds {count} weights; Digit Lab reads networks of up to {most}",
                file=path.name,
                count=Number(weights),
                most=Number(MAX_PARAMETERS),
            )
        )
