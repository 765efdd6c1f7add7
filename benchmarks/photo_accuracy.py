"""How well the Draw page reads a digit written on paper and photographed.

    python -m benchmarks.photo_accuracy                  # 600 photos, seed 0, every size
    python -m benchmarks.photo_accuracy --count 200 --seed 1

The photos are benchmarks/paper.py's: the held-out hands of benchmarks/handwriting.py
written with a ballpoint, a marker or a pencil on lit, shadowed, textured, tilted paper,
blurred, noisy and JPEG-compressed, 640x480 to 4000x3000 pixels. Each goes through the
page's own path (mnist_core.serving.photo: decode, find the ink, read_drawing). Printed:
the share read right (the goal is 95%), by pen and by condition, the honest answers for
blank sheets, several digits and shapes that are no digit, and the time per photo.
"""

from __future__ import annotations

import argparse
import collections
import time

from benchmarks.paper import BLANK, DIGIT, SEVERAL, SHAPE, photos
from mnist_core.serving import reading as rd
from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
from mnist_core.serving.photo import read_photo_bytes
from mnist_core.serving.photo_file import PhotoError


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600, help="photos of single digits")
    parser.add_argument("--others", type=int, default=100, help="of each other kind")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    network = load_model(BUNDLED_MODEL).network
    right, seen = collections.Counter(), collections.Counter()
    seconds = []
    for shot in photos(args.count, args.seed, (DIGIT,)):
        began = time.perf_counter()
        try:
            reading, _ = read_photo_bytes(network, shot.data)
        except PhotoError:  # refused (too big, say): counted as not read right
            reading = rd.Reading(rd.BLANK, None, None)
        seconds.append(time.perf_counter() - began)
        ok = reading.digit == shot.digit and reading.verdict in (rd.CONFIDENT, rd.UNSURE)
        for group in ("all", f"pen {shot.pen}", *(f"with {c}" for c in shot.conditions)):
            seen[group] += 1
            right[group] += ok
    for group in sorted(seen, key=lambda g: (g != "all", g)):
        print(f"{group:18s} {right[group] / seen[group]:7.2%} of {seen[group]:4d} read right")
    seconds.sort()
    print(
        f"time per photo: median {seconds[len(seconds) // 2] * 1000:.0f} ms, slowest "
        f"{seconds[-1] * 1000:.0f} ms"
    )
    for kind, wanted in (
        (BLANK, (rd.BLANK,)),
        (SEVERAL, (rd.NOT_A_DIGIT,)),
        (SHAPE, (rd.NOT_A_DIGIT,)),
    ):
        answers = collections.Counter(
            read_photo_bytes(network, shot.data)[0].verdict
            for shot in photos(args.others, args.seed + 1, (kind,))
        )
        honest = sum(answers[w] for w in wanted) / args.others
        print(f"{kind:18s} {honest:7.2%} answered honestly ({dict(answers)})")


if __name__ == "__main__":
    main()
