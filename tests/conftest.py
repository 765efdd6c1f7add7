"""Shared fixtures: real MNIST samples, and drawings made the way the canvas makes them."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import itertools
import os
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SMALL_MNIST = Path(__file__).resolve().parent / "data" / "mnist_small.npz"


@pytest.fixture(scope="session", autouse=True)
def _app_data_outside_the_repository(tmp_path_factory):
    """Pages and registries made by tests keep their database and checkpoints in a temporary
    folder, never in the repository's data/ (a test may still name its own)."""
    if not os.environ.get("DIGITLAB_DATA_DIR"):
        os.environ["DIGITLAB_DATA_DIR"] = str(tmp_path_factory.mktemp("digitlab_data"))


def postgres_url() -> str | None:
    """The PostgreSQL of `pg_virtualenv` (Debian's postgresql-common), which the README's
    test command uses when it is installed: it sets PGHOST, PGPORT, PGUSER and PGPASSWORD."""
    if not os.environ.get("PGHOST"):
        return None
    user = os.environ.get("PGUSER", "postgres")
    password = os.environ.get("PGPASSWORD", "")
    host, port = os.environ["PGHOST"], os.environ.get("PGPORT", "5432")
    database_name = os.environ.get("PGDATABASE", "postgres")
    return sa.URL.create(
        "postgresql+psycopg",
        username=user,
        password=password or None,
        host=host if not host.startswith("/") else None,
        port=int(port),
        database=database_name,
        query={"host": host} if host.startswith("/") else {},
    ).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    """A database of its own for the test: a fresh SQLite file, then a clean PostgreSQL."""
    return fresh_database(request.param, tmp_path)


def fresh_database(kind: str, folder: Path) -> str:
    """A new SQLite file in `folder` ("sqlite"), or the PostgreSQL of pg_virtualenv emptied
    ("postgresql"; skipped without one, unless DIGITLAB_REQUIRE_POSTGRES is set)."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'data' / 'digitlab.db'}"
    found = postgres_url()
    if found is None:
        if os.environ.get("DIGITLAB_REQUIRE_POSTGRES"):
            pytest.fail("DIGITLAB_REQUIRE_POSTGRES is set but no PostgreSQL is running (PGHOST)")
        pytest.skip("no PostgreSQL server here (run the tests under pg_virtualenv)")
    empty_database(found)
    return found


def empty_database(url: str) -> None:
    """A clean slate: none of Digit Lab's tables, nor Alembic's record of their version."""
    from mnist_core.storage import database

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        database.metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


@pytest.fixture(scope="session")
def small_mnist_path() -> Path:
    return SMALL_MNIST


@pytest.fixture(scope="session")
def small_mnist():
    from mnist_core.training.mnist import load_mnist

    return load_mnist(SMALL_MNIST)


@pytest.fixture(scope="session")
def full_mnist_path() -> Path:
    path = os.environ.get("MNIST_PATH")
    if not path or not Path(path).is_file():
        pytest.skip("the full MNIST set is not available (set MNIST_PATH)")
    return Path(path)


@pytest.fixture
def make_registry(monkeypatch):
    """Registries whose training processes are fakes (tests/fake_training.py): no TensorFlow,
    so a test of the registry's own rules takes seconds."""
    from mnist_core.runs import registry as registry_module
    from mnist_core.runs.registry import TrainingRegistry
    from tests import fake_training

    monkeypatch.setattr(registry_module, "train_in_child", fake_training.fake_child)
    made = []

    def make(max_concurrent: int = 1) -> TrainingRegistry:
        made.append(TrainingRegistry(max_concurrent=max_concurrent, niceness=0))
        return made[-1]

    yield make
    for registry in made:
        registry.shutdown()


def run_async(coroutine):
    """Run a coroutine to its end from a test, in a thread of its own: once the browser tests
    have started Playwright, its sync API holds this thread's event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def canvas_drawing(
    digit: np.ndarray,
    size: int = 280,
    box: int = 200,
    centre: tuple[int, int] | None = None,
    ink: tuple[int, int, int] = (255, 255, 255),
    paper: tuple[int, int, int] = (0, 0, 0),
) -> np.ndarray:
    """An RGBA canvas with an MNIST digit drawn large on it, as a user would draw it."""
    grey = Image.fromarray(
        digit.reshape(28, 28).astype(np.uint8)
        if digit.dtype == np.uint8
        else (digit.reshape(28, 28) * 255).astype(np.uint8)
    )
    big = np.asarray(grey.resize((box, box), Image.Resampling.BILINEAR), np.float32) / 255.0
    cy, cx = centre or (size // 2, size // 2)
    alpha = np.zeros((size, size), np.float32)
    top, left = cy - box // 2, cx - box // 2
    alpha[top : top + box, left : left + box] = big
    rgb = (
        np.array(paper, np.float32) * (1 - alpha[..., None])
        + np.array(ink, np.float32) * alpha[..., None]
    )
    rgba = np.dstack([rgb, np.full((size, size), 255.0)])
    return rgba.round().astype(np.uint8)


# ---------------------------------------------------------------------------------------
# Real-browser tests: the app under `streamlit run`, driven by Playwright in Debian's
# Chromium. Skipped where Chromium is missing, unless DIGITLAB_REQUIRE_BROWSER is set
# (CI sets it, so a broken install fails instead of skipping).
# ---------------------------------------------------------------------------------------
ARTIFACTS = ROOT / "test-artifacts"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("saved_models")


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory) -> Path:
    """The browser tests' app keeps the class's drawings here, never in the real data folder."""
    return tmp_path_factory.mktemp("app_data")


@pytest.fixture(scope="session")
def app_url(models_dir, app_data_dir):
    from benchmarks.app_server import running_app

    env = {
        "MNIST_PATH": str(SMALL_MNIST),
        "DIGITLAB_MODELS_DIR": str(models_dir),
        "DIGITLAB_DATA_DIR": str(app_data_dir),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(env, log=ARTIFACTS / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from benchmarks.app_server import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        if os.environ.get("DIGITLAB_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but DIGITLAB_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url, request):
    """A fresh tab on the app; page errors fail the test; a failure leaves a screenshot."""
    with app_tab(browser, app_url, request, viewport={"width": 1400, "height": 1000}) as tab:
        yield tab


@contextlib.contextmanager
def app_tab(browser, app_url, request, **context_options):
    """A tab on the app in a new browser context (a screen size, touch); as `page` does."""
    context = browser.new_context(**context_options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.set_default_timeout(30_000)
    tab.goto(app_url)
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()
    assert not errors, f"page errors: {errors}"


def draw(
    page, strokes, canvas_selector="[data-testid=stBidiComponentIsolated] canvas.upper-canvas"
):
    """Draw strokes (lists of canvas-pixel points) with the mouse, as a user would."""
    canvas = page.locator(canvas_selector)
    canvas.wait_for()
    box = canvas.bounding_box()
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.down()
        for (x0, y0), (x1, y1) in itertools.pairwise(stroke):
            for i in range(1, 5):
                page.mouse.move(
                    box["x"] + x0 + (x1 - x0) * i / 4, box["y"] + y0 + (y1 - y0) * i / 4
                )
        page.mouse.up()
