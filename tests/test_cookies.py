"""The teacher's pass and the student id: signed, checked and set on the server, no browser.

The routes and the middleware are driven as ASGI apps, as uvicorn drives them; the same
pieces in a real browser: test_teacher_browser.py.
"""

from __future__ import annotations

import http.client
import os
import stat
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from mnist_core.access.cookie_routes import StudentIdMiddleware, cookie_routes, safe_back
from mnist_core.access.cookies import (
    ENV_COOKIE_SECRET,
    SECRET_FILE,
    STUDENT_COOKIE,
    TEACHER_COOKIE,
    TEACHER_SECONDS,
    cookie_secret,
    is_teacher_pass,
    new_student_id,
    student_id,
    teacher_pass,
)
from mnist_core.access.roles import MAX_WRONG_CODES, CodeGuard
from tests.conftest import run_async

CODE = "owl-42-lantern"
NOW = 1_800_000_000.0
HOST = "digitlab.school.example"


@pytest.fixture(autouse=True)
def _no_configured_secret(monkeypatch):
    monkeypatch.delenv(ENV_COOKIE_SECRET, raising=False)


def test_a_pass_is_the_teacher_for_twelve_hours_of_this_code_and_this_secret(tmp_path):
    secret = cookie_secret(tmp_path / "data")
    value = teacher_pass(secret, CODE, NOW)
    assert CODE not in value
    assert is_teacher_pass(value, secret, CODE, NOW)
    assert is_teacher_pass(value, secret, CODE, NOW + TEACHER_SECONDS - 1)
    assert not is_teacher_pass(value, secret, CODE, NOW + TEACHER_SECONDS)  # expired
    assert not is_teacher_pass(value, secret, "a-new-code", NOW)  # a new code ends it
    other_folder = cookie_secret(tmp_path / "another server's data")
    assert other_folder != secret
    assert not is_teacher_pass(value, other_folder, CODE, NOW)


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "garbage",
        "1800043200.",
        "1800043200." + "A" * 43,  # a signature made up
        "9999999999." + "A" * 43,  # a far expiry, unsigned
        "1800043200." + "A" * 43 + "=",
        "x" * 5000,
        "1800043200.\u00e9" + "A" * 42,
    ],
)
def test_a_forged_or_damaged_pass_is_a_student_without_an_error(tmp_path, forged):
    secret = cookie_secret(tmp_path)
    assert not is_teacher_pass(forged, secret, CODE, NOW)


def test_a_pass_with_one_character_of_its_signature_changed_is_a_student(tmp_path):
    secret = cookie_secret(tmp_path)
    value = teacher_pass(secret, CODE, NOW)
    last = value[-2]
    tampered = value[:-2] + ("B" if last != "B" else "C") + value[-1]
    assert not is_teacher_pass(tampered, secret, CODE, NOW)
    stretched = str(int(value.split(".")[0]) + 3600) + "." + value.split(".")[1]
    assert not is_teacher_pass(stretched, secret, CODE, NOW)  # the expiry is signed


def test_the_secret_is_made_once_kept_private_and_shared_by_servers_on_the_folder(tmp_path):
    folder = tmp_path / "data"
    made: list[bytes] = []

    def make() -> None:  # as several servers sharing the data folder do, at once
        made.append(cookie_secret(folder))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [secret] = set(made)
    assert len(secret) >= 32
    assert stat.S_IMODE(os.stat(folder / SECRET_FILE).st_mode) == 0o600
    assert os.listdir(folder) == [SECRET_FILE]
    assert cookie_secret(folder) == secret  # a restart keeps it


def test_a_configured_secret_wins_and_an_unwritable_folder_still_signs(tmp_path, monkeypatch):
    (tmp_path / "a file").write_text("not a folder")
    unwritable = tmp_path / "a file" / "data"
    fallback = cookie_secret(unwritable)
    assert fallback and cookie_secret(unwritable) == fallback
    monkeypatch.setenv(ENV_COOKIE_SECRET, "a secret the servers share")
    assert cookie_secret(tmp_path / "data") == b"a secret the servers share"
    assert not (tmp_path / "data").exists()


def test_student_ids_are_random_and_only_their_own_shape_is_read():
    ids = {new_student_id() for _ in range(100)}
    assert len(ids) == 100 and all(student_id(i) == i for i in ids)
    for odd in (None, "", "x" * 22 + "y", "a b" * 8, "x" * 64, "<script>alert(1)</scr", "é" * 22):
        assert student_id(odd) is None


@pytest.mark.parametrize(
    ("back", "sent_to"),
    [
        ("/class", "/class"),
        ("/train?run=3", "/train?run=3"),
        ("/train?run=3&teacher=wrong", "/train?run=3"),
        (None, "/"),
        ("", "/"),
        ("class", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/class\r\nSet-Cookie: x=1", "/"),
        ("/" + "a" * 3000, "/"),
    ],
)
def test_the_browser_is_only_ever_sent_back_to_a_page_of_this_site(back, sent_to):
    assert safe_back(back) == sent_to


def test_under_a_base_path_the_first_page_is_the_base():
    assert safe_back("https://evil.example/", "digitlab") == "/digitlab/"


# --- The routes and the middleware, as uvicorn calls them -------------------------------


class Server:
    """The routes and the middleware on a Starlette app, with a page standing in for
    Streamlit's index.html and a script for its bundles."""

    def __init__(self, folder: Path, code: str = CODE) -> None:
        self.code, self.folder, self.guard = code, folder, CodeGuard()
        routes = cookie_routes(lambda: self.code, self.guard, lambda: self.folder)
        routes += [
            Route("/", lambda request: HTMLResponse("<html>the page</html>")),
            Route("/static/app.js", lambda request: PlainTextResponse("js")),
        ]
        self.app = Starlette(routes=routes, middleware=[Middleware(StudentIdMiddleware)])

    def send(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        client: str = "192.168.1.23",
    ) -> tuple[int, dict[str, str], list[SimpleCookie]]:
        """The status, headers and cookies set of one request."""
        sent = {"host": HOST, "origin": f"http://{HOST}"} if method == "POST" else {"host": HOST}
        if method == "POST":
            sent["content-type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.encode(), v.encode()) for k, v in sent.items() if v is not None],
            "client": (client, 50000),
            "server": ("127.0.0.1", 8501),
            "state": {},
        }
        messages: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            messages.append(message)

        run_async(self.app(scope, receive, send))
        start = messages[0]
        headers_back = [(k.decode(), v.decode()) for k, v in start["headers"]]
        cookies = [SimpleCookie(v) for k, v in headers_back if k == "set-cookie"]
        return start["status"], dict(headers_back), cookies


def cookie_of(cookies: list[SimpleCookie], name: str):
    [morsel] = [c[name] for c in cookies if name in c]
    return morsel


def test_the_right_code_sets_a_strict_private_pass_and_sends_the_browser_back(tmp_path):
    server = Server(tmp_path)
    status, headers, cookies = server.send(
        "POST", "/_digitlab/teacher", f"code={CODE}&back=/train%3Frun%3D3".encode()
    )
    assert status == 303 and headers["location"] == "/train?run=3"
    morsel = cookie_of(cookies, TEACHER_COOKIE)
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    assert int(morsel["max-age"]) == TEACHER_SECONDS and not morsel["secure"]
    assert is_teacher_pass(morsel.value, cookie_secret(tmp_path), CODE, time.time())
    assert CODE not in str(headers)
    # Behind nginx, which ended TLS: Secure.
    _, _, cookies = server.send(
        "POST", "/_digitlab/teacher", f"code={CODE}".encode(), {"x-forwarded-proto": "https"}
    )
    assert cookie_of(cookies, TEACHER_COOKIE)["secure"]


def test_a_wrong_code_sends_back_a_flag_and_counts_per_address(tmp_path, capsys):
    server = Server(tmp_path)
    for _ in range(MAX_WRONG_CODES - 1):
        status, headers, cookies = server.send(
            "POST", "/_digitlab/teacher", b"code=a+guess&back=/class"
        )
        assert status == 303 and headers["location"] == "/class?teacher=wrong"
        assert not any(TEACHER_COOKIE in c for c in cookies)
    _, headers, _ = server.send("POST", "/_digitlab/teacher", b"code=a+guess&back=/class")
    assert headers["location"] == "/class?teacher=wrong-5"
    # Waiting now, even with the right code, from that address; another gets in.
    _, headers, _ = server.send("POST", "/_digitlab/teacher", f"code={CODE}".encode())
    assert headers["location"].startswith("/?teacher=wait-")
    status, _, cookies = server.send(
        "POST", "/_digitlab/teacher", f"code={CODE}".encode(), client="127.0.0.1"
    )
    assert cookie_of(cookies, TEACHER_COOKIE).value
    logged = capsys.readouterr().err
    assert "from 192.168.1.23" in logged and "a guess" not in logged


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": None, "referer": "http://evil.example/page"},
        {"origin": None},  # neither: not from a page
        {"origin": f"http://{HOST}.evil.example"},
        {"origin": f"http://{HOST}:8080", "host": f"{HOST}:8501"},
        {"content-type": "multipart/form-data; boundary=x"},
    ],
)
def test_a_post_that_is_not_the_pages_form_is_refused_and_not_counted(tmp_path, headers):
    server = Server(tmp_path)
    status, _, cookies = server.send("POST", "/_digitlab/teacher", f"code={CODE}".encode(), headers)
    assert status in (400, 403) and not cookies
    assert server.guard.try_code("guess", CODE, now=0.0, source="192.168.1.23").wait == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": None, "referer": f"http://{HOST}/class"},
        {"origin": f"http://{HOST}:8080"},  # nginx's $host drops the port
        {"origin": f"https://{HOST.upper()}"},
    ],
)
def test_the_pages_own_form_is_accepted(tmp_path, headers):
    status, _, cookies = Server(tmp_path).send(
        "POST", "/_digitlab/teacher", f"code={CODE}".encode(), headers
    )
    assert status == 303 and cookie_of(cookies, TEACHER_COOKIE).value


def test_a_huge_form_is_refused_before_it_is_read_whole(tmp_path):
    status, _, _ = Server(tmp_path).send("POST", "/_digitlab/teacher", b"code=" + b"x" * 10_000)
    assert status == 413


def test_leaving_removes_the_pass(tmp_path):
    status, headers, cookies = Server(tmp_path).send("POST", "/_digitlab/leave", b"back=/class")
    assert status == 303 and headers["location"] == "/class"
    morsel = cookie_of(cookies, TEACHER_COOKIE)
    assert morsel.value == "" and morsel["max-age"] == "0" and morsel["samesite"] == "Strict"


def test_a_page_names_a_browser_once_and_nothing_else_does(tmp_path):
    server = Server(tmp_path)
    status, _, cookies = server.send("GET", "/")
    morsel = cookie_of(cookies, STUDENT_COOKIE)
    assert status == 200 and student_id(morsel.value)
    assert morsel["httponly"] and morsel["samesite"] == "Lax" and morsel["path"] == "/"
    assert int(morsel["max-age"]) >= 300 * 24 * 3600
    kept = f"{STUDENT_COOKIE}={morsel.value}"
    assert server.send("GET", "/", headers={"cookie": kept})[2] == []  # named already
    assert server.send("GET", "/static/app.js")[2] == []  # not a page
    # A cookie written by hand, too long or odd, is replaced by a well-formed one.
    _, _, cookies = server.send("GET", "/", headers={"cookie": f"{STUDENT_COOKIE}={'x' * 80}"})
    assert student_id(cookie_of(cookies, STUDENT_COOKIE).value)
    _, _, cookies = server.send("GET", "/", headers={"x-forwarded-proto": "https"})
    assert cookie_of(cookies, STUDENT_COOKIE)["secure"]


def teacher_cookie(url: str, code: str) -> str:
    """Post the teacher code to a running app as the sidebar's form does; the Cookie header
    the teacher's browser then sends with every page's websocket."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    form = {"Origin": url, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/_digitlab/teacher", urlencode({"code": code}), form)
    answer = connection.getresponse()
    assert answer.status == 303, answer.status
    passed = SimpleCookie(answer.getheader("set-cookie"))[TEACHER_COOKIE].value
    connection.close()
    return f"{TEACHER_COOKIE}={passed}"
