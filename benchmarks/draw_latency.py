"""How fast the Draw page answers a stroke, in Chromium and on the server.

Usage: python -m benchmarks.draw_latency [--drawings 30] [--also MODEL.npz ...] [--server-only]
       python -m benchmarks.draw_latency --why [--drawings 20]

1. Browser: the time from the last mouse-up of a drawing to the prediction on the page
   (median and 95th percentile), for the Draw page and for a bare canvas-plus-bar-chart page
   (benchmarks/bare_canvas_app.py) on the same machine. The canvas itself waits 200 ms after
   a change before sending it; that wait is in both figures.
2. Server: the time to decode the canvas PNG, prepare the 28x28 image and run the network.

With --why: what "Why this answer?" costs a stroke, closed and open, side by side: the
server's work with and without the explanation, and in Chromium two tabs on one server, one
with the switch off and one with it on, drawing in turn (open, the answer counts as there
once the two pictures are).
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import time

import numpy as np
from PIL import Image

from benchmarks.app_server import CHROMIUM, CHROMIUM_ARGS, running_app
from benchmarks.digits import DIGITS, data_url, render

CANVAS = "[data-testid=stBidiComponentIsolated] canvas.upper-canvas"
DRAW_PAGE_READY = """() => { const b = document.querySelector('.st-key-prediction');
    return b && /(^|\\D)\\d(\\D|$)/.test(b.innerText) && !b.innerText.includes('Draw a digit'); }"""
WHY_READY = """() => { const b = document.querySelector('.st-key-prediction');
    const w = document.querySelector('.st-key-why');
    return b && /(^|\\D)\\d(\\D|$)/.test(b.innerText) && !b.innerText.includes('Draw a digit')
        && w && w.innerText.includes('Orange dots') && w.querySelectorAll('img').length === 2; }"""
DRAW_PAGE_BLANK = """() => { const b = document.querySelector('.st-key-prediction');
    return b && b.innerText.includes('Draw a digit') && !/\\d/.test(b.innerText); }"""
WHY_BLANK = """() => { const b = document.querySelector('.st-key-prediction');
    const w = document.querySelector('.st-key-why');
    return b && b.innerText.includes('Draw a digit') && !/\\d/.test(b.innerText)
        && w && w.innerText.includes('to see why'); }"""
BARE_PAGE_INK = """() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .some(e => /ink [1-9]/.test(e.innerText))"""
BARE_PAGE_BLANK = """() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .some(e => e.innerText.trim() === 'ink 0')"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def open_page(browser, url: str):
    """A tab on the page at laptop size, and its canvas's place on the screen."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    canvas = page.locator(CANVAS)
    canvas.wait_for(timeout=30_000)
    return page, canvas.bounding_box()


def time_drawing(page, box: dict, strokes: list, ready: str, blank: str) -> float:
    """Draw one digit with the mouse; seconds from the last mouse-up until `ready`; clear."""
    for n, stroke in enumerate(strokes):
        page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
        page.mouse.up()
        if n == len(strokes) - 1:
            began = time.perf_counter()
    page.wait_for_function(ready, timeout=30_000, polling=5)
    elapsed = time.perf_counter() - began
    page.locator(CANVAS).hover()
    page.get_by_role("button", name="Reset canvas & history").click()
    page.wait_for_function(blank, timeout=30_000)
    return elapsed


def browser_round_trips(url: str, drawings: int, ready: str, blank: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page, box = open_page(browser, url)
        times = [time_drawing(page, box, DIGITS[i % 10], ready, blank) for i in range(drawings)]
        browser.close()
    return times


def why_round_trips(url: str, drawings: int) -> tuple[list[float], list[float]]:
    """The Draw page with "Why this answer?" off and on, two tabs drawing in turn."""
    from playwright.sync_api import sync_playwright

    closed, opened = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        off, off_box = open_page(browser, url)
        on, on_box = open_page(browser, url)
        on.get_by_text("Why this answer?").click()
        on.locator(".st-key-why").wait_for(timeout=30_000)
        for i in range(drawings):
            strokes = DIGITS[i % 10]
            closed.append(time_drawing(off, off_box, strokes, DRAW_PAGE_READY, DRAW_PAGE_BLANK))
            opened.append(time_drawing(on, on_box, strokes, WHY_READY, WHY_BLANK))
        browser.close()
    return closed, opened


def server_side(model: str | None = None, repeats: int = 200, why: bool = False) -> list[float]:
    """Decode + prepare + predict, as the Draw page does for each stroke (bundled model
    unless another file is named); with `why`, "Why this answer?"'s maps too."""
    from mnist_core.serving.explain import explain
    from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
    from mnist_core.serving.reading import read_drawing

    network = load_model(model or BUNDLED_MODEL).network
    urls = [data_url(render(DIGITS[d])) for d in range(10)]
    times = []
    for i in range(repeats):
        encoded = urls[i % 10].split(",", 1)[1]
        began = time.perf_counter()
        image = np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded))))
        reading = read_drawing(network, image)
        if why:
            explain(network, reading.pixels, reading.hidden, reading.probabilities)
        times.append(time.perf_counter() - began)
    return times


def report(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{label:34s} median {statistics.median(ms):7.1f} ms   p95 {percentile(ms, 95):7.1f} ms"
        f"   ({len(ms)} samples)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=30)
    parser.add_argument(
        "--also", nargs="*", default=[], metavar="MODEL.npz", help="time the server with these too"
    )
    parser.add_argument("--server-only", action="store_true", help="leave the browser out")
    parser.add_argument(
        "--why", action="store_true", help='"Why this answer?" closed and open, side by side'
    )
    args = parser.parse_args()
    if args.why:
        for _ in range(2):  # in turn, twice: the machine's other work falls on both alike
            report("server: read a drawing", server_side())
            report("server: read it and explain it", server_side(why=True))
        if not args.server_only:
            with running_app() as url:
                closed, opened = why_round_trips(url, args.drawings)
            report('browser: "Why this answer?" off', closed)
            report('browser: "Why this answer?" on', opened)
        return
    report("server: decode + prepare + predict", server_side())
    for model in args.also:
        report(f"server, {model}", server_side(model))
    if args.server_only:
        return
    with running_app() as url:
        report(
            "browser: Draw page",
            browser_round_trips(url, args.drawings, DRAW_PAGE_READY, DRAW_PAGE_BLANK),
        )
    with running_app(script="benchmarks/bare_canvas_app.py") as url:
        report(
            "browser: bare canvas + bar chart",
            browser_round_trips(url, args.drawings, BARE_PAGE_INK, BARE_PAGE_BLANK),
        )


if __name__ == "__main__":
    main()
