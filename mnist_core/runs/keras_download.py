"""A model as a Keras `.keras` file, made outside the server process.

Making a Keras file needs TensorFlow, which the Streamlit server must never import (see the
README), so the conversion runs as `python -m mnist_core export` in a child process, in a
temporary folder, with a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from mnist_core.i18n import Number, msg

ROOT = Path(__file__).resolve().parents[2]  # where `python -m mnist_core` finds the package
TIMEOUT_SECONDS = 120.0  # TensorFlow's start-up is most of it: a few seconds on two cores
NICENESS = 10  # below the pages' answers, as training is
_one_at_a_time = threading.Lock()  # each conversion loads TensorFlow: never several at once


class KerasDownloadError(RuntimeError):
    """The Keras file could not be made; the message says why."""


def keras_file_bytes(model_file: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The `.keras` file of the model whose `.npz` bytes are `model_file`.

    One conversion at a time in the server, at low priority: a class pressing the button
    together waits in turn instead of starting one TensorFlow each."""
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="digitlab-keras-") as folder:
        source, target = Path(folder) / "model.npz", Path(folder) / "model.keras"
        source.write_bytes(model_file)
        command = [sys.executable, "-m", "mnist_core", "export", str(source), "--to", str(target)]
        if shutil.which("nice"):  # the child starts at a lower priority
            command = ["nice", "-n", str(NICENESS), *command]
        try:
            subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True
            )
        except subprocess.TimeoutExpired:
            raise KerasDownloadError(
                msg("making the Keras file took over {seconds} s", seconds=Number(timeout))
            ) from None
        except subprocess.CalledProcessError as exc:
            lines = exc.stderr.strip().splitlines()
            reason = lines[-1] if lines else msg("no reason given")
            raise KerasDownloadError(
                msg("the Keras file could not be made: {reason}", reason=reason)
            ) from None
        return target.read_bytes()
