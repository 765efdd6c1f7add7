"""How fast labels may reach the class's wall: per student, and per network address.

Both limits count the drawings the database already keeps (their `created`, `session_id`
and `address`), inside the transaction that keeps the next one, after taking the write lock
(database.lock_for_writing): so they hold across every app server of a class, across
reloads and new browser sessions, and a burst of requests at once cannot slip past them.
The servers' clocks must agree (NTP) to well under a second.

Why per address too: a student is only an id the browser sends, so a script can be fifty
students. It still comes from one address, and so does a whole class behind its school's
NAT; the address limits are set high enough that such a class never meets them.

The address is kept as a keyed hash (HMAC-SHA256), never as it arrived: the limit only needs
to know that two labels came from the same place, and neither the wall nor an export needs
where. The key is a random secret of this database (settings' "address_key"), the same for
every server. A keyed hash keeps students' addresses out of the rows, of a backup read
casually, of a copy sent for help; whoever holds the whole database, key included, could
still try every IPv4 address, so it is a pseudonym, not anonymity.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from mnist_core.i18n import msg

from .database import StorageError, drawings

LABEL_INTERVAL = 1.0  # seconds: a student keeps at most one drawing this often
ADDRESS_KEY = "address_key"  # the settings key of the addresses' hash key (made by 0004)


@dataclass(frozen=True)
class Window:
    """At most `labels` labels from one address in any `seconds`."""

    labels: int
    seconds: float


ADDRESS_WINDOWS = (
    # A class of 30 all tapping in the same two seconds when the teacher says "now" (15/s),
    # with room for a few more: a script of many sessions gets no faster burst than this.
    Window(40, 2.0),
    # 30 students each labelling once every 5 s is 6 a second, 360 a minute; 600 a minute
    # (10/s) is every one of them labelling every 3 s for a whole minute, faster than a digit
    # is drawn, read and labelled. A script's flood is held to this, against the 50 a second
    # that fifty sessions at one label a second would otherwise put on the wall.
    Window(600, 60.0),
)


class TooFast(StorageError):
    """A student, or an address, labels faster than a class can; the message is one sentence."""


def pseudonym(key: str, address: str) -> str:
    """What the database keeps of a network address: its HMAC-SHA256 under the database's key."""
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def check_pace(
    conn: Connection, now: datetime, student: str, source: str | None, interval: float
) -> None:
    """Raise TooFast when `student` kept a drawing in the last `interval` seconds, or when
    the address hashed as `source` (None: unknown, not limited) kept as many as a window
    allows. Call it inside the transaction that then keeps the drawing, after its lock."""
    if interval > 0 and _recent(conn, drawings.c.session_id == student, now, interval):
        raise TooFast(msg("One label a second: wait a moment, then label it again."))
    if source is None:
        return
    for window in ADDRESS_WINDOWS:
        if _recent(conn, drawings.c.address == source, now, window.seconds) >= window.labels:
            raise TooFast(
                msg(
                    "Too many labels are arriving from your network: wait a few seconds, "
                    "then label it again."
                )
            )


def _recent(conn: Connection, whose: sa.ColumnElement[bool], now: datetime, seconds: float) -> int:
    """How many of these drawings were kept in the `seconds` before `now`."""
    since = now - timedelta(seconds=seconds)
    query = sa.select(sa.func.count()).where(whose, drawings.c.created > since)
    return int(conn.execute(query).scalar_one())
