"""The Streamlit server loads NumPy with one BLAS thread; training processes keep theirs."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

THREADS_AFTER = """
import os
from mnist_core.serving.blas import one_blas_thread
took = one_blas_thread()
import numpy as np
np.ones((512, 512)) @ np.ones((512, 512))  # OpenBLAS has started its threads by now
print(took, len(os.listdir("/proc/self/task")), os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def test_numpy_gets_one_blas_thread_and_the_environment_stays_as_it_was():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", THREADS_AFTER], cwd=ROOT, env=env, capture_output=True, text=True
    )
    # One thread in all (no OpenBLAS helpers), and processes started later, such as the
    # training process, inherit no thread limit.
    assert done.stdout.split() == ["True", "1", "None"], done.stderr[-2000:]


def test_an_operators_own_setting_is_kept():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}
    done = subprocess.run(
        [sys.executable, "-c", THREADS_AFTER], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split()[::2] == ["False", "2"], done.stderr[-2000:]
