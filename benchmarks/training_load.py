"""Drive the Train page from Chromium: start a run, watch it, stop it.

Used by benchmarks/load.py --train (a classroom drawing while a model trains) and by
benchmarks/app_training_speed.py (training speed inside the running app).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator

from benchmarks.app_server import CHROMIUM, CHROMIUM_ARGS

STATUS = ".st-key-train-status"


@contextlib.contextmanager
def train_page(url: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{url}/train")
        page.get_by_role("button", name="Start training").wait_for()
        yield page
        browser.close()


def start_run(page, preset_title: str) -> None:
    page.get_by_role("combobox").first.click()
    page.get_by_role("option", name=preset_title).click()
    page.get_by_role("button", name="Start training").click()
    page.locator(STATUS).get_by_text(re.compile("running: epoch")).wait_for(timeout=120_000)


@contextlib.contextmanager
def keep_training(url: str, preset_title: str = "Best for drawn digits") -> Iterator:
    """A long run trains in the app for as long as the block lasts, then is stopped; the
    block gets the Train page, to read the run's progress (`step_now`)."""
    with train_page(url) as page:
        start_run(page, preset_title)
        yield page
        page.get_by_role("button", name="Stop").click()
        page.locator(STATUS).get_by_text(re.compile("stopped")).wait_for()


def step_now(page) -> tuple[int, float]:
    """The run's step as the Train page shows it (it refreshes itself), and when it was read;
    two readings give the images a second between them: the training's own rate over a
    stretch of time, not its average since it started."""
    text = page.locator(STATUS).inner_text()
    found = re.search(r"step ([\d,]+) of", text)
    return (int(found.group(1).replace(",", "")) if found else 0), time.monotonic()


def steps_per_second(first: tuple[int, float], second: tuple[int, float]) -> float:
    return (second[0] - first[0]) / max(second[1] - first[1], 1e-9)


def images_per_second(page) -> float:
    """The run's own figure (training time only), as the page shows it."""
    page.locator(STATUS).get_by_text(re.compile("images a second")).wait_for()
    text = page.locator(STATUS).inner_text()
    return float(re.search(r"([\d,]+) images a second", text).group(1).replace(",", ""))
