"""One BLAS thread for the Streamlit server, set before NumPy loads.

Every stroke runs a few small matrix products. OpenBLAS spreads each over all cores and its
helper threads then spin, waiting for the next one: on a laptop serving a class that was
more than half the server's CPU (heat, battery, and CPU taken from a run that trains). One
thread answers as fast. OpenBLAS reads OPENBLAS_NUM_THREADS once, when NumPy first loads it,
so the variable is set for that moment only and then put back: training processes, which
the server starts later, inherit the environment as it was and keep their threads.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "OPENBLAS_NUM_THREADS"


def one_blas_thread() -> bool:
    """Load NumPy with one BLAS thread; False when it cannot be (NumPy is loaded already,
    as in tests) or should not be (the operator set OPENBLAS_NUM_THREADS themselves)."""
    if "numpy" in sys.modules or VARIABLE in os.environ:
        return False
    os.environ[VARIABLE] = "1"
    try:
        import numpy  # noqa: F401  (OpenBLAS reads the variable now, once)
    finally:
        del os.environ[VARIABLE]
    return True
