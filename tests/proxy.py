"""Debian's nginx in front of app servers, configured by the very block docs/deployment.md
gives, read from the document each time, so the docs and the tests cannot drift apart.

Only the ports change: the block's `listen 80;` becomes a free local port and its upstream
servers (127.0.0.1:8501, :8502) the test's app servers, in the order given. nginx runs as
this user, in the foreground, with its pid file, logs and temporary files in a folder of
the test's: what the document does not say (the `events` and `http` blocks around it)
comes from here, the access log recording which app server answered each request.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from benchmarks.app_server import free_port, wait_healthy
from tests.conftest import ROOT

NGINX = "/usr/sbin/nginx"
DEPLOYMENT = ROOT / "docs" / "deployment.md"
NGINX_BLOCK = re.compile(r"^```nginx\n(.*?)^```", re.M | re.S)
LISTEN = re.compile(r"^(\s*listen\s+)80;", re.M)
UPSTREAM = re.compile(r"^(\s*server\s+)127\.0\.0\.1:850[12];", re.M)  # not the commented one
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def documented_block() -> str:
    """The one nginx block of docs/deployment.md, as written there."""
    found = NGINX_BLOCK.findall(DEPLOYMENT.read_text(encoding="utf-8"))
    assert len(found) == 1, f"docs/deployment.md has {len(found)} nginx blocks, not one"
    return found[0]


def with_ports(block: str, listen: int, servers: Sequence[str]) -> str:
    """The block with its listen port and its two upstream servers replaced, nothing else."""
    block, listens = LISTEN.subn(rf"\g<1>{listen};", block)
    ports = iter(servers)
    block, upstreams = UPSTREAM.subn(lambda m: f"{m.group(1)}{next(ports)};", block)
    assert listens == 1 and upstreams == len(servers) == 2, (
        "docs/deployment.md's nginx block no longer has one `listen 80;` and the upstream "
        "servers 127.0.0.1:8501 and :8502: change tests/proxy.py with it"
    )
    return block


def nginx_config(block: str, folder: Path) -> str:
    """A whole nginx.conf around the document's block, for nginx run by a plain user."""
    temp = "\n".join(
        f"    {name}_temp_path {folder / name};" for name in TEMP_PATHS if name != "client_body"
    )
    return f"""daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} info;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$request_uri $status $upstream_addr';
    access_log {folder / "access.log"} upstream;
    client_body_temp_path {folder / "client_body"};
{temp}

{block}
}}
"""


@contextlib.contextmanager
def running_nginx(servers: Sequence[str], folder: Path) -> Iterator[str]:
    """nginx with the document's block in front of `servers` ("127.0.0.1:PORT", in the
    upstream's order); its address. The folder keeps its config and logs."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(with_ports(documented_block(), port, servers), folder))
    command = [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)]
    subprocess.run([*command, "-t"], check=True, capture_output=True)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, timeout=30.0, name="nginx")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def answered_by(folder: Path, path: str, timeout: float = 10.0) -> str:
    """The app server ("127.0.0.1:PORT") that answered the latest request for `path`; nginx
    writes its line just after the answer, so it is waited for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [fields[2] for fields in _log(folder) if fields[0] == path]
        if found:
            return found[-1]
        time.sleep(0.05)  # the line is on its way: nothing to wait on but time
    raise TimeoutError(f"nginx logged no request for {path} within {timeout} s")


def upstreams(folder: Path) -> set[str]:
    """Every app server that answered a request through this nginx so far."""
    return {fields[2] for fields in _log(folder)}


def _log(folder: Path) -> list[list[str]]:
    path = folder / "access.log"
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []
