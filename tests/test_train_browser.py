"""The Train page in a real browser: a run streams its status, stops, and is saved for Draw."""

import re

from tests.conftest import draw

STATUS = ".st-key-train-status"
RESULT = ".st-key-train-result"


def open_train_page(page) -> None:
    page.get_by_role("link", name="Train").click()
    page.get_by_role("button", name="Start training").wait_for()


def set_epochs(page, presses: int) -> None:
    slider = page.get_by_role("slider").nth(2)  # learning rate, batch size, then epochs
    slider.focus()
    for _ in range(presses):
        slider.press("ArrowRight")


def status_text(page) -> str:
    return page.locator(STATUS).inner_text()


def watch_status(page, until: str, timeout_s: float = 120) -> list[str]:
    """Every distinct status text until it contains `until`; waits on the page, not a clock."""
    seen: list[str] = []
    deadline_ms = timeout_s * 1000
    while True:
        text = status_text(page)
        if not seen or text != seen[-1]:
            seen.append(text)
        if until in text:
            return seen
        page.wait_for_function(
            "([sel, old]) => { const el = document.querySelector(sel);"
            " return el && el.innerText !== old; }",
            arg=[STATUS, text],
            timeout=deadline_ms,
        )


def test_a_run_streams_its_progress_and_ends_with_a_test_accuracy(page):
    open_train_page(page)
    set_epochs(page, 25)  # 30 epochs of the small test set: long enough to watch
    page.get_by_role("button", name="Start training").click()
    page.locator(STATUS).wait_for()
    seen = watch_status(page, "finished")
    running = [s for s in seen if "running: epoch" in s]
    assert len(running) >= 3, seen
    steps = [int(re.search(r"step ([\d,]+)", s).group(1).replace(",", "")) for s in running]
    assert steps == sorted(steps) and steps[0] < steps[-1]
    assert re.search(r"loss \d+\.\d{4}", running[-1])
    result = page.locator(RESULT)
    result.wait_for()
    assert re.search(r"Test accuracy: \d+\.\d\d%", result.inner_text())


def test_stop_ends_a_run_and_a_saved_model_appears_on_the_draw_page(page):
    open_train_page(page)
    set_epochs(page, 55)  # 60 epochs: it will not finish on its own before Stop
    page.get_by_role("button", name="Start training").click()
    watch_status(page, "running: epoch")
    page.get_by_role("button", name="Stop").click()
    watch_status(page, "stopped", timeout_s=10)
    page.locator(RESULT).wait_for()

    name = page.get_by_label("Model name")
    name.fill("browser saved model")
    name.press("Enter")
    page.get_by_role("button", name="Save model").click()
    page.get_by_text("Saved as browser-saved-model.npz").wait_for()

    page.get_by_role("link", name="Draw").click()
    page.locator(".st-key-prediction").wait_for()
    page.locator(".st-key-model").get_by_role("combobox").click()  # not the sidebar's Language
    option = page.get_by_role("option", name=re.compile(r"^browser saved model \("))
    option.click()
    draw(page, [[(140, 50), (140, 230)]])
    page.wait_for_function(
        "() => /\\d/.test(document.querySelector('.st-key-prediction').innerText)"
    )


def shortest_run(page) -> int:
    """Start a one-epoch run and wait for it to finish; its number."""
    slider = page.get_by_role("slider").nth(2)
    slider.focus()
    slider.press("Home")  # one epoch
    before = status_text(page) if page.locator(STATUS).count() else ""
    page.get_by_role("button", name="Start training").click()
    page.wait_for_function(
        "([sel, old]) => { const el = document.querySelector(sel);"
        " return el && /Run \\d+/.test(el.innerText) && el.innerText !== old; }",
        arg=[STATUS, before],
    )
    number = int(re.search(r"Run (\d+)", status_text(page)).group(1))
    watch_status(page, "finished")
    return number


def test_the_run_list_switches_between_runs_and_the_address_follows(page):
    open_train_page(page)
    first = shortest_run(page)
    second = shortest_run(page)
    assert second > first
    runs = page.locator(".st-key-run-list")
    runs.get_by_text(f"Run {first}: ").click()
    page.locator(STATUS).get_by_text(f"Run {first}:").wait_for()
    page.wait_for_url(re.compile(rf"[?&]run={first}\b"))
    runs.get_by_text(f"Run {second}: ").click()
    page.locator(STATUS).get_by_text(f"Run {second}:").wait_for()
