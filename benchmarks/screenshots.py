"""Screenshots of the Draw page on phones, tablets, a laptop and a projector, to look at.

Usage: python -m benchmarks.screenshots [--out test-artifacts/screens]
       python -m benchmarks.screenshots --readme   # the README's two pictures, into docs/
       python -m benchmarks.screenshots --why      # "Why this answer?" on a phone, a projector

On each screen of benchmarks.touch.SCREENS it draws a 4 (with a finger where the screen is
a touch screen), waits for the answer, and saves what is in view without scrolling
(`NAME.png`) and the whole page (`NAME-full.png`). It prints where the canvas and the answer
sit, and whether both are in view. On the laptop it opens "Inside the network" too
(`inside-NAME.png`). On a phone, a laptop and the projector it also saves the
Train and Class pages whole (`train-NAME.png`, `class-NAME.png`), and at the end the Train
page after its default preset has run (set MNIST_PATH; it trains on a throwaway data folder).

--readme writes the README's pictures: docs/draw-phone.png (a 4 drawn with a finger on a
390x844 phone, answered) and docs/class-projector.png (the Class page on a 1920x1080
projector, its wall filled with drawings of hands from benchmarks/handwriting.py, labelled as
students would), each made small enough to keep in the repository. --why saves the Draw page
with "Why this answer?" open after drawing a 7, on a phone and on the projector, as the
screen shows it first (`why-NAME-answer.png`) and scrolled to the pictures (`why-NAME.png`).
Either skips the other screens and the training.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PIL import Image

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
PHONE, PROJECTOR = "phone-390x844", "projector-1920x1080"
DOCS = ROOT / "docs"
WALL_LOADED = """() => document.querySelectorAll('.st-key-class-score h3').length > 0
    && document.body.innerText.includes('labelled drawings: the model reads')"""


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


def fill_class(data_dir: Path) -> int:
    """A throwaway class's drawings, as students would have labelled them: each fresh hand's
    digits once, read by the bundled model and labelled with the digit meant."""
    from benchmarks.handwriting import FRESH, jittered
    from mnist_core.serving.model_files import BUNDLED_MODEL, load_model
    from mnist_core.serving.reading import read_drawing
    from mnist_core.storage.database import open_database
    from mnist_core.storage.drawings import ClassDrawings, NewDrawing
    from mnist_core.storage.locations import DATABASE_FILE

    store = ClassDrawings(open_database(f"sqlite:///{data_dir / DATABASE_FILE}"))
    network = load_model(BUNDLED_MODEL).network
    for i, drawn in enumerate(jittered(FRESH, per_digit=1, seed=3)):
        reading = read_drawing(network, drawn.image)
        if reading.pixels is not None:
            store.add(
                NewDrawing.from_reading(reading, drawn.image, drawn.digit, "bundled", f"s{i}")
            )
    return store.count()


def small_png(source: Path, target: Path, width: int) -> None:
    """A screenshot scaled to `width` pixels and reduced to 256 colours: small to keep."""
    image = Image.open(source).convert("RGB")
    image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.quantize(256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(
        f"{target.relative_to(ROOT)}: {image.width}x{image.height}, {target.stat().st_size:,} bytes"
    )


def readme_pictures(browser, url: str, work: Path) -> None:
    """docs/draw-phone.png and docs/class-projector.png, as the README shows them."""
    context = browser.new_context(**context_options(PHONE))
    page = context.new_page()
    page.goto(url)
    page.locator(CANVAS).wait_for(timeout=30_000)
    touch_draw(page, DIGITS[4])
    page.wait_for_function(ANSWERED, timeout=30_000)
    page.wait_for_function(IDLE, timeout=30_000)
    page.screenshot(path=work / "draw-phone.png")
    context.close()
    small_png(work / "draw-phone.png", DOCS / "draw-phone.png", 585)
    context = browser.new_context(**context_options(PROJECTOR))
    page = context.new_page()
    page.goto(f"{url}/class")
    page.wait_for_function(WALL_LOADED, timeout=60_000)
    page.wait_for_function(IDLE, timeout=30_000)
    page.screenshot(path=work / "class-projector.png")
    context.close()
    small_png(work / "class-projector.png", DOCS / "class-projector.png", 1280)


def why_pictures(browser, url: str, out: Path) -> None:
    """The Draw page with "Why this answer?" open after a 7, on a phone and a projector."""
    for name in (PHONE, PROJECTOR):
        context = browser.new_context(**context_options(name))
        page = context.new_page()
        page.goto(url)
        page.locator(CANVAS).wait_for(timeout=30_000)
        (touch_draw if SCREENS[name][2] else draw)(page, DIGITS[7])
        page.wait_for_function(ANSWERED, timeout=30_000)
        page.get_by_text("Why this answer?").click()
        page.locator(".st-key-why [data-testid=stImage]").nth(1).wait_for(timeout=30_000)
        page.wait_for_function(IDLE, timeout=30_000)
        page.screenshot(path=out / f"why-{name}-answer.png")  # the answer, the switch
        page.locator(".st-key-why").scroll_into_view_if_needed()  # the page scrolls inside
        page.wait_for_function(IDLE, timeout=30_000)
        page.screenshot(path=out / f"why-{name}.png")
        why = page.locator(".st-key-why").bounding_box()
        print(f"{name}: why at y {why['y']:.0f}-{why['y'] + why['height']:.0f}")
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "screens")
    parser.add_argument("--readme", action="store_true", help="the README's pictures, in docs/")
    parser.add_argument("--why", action="store_true", help='"Why this answer?" open')
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    data = tempfile.TemporaryDirectory()  # the run it trains stays out of the app's own data
    env = {"DIGITLAB_DATA_DIR": data.name, "DIGITLAB_MODELS_DIR": data.name}
    if args.readme or args.why:
        print(f"{fill_class(Path(data.name))} drawings on the wall")
        # The address a class on a school's Wi-Fi would see, where this machine has none.
        env["DIGITLAB_PUBLIC_URL"] = "http://192.168.1.20:8501"
        with data, running_app(env) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            if args.readme:
                readme_pictures(browser, url, args.out)
            if args.why:
                why_pictures(browser, url, args.out)
            browser.close()
        return
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
