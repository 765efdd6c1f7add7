"""How long a model takes to read one drawing and 2,000, with NumPy and one BLAS thread as
the server reads them; models side by side in one run, since timings here swing between
hours.

    python -m benchmarks.reading_speed [MODEL.npz ...] [--repeats N]
"""

from __future__ import annotations

from mnist_core.serving.blas import one_blas_thread

one_blas_thread()  # before NumPy loads, as the server does

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from mnist_core.serving.model_files import BUNDLED_MODEL, load_model  # noqa: E402


def median_ms(read, images: np.ndarray, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        read(images)
        times.append(time.perf_counter() - began)
    return 1000 * float(np.median(times))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", default=[str(BUNDLED_MODEL)])
    parser.add_argument("--repeats", type=int, default=500)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    one, many = rng.random((1, 784), np.float32), rng.random((2000, 784), np.float32)
    print("| model | file | one drawing (median) | 2,000 drawings (median) |")
    print("| --- | --- | --- | --- |")
    for path in args.models:
        network = load_model(path).network
        single = median_ms(network.predict_proba, one, args.repeats)
        batch = median_ms(network.predict_proba, many, max(3, args.repeats // 50))
        size = Path(path).stat().st_size / 1e6
        print(f"| {Path(path).name} | {size:.1f} MB | {single:.3f} ms | {batch:.0f} ms |")


if __name__ == "__main__":
    main()
