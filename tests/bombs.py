"""Small files that unpack to gigabytes (zip members, PNGs), made in milliseconds.

Deflate packs zeros about 1000 to 1: after a full flush the compressor starts afresh, so
one compressed block of 16 MiB of zeros, repeated, is a valid stream of any length.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from pathlib import Path

import numpy as np

ZEROS = 1 << 24


def deflated_zeros(count: int, prefix: bytes = b"") -> bytes:
    """Raw deflate of `prefix` followed by `count` zero bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(bytes(ZEROS)) + packer.flush(zlib.Z_FULL_FLUSH)
    blocks, rest = divmod(count, ZEROS)
    return head + block * blocks + packer.compress(bytes(rest)) + packer.flush()


def black_png(width: int, height: int) -> bytes:
    """A valid RGBA PNG of that size, all transparent black: every filtered row is zeros."""
    raw = height * (1 + 4 * width)
    adler = ((raw % 65521) << 16) | 1  # Adler-32 of `raw` zeros
    idat = b"\x78\xda" + deflated_zeros(raw) + struct.pack(">I", adler)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND")


def npz_bomb(path: Path, arrays: dict[str, np.ndarray], key: str, dtype: str, shape) -> None:
    """Rewrite an .npz with `key` replaced by zeros of that dtype and shape, as a zip would
    store them: a few megabytes on disk, however large the array."""
    members = {}
    for name, array in arrays.items():
        if name != key:
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            data = buffer.getvalue()
            members[f"{name}.npy"] = (_deflated(data), zlib.crc32(data), len(data))
    buffer = io.BytesIO()
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    zeros = math.prod(shape) * np.dtype(dtype).itemsize
    size = len(buffer.getvalue()) + zeros
    # The CRC is left at 0: it is only checked once the member has been read to its end.
    members[f"{key}.npy"] = (deflated_zeros(zeros, buffer.getvalue()), 0, size)
    _write_zip(path, members)


def _chunk(kind: bytes, data: bytes = b"") -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _write_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> None:
    """A plain zip (no zip64): each member's compressed bytes, CRC and unpacked size."""
    body, directory = bytearray(), bytearray()
    for name, (data, crc, size) in members.items():
        encoded, offset = name.encode(), len(body)
        body += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
        )
        body += encoded + data
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
            len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += encoded
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
