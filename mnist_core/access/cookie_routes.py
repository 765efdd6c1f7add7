"""The cookies' HTTP side: the teacher code's form posts here, and every page gets a student id.

Streamlit's script sees cookies only as the browser sent them when its websocket opened,
and cannot set any. So the sidebar's plain HTML form posts the code to TEACHER_ROUTE, which
checks it (with the same wrong-code limits as ever), sets the teacher's pass and answers
303 back to the page: the reload opens a websocket that carries the pass. LEAVE_ROUTE
removes it. StudentIdMiddleware gives a browser its student id on the page's HTML, before
its websocket opens. No Streamlit here: app.py mounts these on its st.App.

A post is accepted only from the app's own pages (its Origin, else Referer, names the host
it was sent to), and the pass is SameSite=Strict: another site cannot post the code form
or ride on the pass.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mnist_core.access.cookies import (
    STUDENT_COOKIE,
    STUDENT_SECONDS,
    TEACHER_COOKIE,
    TEACHER_SECONDS,
    cookie_secret,
    new_student_id,
    set_cookie,
    student_id,
    teacher_pass,
)
from mnist_core.access.roles import CodeGuard, Refusal

TEACHER_ROUTE = "teacher"
LEAVE_ROUTE = "leave"
CODE_SAID = "teacher"  # the query parameter that brings a Refusal's flag back to the page
MAX_FORM_BYTES = 4096  # a code and a page's address; more is not the sidebar's form
MAX_BACK = 2000
_LOOPBACK = {"127.0.0.1", "::1"}


def route_path(base: str, name: str) -> str:
    """Where a route answers, under Streamlit's server.baseUrlPath (`base`, often "")."""
    base = base.strip("/")
    return f"/{base}/_digitlab/{name}" if base else f"/_digitlab/{name}"


def cookie_routes(
    code: Callable[[], str], guard: CodeGuard, folder: Callable[[], Path], base: str = ""
) -> list[Route]:
    """The two POST routes. `code` gives the teacher code now (it may change while the server
    runs), `guard` is the server's one count of wrong codes, `folder` the data folder that
    keeps the cookie secret."""

    def check(entered: str, source: str) -> Refusal | str:
        """The pass for the right code, else why not. Reads files (the code, the secret), so
        it runs in a worker thread, off the event loop every websocket shares."""
        now_code = code()
        refusal = guard.try_code(entered, now_code, time.monotonic(), source)
        if refusal is not None:
            return refusal
        return teacher_pass(cookie_secret(folder()), now_code, time.time())

    async def enter(request: Request) -> Response:
        form = await _posted_form(request)
        if isinstance(form, Response):
            return form
        back = safe_back(form.get("back"), base)
        said = await run_in_threadpool(check, form.get("code", ""), client_address(request))
        if isinstance(said, Refusal):
            return _see_other(f"{back}{'&' if '?' in back else '?'}{CODE_SAID}={said.flag()}")
        return _see_other(back, _teacher_cookie(request, said, TEACHER_SECONDS))

    async def leave(request: Request) -> Response:
        form = await _posted_form(request)
        if isinstance(form, Response):
            return form
        return _see_other(safe_back(form.get("back"), base), _teacher_cookie(request, "", 0))

    return [
        Route(route_path(base, TEACHER_ROUTE), enter, methods=["POST"]),
        Route(route_path(base, LEAVE_ROUTE), leave, methods=["POST"]),
    ]


def _teacher_cookie(request: HTTPConnection, value: str, max_age: int) -> str:
    # Strict: a page of another site that links or posts here never sends the pass along.
    return set_cookie(TEACHER_COOKIE, value, max_age, is_https(request), "Strict")


class StudentIdMiddleware:
    """Gives a browser without a (well-formed) student id one, on the page's HTML: the
    websocket the page then opens carries it, and so does every later visit. Only a page
    (HTML, or its 304 when the browser revalidates a cached one), never a script or image,
    so the first answer a browser reads is the one that names it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        if student_id(connection.cookies.get(STUDENT_COOKIE)):
            await self.app(scope, receive, send)
            return
        secure = is_https(connection)

        async def naming(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_page(message):
                # Lax: a link from the school's site, or the QR code, still names the student.
                named = set_cookie(STUDENT_COOKIE, new_student_id(), STUDENT_SECONDS, secure, "Lax")
                MutableHeaders(scope=message).append("set-cookie", named)
            await send(message)

        await self.app(scope, receive, naming)


def _is_page(message: Message) -> bool:
    if message["status"] == 304:
        return True
    content_type = MutableHeaders(scope=message).get("content-type", "")
    return message["status"] == 200 and content_type.startswith("text/html")


def is_https(connection: HTTPConnection) -> bool:
    """Whether the browser reached the app over https: directly, or through a proxy that
    ended TLS and says so (X-Forwarded-Proto; uvicorn trusts it only from 127.0.0.1, but a
    Secure flag too many only keeps the cookie off plain http, which is no harm)."""
    forwarded = connection.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return connection.url.scheme in ("https", "wss") or forwarded == "https"


def client_address(connection: HTTPConnection) -> str:
    """The visitor's address as the wrong-code limits count it: what Streamlit's
    st.context.ip_address says for the websocket (uvicorn reads X-Forwarded-For from a proxy
    on this machine), "" for this machine itself."""
    host = connection.client.host if connection.client else ""
    return "" if host in _LOOPBACK else host


def safe_back(back: str | None, base: str = "") -> str:
    """The page to send the browser back to: a path on this site (never another site, never
    `//host`), its query kept but for an old CODE_SAID; else the app's first page."""
    home = f"/{base.strip('/')}/" if base.strip("/") else "/"
    if not back or len(back) > MAX_BACK or not back.startswith("/"):
        return home
    if back.startswith("//") or any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in back):
        return home
    parts = urlsplit(back)
    if parts.scheme or parts.netloc:
        return home
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != CODE_SAID]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def same_site_post(request: HTTPConnection) -> bool:
    """Whether the post came from a page of this app: its Origin (else its Referer) names
    the host it was sent to. The port counts only where both name one: nginx's `$host`
    drops the port the browser used."""
    claimed = request.headers.get("origin")
    if claimed is None:
        claimed = request.headers.get("referer")
    if not claimed or claimed == "null":
        return False
    try:
        source = urlsplit(claimed)
        target = urlsplit(f"//{request.headers.get('host', '')}")
        ports = (source.port, target.port)
    except ValueError:  # a port that is not a number
        return False
    if source.scheme not in ("http", "https") or not source.hostname:
        return False
    return source.hostname == target.hostname and (None in ports or ports[0] == ports[1])


async def _posted_form(request: Request) -> dict[str, str] | Response:
    """The form's fields, or the answer to a post that is not the sidebar's form."""
    if not same_site_post(request):
        return PlainTextResponse("Send this from the Digit Lab page.", status_code=403)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        return PlainTextResponse("Send this from the Digit Lab page.", status_code=400)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return PlainTextResponse("That form is too large.", status_code=413)
    try:
        text = body.decode("utf-8", "replace")
        fields = parse_qsl(text, keep_blank_values=True, max_num_fields=4)
    except ValueError:  # more fields than the form has
        return PlainTextResponse("Send this from the Digit Lab page.", status_code=400)
    return dict(fields)


def _see_other(path: str, cookie: str | None = None) -> Response:
    """303: the browser loads the page again with GET, and its websocket then carries the
    cookie just set (or no longer carries it)."""
    response = RedirectResponse(path, status_code=303, headers={"Cache-Control": "no-store"})
    if cookie is not None:
        response.headers.append("set-cookie", cookie)
    return response
