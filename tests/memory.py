"""Peak memory of a process (Linux /proc), for tests that bound what one input may cost."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

MB = 2**20


def _status_kib(pid: int | str, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1))


@contextlib.contextmanager
def peak_growth(pid: int | str = "self") -> Iterator[Callable[[], int]]:
    """Yields a function giving how far the process's resident memory peaked above its
    level on entry, in bytes. Writing 5 to clear_refs restarts the peak (VmHWM) from now."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    before = _status_kib(pid, "VmRSS")
    yield lambda: (_status_kib(pid, "VmHWM") - before) * 1024
