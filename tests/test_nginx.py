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
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from benchmarks.digits import DIGITS
from mnist_core.access.cookies import STUDENT_COOKIE, TEACHER_COOKIE
from mnist_core.access.roles import stored_code
from mnist_core.storage.database import drawings, settings
from mnist_core.storage.pace import ADDRESS_KEY, pseudonym
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
from tests.test_teacher_browser import enter_code, is_student, is_teacher
from tests.test_train_browser import STATUS, shortest_run

VIEWPORT = {"width": 1400, "height": 1000}
CHART = "[data-testid=stVegaLiteChart]"
TEACHER_ONLY = "Language of every student's pages"  # the Class page's, for the teacher only
KEPT = re.compile(r"^Kept: your \d")
TOO_FAST = "One label a second: wait a moment, then label it again."
FORGED = "203.0.113.9"  # an address a visitor's browser claims in its own X-Forwarded-For


@dataclass(frozen=True)
class ProxiedServers:
    """Two app servers of one class, and two nginx with the document's block in front of
    both. nginx's ip_hash sends every browser of this machine (127.0.0.1) to one server, so
    the second proxy lists the servers the other way round: `proxies[i]` sends this machine
    to `servers[i]`, each app server's own address. `logs[i]` is proxies[i]'s folder."""

    proxies: tuple[str, str]
    servers: tuple[str, str]
    logs: tuple[Path, Path]
    database: str  # the class's database, for tests that read what the servers kept
    data: Path  # the data folder both servers share (the teacher code, the cookie secret)


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
                    url,
                    folder / "data",
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
        score.get_by_text(re.compile(r"^1 labelled drawing\b")).wait_for()
        picture = ".st-key-class-wall figure img"
        assert wall.locator(picture).first.get_attribute("alt") == "a drawing of a 4"
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


def test_the_teacher_enters_the_code_once_and_stays_the_teacher_on_either_server(
    proxied_servers, browser, request
):
    """The code typed once through the proxy: reloads, on this server and on the other (the
    same browser through the other proxy: the cookie is the site's, whatever the port), keep
    the teacher, since both servers share the data folder's cookie secret and code."""
    proxied = proxied_servers
    code = stored_code(proxied.data)  # generated by the servers, shared through the folder
    with app_tab(browser, f"{proxied.proxies[0]}/class", request, viewport=VIEWPORT) as tab:
        is_student(tab)
        enter_code(tab, code)
        visits = []
        for proxy, log, server in zip(proxied.proxies, proxied.logs, proxied.servers):
            if not tab.url.startswith(proxy):
                tab.goto(f"{proxy}/class")  # an address typed in: the other server
            for _ in range(2):  # as it lands, then reloaded
                is_teacher(tab)
                tab.get_by_text(TEACHER_ONLY).wait_for()
                assert answered_by(log, "/class") == server.removeprefix("http://")
                visits.append((tab.url, tab.content(), tab.locator("body").inner_text()))
                tab.reload()
        passes = [c for c in tab.context.cookies() if c["name"] == TEACHER_COOKIE]
        assert len(passes) == 1 and passes[0]["httpOnly"]
        for address, html, text in visits:
            for secret in (code, passes[0]["value"]):
                assert secret not in address and secret not in html and secret not in text

        # Leaving on the second server ends the pass for the first one too.
        is_teacher(tab)
        tab.get_by_role("button", name="Leave teacher mode").click()
        is_student(tab)
        tab.goto(f"{proxied.proxies[0]}/class")
        is_student(tab)
        tab.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
        assert tab.get_by_text(TEACHER_ONLY).count() == 0


def test_a_student_is_the_same_student_on_either_server_and_labels_once_a_second(
    proxied_servers, browser, request
):
    """One browser, a page on each server (the second a fresh load, as a reload that lands
    on the other server is): both labels tapped at once, the database keeps one and the
    other page says why, in one plain sentence, and keeps its drawing to label again."""
    proxied = proxied_servers
    with app_tab(browser, proxied.proxies[0], request, viewport=VIEWPORT) as first:
        second = first.context.new_page()
        errors: list[str] = []
        second.on("pageerror", lambda error: errors.append(str(error)))
        second.set_default_timeout(30_000)
        second.goto(proxied.proxies[1])
        tabs = (first, second)
        for tab, digit in zip(tabs, (4, 7)):  # two drawings: the same one twice is one label
            draw(tab, DIGITS[digit])
            wait_for_digit(tab)
            tab.get_by_role("button", name="Right").wait_for()
        for tab in tabs:
            tab.get_by_role("button", name="Right").click()
        outcomes = []
        for tab in tabs:
            said = tab.get_by_text(KEPT).or_(tab.get_by_text(TOO_FAST, exact=True))
            said.first.wait_for()
            outcomes.append("kept" if KEPT.search(said.first.inner_text()) else "refused")
        assert sorted(outcomes) == ["kept", "refused"]
        refused = tabs[outcomes.index("refused")]
        refused.get_by_role("button", name="Right").wait_for()  # to be tapped again
        student = {c["name"]: c["value"] for c in first.context.cookies()}[STUDENT_COOKIE]
        second.close()
        assert not errors, f"page errors: {errors}"
    rows = kept(proxied.database, student)
    assert len(rows) == 1
    # This machine's own browser: the proxy says 127.0.0.1, which the app takes for no
    # address (st.context.ip_address is None): only the student's limit holds.
    assert rows[0].address is None


def this_machines_address() -> str:
    """This machine's address on its network (not 127.0.0.1): a browser that opens the proxy
    there reaches it as a visitor from the network would. No packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("198.51.100.1", 9))  # TEST-NET-2: only the route is looked up
        except OSError:
            pytest.skip("this machine has no network address but 127.0.0.1")
        found = s.getsockname()[0]
    if found.startswith("127."):
        pytest.skip("this machine has no network address but 127.0.0.1")
    return found


def test_behind_the_proxy_the_app_sees_each_visitors_own_address(proxied_servers, browser, request):
    """A visitor from the network, through nginx on this machine: the app servers (uvicorn
    trusts X-Forwarded-For from 127.0.0.1) see the visitor's address, not the proxy's, and
    an X-Forwarded-For the browser makes up itself changes nothing (nginx appends the real
    one, and uvicorn takes the last address that is not a trusted proxy)."""
    proxied = proxied_servers
    own = this_machines_address()
    proxy = proxied.proxies[0].replace("127.0.0.1", own)
    forged = {"X-Forwarded-For": FORGED}
    with app_tab(browser, proxy, request, viewport=VIEWPORT, extra_http_headers=forged) as tab:
        draw(tab, DIGITS[4])
        wait_for_digit(tab)
        tab.get_by_role("button", name="Right").click()
        tab.locator(".st-key-labelled").get_by_text(KEPT).wait_for()
        student = {c["name"]: c["value"] for c in tab.context.cookies()}[STUDENT_COOKIE]
    rows = kept(proxied.database, student)
    assert len(rows) == 1
    key = address_key(proxied.database)
    assert rows[0].address == pseudonym(key, own)
    assert rows[0].address != pseudonym(key, FORGED)


def kept(database: str, student: str) -> list[sa.Row]:
    """The drawings the class's database keeps for this student id, oldest first."""
    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            query = sa.select(drawings).where(drawings.c.session_id == student)
            return list(conn.execute(query.order_by(drawings.c.id)))
    finally:
        engine.dispose()


def address_key(database: str) -> str:
    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            query = sa.select(settings.c.value).where(settings.c.key == ADDRESS_KEY)
            return conn.execute(query).scalar_one()
    finally:
        engine.dispose()
