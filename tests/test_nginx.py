"""Debian's nginx in front of two app servers on one database, configured by exactly the
block docs/deployment.md gives (tests/proxy.py reads it from there), driven in Chromium:
a digit drawn through the proxy is read and labelled, the other server's Class page counts
it, and a run started through the proxy shows its curves on both servers.

`proxied_servers` is where every test of what must hold behind the proxy starts: a reload
that lands on the other server is a visit through its other proxy (see ProxiedServers).
Skipped without nginx, unless DIGITLAB_REQUIRE_NGINX is set (CI sets it).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.digits import DIGITS
from tests.class_servers import app_servers, class_env
from tests.conftest import app_tab, draw, fresh_database
from tests.proxy import (
    NGINX,
    answered_by,
    documented_block,
    nginx_config,
    running_nginx,
    upstreams,
    with_ports,
)
from tests.test_draw_browser import wait_for_digit
from tests.test_train_browser import STATUS, shortest_run

VIEWPORT = {"width": 1400, "height": 1000}
CHART = "[data-testid=stVegaLiteChart]"


@dataclass(frozen=True)
class ProxiedServers:
    """Two app servers of one class, and two nginx with the document's block in front of
    both. nginx's ip_hash sends every browser of this machine (127.0.0.1) to one server, so
    the second proxy lists the servers the other way round: `proxies[i]` sends this machine
    to `servers[i]`, each app server's own address. `logs[i]` is proxies[i]'s folder."""

    proxies: tuple[str, str]
    servers: tuple[str, str]
    logs: tuple[Path, Path]


@pytest.fixture(scope="session")
def nginx() -> str:
    if not Path(NGINX).exists():
        if os.environ.get("DIGITLAB_REQUIRE_NGINX"):
            pytest.fail(f"{NGINX} is missing but DIGITLAB_REQUIRE_NGINX is set")
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx)")
    return NGINX


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def proxied_servers(nginx, request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"proxied-{request.param}")
    url = fresh_database(request.param, folder)
    with app_servers(class_env(url, folder), "proxied-a", "proxied-b") as urls:
        ports = [u.removeprefix("http://") for u in urls]
        with running_nginx(ports, folder / "nginx-1") as first:
            chosen = answered_by(folder / "nginx-1", "/_stcore/health")
            servers = (chosen, *(p for p in ports if p != chosen))
            with running_nginx(servers[::-1], folder / "nginx-2") as second:
                assert answered_by(folder / "nginx-2", "/_stcore/health") == servers[1]
                yield ProxiedServers(
                    (first, second),
                    tuple(f"http://{s}" for s in servers),
                    (folder / "nginx-1", folder / "nginx-2"),
                )


def test_the_proxy_runs_the_documents_block_with_only_its_ports_changed(nginx, tmp_path):
    block = documented_block()
    config = with_ports(block, 8080, ["127.0.0.1:9001", "127.0.0.1:9002"])
    changed = [(a, b) for a, b in zip(block.splitlines(), config.splitlines()) if a != b]
    assert [b.split() for _, b in changed] == [
        ["server", "127.0.0.1:9001;"],
        ["server", "127.0.0.1:9002;"],
        ["listen", "8080;"],
    ]
    (tmp_path / "nginx.conf").write_text(nginx_config(config, tmp_path))
    command = [nginx, "-t", "-q", "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
    checked = subprocess.run([*command, "-c", "nginx.conf"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_a_digit_drawn_through_the_proxy_is_labelled_and_counted_by_the_other_server(
    proxied_servers, browser, request
):
    proxied = proxied_servers
    with app_tab(browser, proxied.proxies[0], request, viewport=VIEWPORT) as student:
        draw(student, DIGITS[4])
        assert wait_for_digit(student) == 4
        student.get_by_role("button", name="Right").click()
        student.locator(".st-key-labelled").get_by_text(re.compile(r"Kept: your 4")).wait_for()
    with app_tab(browser, f"{proxied.proxies[1]}/class", request, viewport=VIEWPORT) as wall:
        score = wall.locator(".st-key-class-score")
        score.get_by_text(re.compile(r"^1 labelled drawings")).wait_for()
        picture = ".st-key-class-wall figure img"
        assert wall.locator(picture).first.get_attribute("alt") == "a 4"
        # Its picture comes from the server of this page's session (/media/...).
        wall.wait_for_function(
            "(sel) => { const img = document.querySelector(sel);"
            " return img && img.complete && img.naturalWidth > 0; }",
            arg=picture,
        )
    # Sticky: the page, its scripts, its websocket and its pictures, each from one server.
    assert upstreams(proxied.logs[0]) == {proxied.servers[0].removeprefix("http://")}
    assert upstreams(proxied.logs[1]) == {proxied.servers[1].removeprefix("http://")}


def test_a_run_started_through_the_proxy_shows_its_curves_on_both_servers(
    proxied_servers, browser, request
):
    proxied = proxied_servers
    with app_tab(browser, f"{proxied.proxies[0]}/train", request, viewport=VIEWPORT) as page:
        page.get_by_role("button", name="Start training").wait_for()
        run = shortest_run(page)  # one epoch, until it is finished
        page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for()
    address = f"{proxied.proxies[1]}/train?run={run}"
    with app_tab(browser, address, request, viewport=VIEWPORT) as other:
        other.locator(STATUS).get_by_text(f"Run {run}:").wait_for()
        assert "finished" in other.locator(STATUS).inner_text()
        other.locator(f"{CHART} canvas, {CHART} svg").first.wait_for()
