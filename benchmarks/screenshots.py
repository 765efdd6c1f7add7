"""Screenshots of the Draw page on phones, tablets, a laptop and a projector, to look at.

Usage: python -m benchmarks.screenshots [--out test-artifacts/screens]

On each screen of benchmarks.touch.SCREENS it draws a 4 (with a finger where the screen is
a touch screen), waits for the answer, and saves what is in view without scrolling
(`NAME.png`) and the whole page (`NAME-full.png`). It prints where the canvas and the answer
sit, and whether both are in view. On the laptop it opens "Inside the network" too
(`inside-NAME.png`). On a phone, a laptop and the projector it also saves the
Train and Class pages whole (`train-NAME.png`, `class-NAME.png`), and at the end the Train
page after its default preset has run (set MNIST_PATH; it trains on a throwaway data folder).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.app_server import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app
from benchmarks.digits import DIGITS
from benchmarks.touch import CANVAS, SCREENS, context_options, touch_draw
from tests.conftest import draw

ANSWERED = """() => { const b = document.querySelector('.st-key-prediction');
    return b && /(^|\\D)\\d(\\D|$)/.test(b.innerText) && !b.innerText.includes('Draw a digit'); }"""
# Shot whole, as a first visitor sees them, once what each page draws last is there.
OTHER_PAGES = {"train": "Start training", "class": "labelled drawings"}
OTHER_PAGE_SCREENS = ("phone-390x844", "laptop-1400x1000", "projector-1920x1080")

IDLE = """() => !document.querySelector('[data-testid=stStatusWidget], [data-testid=stSkeleton]')"""
INSIDE_SCREEN = "laptop-1400x1000"  # where "Inside the network" is opened and shot whole


def look_inside(page) -> None:
    """Open "Inside the network" and wait for its last pictures."""
    page.get_by_text("Inside the network").click()
    page.get_by_text("fire most for your drawing").wait_for(timeout=30_000)
    page.locator(".st-key-inside [data-testid=stImage]").last.wait_for(timeout=30_000)
    page.wait_for_function(IDLE, timeout=30_000)


def in_view(box: dict, width: int, height: int) -> bool:
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and (box["y"] + box["height"] <= height)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "screens")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    data = tempfile.TemporaryDirectory()  # the run it trains stays out of the app's own data
    env = {"DIGITLAB_DATA_DIR": data.name, "DIGITLAB_MODELS_DIR": data.name}
    with data, running_app(env) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for name, (width, height, touch) in SCREENS.items():
            context = browser.new_context(**context_options(name))
            page = context.new_page()
            page.goto(url)
            page.locator(CANVAS).wait_for(timeout=30_000)
            (touch_draw if touch else draw)(page, DIGITS[4])
            page.wait_for_function(ANSWERED, timeout=30_000)
            page.screenshot(path=args.out / f"{name}.png")
            page.screenshot(path=args.out / f"{name}-full.png", full_page=True)
            canvas = page.locator(CANVAS).bounding_box()
            answer = page.locator(".st-key-prediction").bounding_box()
            print(
                f"{name}: canvas at y {canvas['y']:.0f}-{canvas['y'] + canvas['height']:.0f}, "
                f"answer at y {answer['y']:.0f}-{answer['y'] + answer['height']:.0f}; "
                f"both in view: {in_view(canvas, width, height) and in_view(answer, width, height)}"
            )
            if name == INSIDE_SCREEN:
                look_inside(page)
                page.screenshot(path=args.out / f"inside-{name}.png", full_page=True)
            for other, last in OTHER_PAGES.items() if name in OTHER_PAGE_SCREENS else ():
                page.goto(f"{url}/{other}")
                page.get_by_text(last).first.wait_for(timeout=30_000)
                page.wait_for_function(IDLE, timeout=30_000)
                page.screenshot(path=args.out / f"{other}-{name}.png", full_page=True)
            context.close()
        context = browser.new_context(**context_options("projector-1920x1080"))
        page = context.new_page()
        page.goto(f"{url}/train")
        page.get_by_role("button", name="Start training").click()
        page.get_by_text("Test accuracy").first.wait_for(timeout=600_000)
        page.wait_for_function(IDLE, timeout=30_000)
        page.screenshot(path=args.out / "train-finished-projector-1920x1080.png", full_page=True)
        context.close()
        browser.close()


if __name__ == "__main__":
    main()
