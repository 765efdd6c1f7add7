"""Who may do what in a classroom: the teacher and the students, decided on the server.

No Streamlit here: pages ask these rules, and the training registry and the class's store
apply them again, so a stale page or a crafted request changes nothing it should not.
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import math
import os
import re
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mnist_core.i18n import Message, Number, msg
from mnist_core.serving.model_files import write_atomically

ENV_TEACHER_CODE = "DIGITLAB_TEACHER_CODE"
CODE_FILE = "teacher-code"  # in the data folder: the generated code, kept across restarts
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes
SHORT_CODE = 8  # a configured code shorter than this gets a warning in the terminal
MAX_WRONG_CODES = 5  # wrong tries in a row from one address (any of its sessions) before it waits
MAX_WRONG_CODES_SERVER = 30  # wrong tries in a row from all addresses before every try waits
WINDOW_SECONDS = 60.0  # a wrong try more than this after the last starts a new count
FIRST_WAIT_SECONDS = 5.0  # the first wait; each further wrong try doubles it
WAIT_SECONDS = 60.0  # the longest wait


class NotAllowed(PermissionError):
    """Someone tried what their role does not allow; the message is one plain sentence."""


@dataclass(frozen=True)
class Visitor:
    """One browser session, as the server knows it: no name, an anonymous id and a role."""

    session: str
    teacher: bool = False


def configured_code(secrets_code: str | None = None) -> str:
    """The teacher code: $DIGITLAB_TEACHER_CODE, else Streamlit's secrets, else none ("")."""
    return (os.environ.get(ENV_TEACHER_CODE) or secrets_code or "").strip()


def new_code() -> str:
    """A fresh code such as `k7pq-m3xw`: 8 characters read aloud or typed without doubt."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def stored_code(folder: Path) -> str:
    """The generated teacher code kept in `folder`, made on first use (see kept_in_file)."""
    return kept_in_file(folder / CODE_FILE, new_code)


def kept_in_file(path: Path, make: Callable[[], str]) -> str:
    """The value kept in `path` (its first line), made by `make` on first use.

    Kept in a file readable by the server's user only (0600), written whole to a temporary
    file and linked into place: a crash never leaves half a value, and when several servers
    share the folder the first link wins and every server reads that one.
    """
    try:
        kept = path.read_text().strip()
    except FileNotFoundError:
        kept = None
    if kept:
        return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    # An emptied file is replaced: a blank code would let no one be the teacher, a blank
    # secret would sign for anyone.
    with contextlib.suppress(FileExistsError):  # another server made it first: theirs it is
        write_atomically(path, f"{make()}\n".encode(), overwrite=kept == "")  # 0600
    return path.read_text().strip()


def server_code(configured: str, folder: Path) -> str:
    """The code that makes a teacher: the configured one, else the one kept in `folder`, else
    (a folder the server cannot write) one made for this server process alone."""
    if configured:
        return configured
    try:
        return stored_code(folder)
    except OSError as exc:
        return _process_code(str(exc))


@functools.cache
def _process_code(reason: str) -> str:
    print(
        f"Digit Lab: the teacher code cannot be kept ({reason}): it lasts while this server runs",
        file=sys.stderr,
    )
    return new_code()


def code_warning(code: str) -> str | None:
    """What the terminal should say about a configured code that is easy to guess."""
    if len(code) < SHORT_CODE:
        return (
            f"the teacher code is shorter than {SHORT_CODE} characters: a student could guess "
            "it; choose a longer one, or set none and use the generated one"
        )
    return None


@dataclass
class _Streak:
    """Wrong tries in a row, each within WINDOW_SECONDS of the one before, and the wait
    they earned: from the `limit`-th on, FIRST_WAIT_SECONDS, doubled with each further wrong
    try, at most WAIT_SECONDS."""

    limit: int
    count: int = 0
    last_wrong: float = -math.inf
    locked_until: float = -math.inf

    def wrong(self, now: float) -> float:
        """Count a wrong try; the wait it earns (0 below the limit)."""
        self.count = 1 if now - self.last_wrong > WINDOW_SECONDS else self.count + 1
        self.last_wrong = now
        if self.count < self.limit:
            return 0.0
        wait = min(WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (self.count - self.limit))
        self.locked_until = now + wait
        return wait

    def over(self, now: float) -> bool:
        """Nothing left to remember: the streak has lapsed and no wait is running."""
        return now - self.last_wrong > WINDOW_SECONDS and now >= self.locked_until


@dataclass(frozen=True)
class Refusal:
    """Why a try at the teacher code made no teacher: a wrong code, a wait earned, or both.

    Small enough to travel as a flag in the address the browser is sent back to after the
    code's form (`?teacher=wrong-5`), so the page it lands on says the sentence; it never
    carries what was typed. `wait` is whole seconds, 0 for none.
    """

    wrong: bool
    wait: int = 0

    def sentence(self) -> Message:
        """What the visitor reads, in their language once rendered."""
        if not self.wrong:
            return msg(
                "Too many wrong codes: wait {seconds} s before trying again.",
                seconds=Number(self.wait),
            )
        if not self.wait:
            return msg("That is not the teacher code.")
        return msg(
            "That is not the teacher code. Too many tries: wait {seconds} s.",
            seconds=Number(self.wait),
        )

    def flag(self) -> str:
        """`wrong`, `wrong-10` or `wait-37`."""
        kind = "wrong" if self.wrong else "wait"
        return f"{kind}-{self.wait}" if self.wait else kind

    @classmethod
    def from_flag(cls, flag: str | None) -> Refusal | None:
        """The refusal a flag names; None for anything else (an address typed by hand)."""
        found = re.fullmatch(r"(wrong|wait)(?:-(\d{1,2}))?", flag or "")
        if found is None:
            return None
        wait = min(int(found[2] or 0), math.ceil(WAIT_SECONDS))
        if found[1] == "wait" and not wait:
            return None
        return cls(wrong=found[1] == "wrong", wait=wait)


class CodeGuard:
    """Every session's tries at the teacher code, counted per address and for the server.

    Sessions from one address (a reload, a new tab, a script) share one streak: after
    MAX_WRONG_CODES wrong tries in a row every try from that address waits, growing to a
    minute, so they get no fresh tries. The teacher's own machine is another address, so a
    prankster's guesses do not lock the teacher out. All addresses together share a larger
    streak (MAX_WRONG_CODES_SERVER): a class of guessers slows everyone down, and with 31**8
    codes guessing stays hopeless. Behind a proxy that hides the students' addresses they
    all count as one. Thread-safe: sessions run their scripts in threads of their own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server = _Streak(MAX_WRONG_CODES_SERVER)
        self._sources: dict[str, _Streak] = {}

    def try_code(self, entered: str, code: str, now: float, source: str = "") -> Refusal | None:
        """None when `entered` is the code; else why not. Constant-time compare; a wrong try
        is logged with its address, without what was entered. `source` is the visitor's
        address ("" where the server does not know it)."""
        with self._lock:
            mine = self._sources.setdefault(source, _Streak(MAX_WRONG_CODES))
            wait = max(mine.locked_until, self._server.locked_until) - now
            if wait > 0:
                return Refusal(wrong=False, wait=math.ceil(wait))
            if code and hmac.compare_digest(entered.strip().encode(), code.encode()):
                return None
            wait = max(mine.wrong(now), self._server.wrong(now))
            print(
                f"Digit Lab: a wrong teacher code was entered from {source or 'this machine'} "
                f"({mine.count} in a row from there, {self._server.count} on the server)",
                file=sys.stderr,
            )
            self._sources = {k: v for k, v in self._sources.items() if not v.over(now)}
            return Refusal(wrong=True, wait=round(wait))


def require_teacher(visitor: Visitor | None, action: Message) -> None:
    """Refuse a teacher action to a student. `None` is the server itself (command line, tests).
    `action` is what was refused, said as "remove a drawing" is."""
    if visitor is not None and not visitor.teacher:
        # Translators: {action} is what only the teacher may do, e.g. "remove a drawing".
        raise NotAllowed(msg("Only the teacher can {action}.", action=action))


def may_start(visitor: Visitor | None, teacher_only: bool, own_active_runs: int) -> None:
    """A student starts at most one run at a time, and none while the teacher keeps training."""
    if visitor is None or visitor.teacher:
        return
    if teacher_only:
        raise NotAllowed(msg("Only the teacher starts training right now."))
    if own_active_runs:
        raise NotAllowed(
            msg("You already have a run waiting or training: stop it or let it finish first.")
        )


def may_stop(visitor: Visitor | None, owner: str) -> None:
    """A student stops only the runs their own browser session started."""
    if visitor is None or visitor.teacher or visitor.session == owner:
        return
    raise NotAllowed(msg("Only the student who started this run, or the teacher, can stop it."))
