"""Finger drawing in Chromium, and the screens the Draw page is checked on.

Playwright's mouse is not a finger: touch events go through the DevTools protocol
(`Input.dispatchTouchEvent`), as a phone's touch screen delivers them.
"""

from __future__ import annotations

import itertools

CANVAS = "[data-testid=stBidiComponentIsolated] canvas.upper-canvas"

# name -> (width, height, touch): what a classroom draws on.
SCREENS: dict[str, tuple[int, int, bool]] = {
    "phone-390x844": (390, 844, True),
    "phone-360x740": (360, 740, True),
    "tablet-768x1024": (768, 1024, True),
    "tablet-1024x768": (1024, 768, True),
    "laptop-1400x1000": (1400, 1000, False),
    "projector-1920x1080": (1920, 1080, False),
}


def context_options(screen: str) -> dict:
    """Playwright new_context() options that emulate the screen: a phone's touch, its size."""
    width, height, touch = SCREENS[screen]
    return {
        "viewport": {"width": width, "height": height},
        "has_touch": touch,
        "is_mobile": touch,
        "device_scale_factor": 2 if touch else 1,
    }


def touch_draw(page, strokes, canvas_selector: str = CANVAS) -> None:
    """Draw strokes (lists of canvas-pixel points) with one finger: start, move, lift."""
    canvas = page.locator(canvas_selector)
    canvas.wait_for()
    box = canvas.bounding_box()
    cdp = page.context.new_cdp_session(page)
    try:
        for stroke in strokes:

            def touch(kind: str, x: float, y: float) -> None:
                point = {"x": box["x"] + x, "y": box["y"] + y, "radiusX": 8, "radiusY": 8}
                cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [point]})

            touch("touchStart", *stroke[0])
            for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
                for i in range(1, 4):
                    touch("touchMove", x0 + (x1 - x0) * i / 3, y0 + (y1 - y0) * i / 3)
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()
