"""Who may do what in a classroom: the teacher and the students, decided on the server.

No Streamlit here: pages ask these rules, and the training registry and the class's store
apply them again, so a stale page or a crafted request changes nothing it should not.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import os
from dataclasses import dataclass

ENV_TEACHER_CODE = "DIGITLAB_TEACHER_CODE"
MAX_WRONG_CODES = 5  # wrong tries before a browser session must wait
WAIT_SECONDS = 60.0


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


def teacher_by_address(code: str, ip_address: str | None) -> bool:
    """With no code set, the server's own machine is the teacher (a laptop demo works as it
    always did) and everyone on the network is a student; with a code, only the code counts."""
    if code or not ip_address:
        return False
    try:
        return ipaddress.ip_address(ip_address).is_loopback
    except ValueError:
        return False


@dataclass
class CodeAttempts:
    """One browser session's tries at the teacher code."""

    wrong: int = 0
    locked_until: float = 0.0

    def try_code(self, entered: str, code: str, now: float) -> str | None:
        """None when `entered` is the code; else the sentence to show. Constant-time compare;
        after MAX_WRONG_CODES wrong tries the session waits WAIT_SECONDS, whatever it enters."""
        if now < self.locked_until:
            wait = math.ceil(self.locked_until - now)
            return f"Too many wrong codes: wait {wait} s before trying again."
        if code and hmac.compare_digest(entered.strip().encode(), code.encode()):
            self.wrong = 0
            return None
        self.wrong += 1
        if self.wrong >= MAX_WRONG_CODES:
            self.wrong = 0
            self.locked_until = now + WAIT_SECONDS
            return f"That is not the teacher code. Too many tries: wait {WAIT_SECONDS:.0f} s."
        return "That is not the teacher code."


def require_teacher(visitor: Visitor | None, action: str) -> None:
    """Refuse a teacher action to a student. `None` is the server itself (command line, tests)."""
    if visitor is not None and not visitor.teacher:
        raise NotAllowed(f"Only the teacher can {action}.")


def may_start(visitor: Visitor | None, teacher_only: bool, own_active_runs: int) -> None:
    """A student starts at most one run at a time, and none while the teacher keeps training."""
    if visitor is None or visitor.teacher:
        return
    if teacher_only:
        raise NotAllowed("Only the teacher starts training right now.")
    if own_active_runs:
        raise NotAllowed(
            "You already have a run waiting or training: stop it or let it finish first."
        )


def may_stop(visitor: Visitor | None, owner: str) -> None:
    """A student stops only the runs their own browser session started."""
    if visitor is None or visitor.teacher or visitor.session == owner:
        return
    raise NotAllowed("Only the student who started this run, or the teacher, can stop it.")
