"""What the app's two cookies hold, and how the server checks them: no Streamlit here.

The teacher's pass: entering the code once makes the browser the teacher for
TEACHER_SECONDS, across reloads, tabs and typed addresses. Its value is an expiry and an
HMAC-SHA256 of that expiry and the current teacher code, under a secret kept in the data
folder: it cannot be forged or stretched without the secret, every server sharing the
folder accepts it, and a new teacher code (or a new secret) ends every pass at once. The
code itself never leaves the server, not even hashed.

The student id: a random, non-personal name for one browser, so a reload or a second tab
is the same student (one run at a time, one label a second, *Remove all from this
student*). It is no privilege, so it is not signed, only checked for its shape before it
is used, since it is kept in the database.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
import secrets
import sys
from http.cookies import SimpleCookie
from pathlib import Path

from mnist_core.access.roles import kept_in_file

TEACHER_COOKIE = "digitlab_teacher"
STUDENT_COOKIE = "digitlab_student"
TEACHER_SECONDS = 12 * 3600  # a school day, then the code is asked again
STUDENT_SECONDS = 365 * 24 * 3600  # a school year and more: the id is anonymous
ENV_COOKIE_SECRET = "DIGITLAB_COOKIE_SECRET"
SECRET_FILE = "cookie-secret"  # in the data folder, beside teacher-code
_PASS = re.compile(r"([0-9]{10})\.([A-Za-z0-9_-]{43})")  # expiry (unix seconds) . HMAC
_STUDENT_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # 16 random bytes, base64url


def cookie_secret(folder: Path) -> bytes:
    """The key that signs teacher passes: $DIGITLAB_COOKIE_SECRET, else the one kept in
    `folder` (made on first use, 0600, like the teacher code), else (a folder the server
    cannot write) one for this server process alone, whose passes end when it stops."""
    configured = os.environ.get(ENV_COOKIE_SECRET, "").strip()
    if configured:
        return configured.encode()
    try:
        return kept_in_file(folder / SECRET_FILE, lambda: secrets.token_urlsafe(32)).encode()
    except OSError as exc:
        return _process_secret(str(exc))


@functools.cache
def _process_secret(reason: str) -> bytes:
    print(
        f"Digit Lab: the cookie secret cannot be kept ({reason}): the teacher's sign-in "
        "lasts while this server runs",
        file=sys.stderr,
    )
    return secrets.token_bytes(32)


def teacher_pass(secret: bytes, code: str, now: float) -> str:
    """A teacher pass, made just after `code` was entered right, valid TEACHER_SECONDS."""
    expires = int(now) + TEACHER_SECONDS
    return f"{expires}.{_signature(secret, code, expires)}"


def is_teacher_pass(value: str, secret: bytes, code: str, now: float) -> bool:
    """Whether `value` is a pass this secret signed for this code, not yet expired. Anything
    else (a bad signature, another folder's secret, an old code, garbage) is a student."""
    found = _PASS.fullmatch(value)
    if found is None or not code:
        return False
    expires = int(found[1])  # signed: no one stretches it without the secret
    return now < expires and hmac.compare_digest(found[2], _signature(secret, code, expires))


def _signature(secret: bytes, code: str, expires: int) -> str:
    # The code goes in hashed so a pass names no code; the hash is inside the MAC, so the
    # cookie shows not even that.
    message = b"digitlab teacher pass\n%d\n" % expires + hashlib.sha256(code.encode()).digest()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_student_id() -> str:
    """128 random bits: names no one, and no two browsers share one."""
    return secrets.token_urlsafe(16)


def student_id(value: str | None) -> str | None:
    """`value` if it has the shape new_student_id makes, else None: it lands in the
    database, so a cookie a visitor wrote by hand must not be long or odd."""
    return value if value is not None and _STUDENT_ID.fullmatch(value) else None


def set_cookie(name: str, value: str, max_age: int, secure: bool, same_site: str) -> str:
    """A Set-Cookie header's value: for the whole site, never readable by the page's
    scripts (HttpOnly), Secure where the page came over https. Max-Age 0 removes it."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["max-age"] = max_age
    morsel["httponly"] = True
    morsel["samesite"] = same_site
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()
