"""Start the app on a free local port for browser tests, load tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(
    env: dict[str, str] | None = None, log: Path | None = None, script: str = "app.py"
) -> Iterator[str]:
    """Yield the base URL of a fresh `streamlit run app.py`; stop it (and its children) after."""
    with app_process(env, log, script) as (url, _process):
        yield url


@contextlib.contextmanager
def app_process(
    env: dict[str, str] | None = None, log: Path | None = None, script: str = "app.py"
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As running_app, with the server's process too: a test may kill it (SIGKILL) mid-run."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            out.close()


def wait_healthy(
    url: str, process: subprocess.Popen, timeout: float = 60.0, name: str = "streamlit"
) -> None:
    """Until `url` answers Streamlit's health check (straight, or through a proxy such as
    nginx, `name`), or `process` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # the server is not listening yet; nothing to wait on but time
    raise TimeoutError(f"{name} at {url} did not come up within {timeout} s")
