"""The largest websocket message a real browser sends the app: a canvas drawing.

The canvas sends its whole drawing after each stroke, as JSON: every stroke's path and a PNG
data URL of the canvas. The largest comes from the largest canvas (the projector's, shown
1.9 times larger) and the busiest drawing. This draws ever more zigzag strokes across the
whole canvas, on each screen of benchmarks/touch.py, and prints the largest frame sent:

    flock /tmp/heavy.lock .venv/bin/python -m benchmarks.message_size

`server.maxMessageSize` in .streamlit/config.toml is set well above it.
"""

from __future__ import annotations

import json
import os
import random

from benchmarks.app_server import CHROMIUM, CHROMIUM_ARGS, running_app
from benchmarks.touch import CANVAS, context_options
from tests.conftest import SMALL_MNIST, draw

STROKES = 12  # each a zigzag of 60 points over the whole canvas, in random grey widths


def scribble(rng: random.Random) -> list[list[tuple[float, float]]]:
    return [[(rng.uniform(5, 275), rng.uniform(5, 275)) for _ in range(60)] for _ in range(STROKES)]


def largest_frame(browser, url: str, screen: str) -> int:
    context = browser.new_context(**context_options(screen))
    sizes: list[int] = []
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framesent", lambda f: sizes.append(len(f))))
        page.set_default_timeout(60_000)
        page.goto(url)
        page.locator(CANVAS).wait_for()
        draw(page, scribble(random.Random(screen)), CANVAS)
        page.wait_for_timeout(3000)  # the last stroke's message goes out after mouse-up
    finally:
        context.close()
    return max(sizes)


def main() -> None:
    from playwright.sync_api import sync_playwright

    env = {"MNIST_PATH": str(SMALL_MNIST), "DIGITLAB_DATA_DIR": os.environ.get("TMPDIR", "/tmp")}
    figures = {}
    with running_app(env) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for screen in ("projector-1920x1080", "laptop-1400x1000", "phone-390x844"):
            figures[screen] = largest_frame(browser, url, screen)
        browser.close()
    print(json.dumps({"largest_frame_bytes": figures}))


if __name__ == "__main__":
    main()
