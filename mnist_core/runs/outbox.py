"""The training process's side of the pipe to the server: bounded, whatever the server does.

Training must not wait for the server, and must not pile up what the server has not read
yet: a weight snapshot can be 80 MB and comes every second. So a sender thread writes to
the pipe while training goes on; events wait in a short line (training waits if it is
full), and only the newest snapshot waits at all: an older one not yet sent is dropped.
"""

from __future__ import annotations

import threading
from collections import deque
from multiprocessing.connection import Connection

from .events import WeightsSnapshot

MAX_WAITING_EVENTS = 1000  # a few hundred kilobytes of events at most


class Outbox:
    """Messages for the server, sent in order, except snapshots, where the newest wins."""

    def __init__(self, connection: Connection, max_waiting: int = MAX_WAITING_EVENTS) -> None:
        self._connection = connection
        self._max_waiting = max_waiting
        self._changed = threading.Condition()
        self._events: deque[object] = deque()
        self._snapshot: WeightsSnapshot | None = None
        self._last: object | None = None  # sent after everything else
        self._closing = False
        self._broken = False  # the server has gone: nothing more can be sent
        self._sender = threading.Thread(target=self._send_all, daemon=True, name="outbox")
        self._sender.start()

    def put(self, message: object) -> None:
        """Queue a message; waits only when the line of events is full."""
        with self._changed:
            if isinstance(message, WeightsSnapshot):
                self._snapshot = message
            else:
                self._changed.wait_for(
                    lambda: len(self._events) < self._max_waiting or self._broken
                )
                self._events.append(message)
            self._changed.notify_all()

    def close(self, last: object | None = None) -> None:
        """Send everything waiting, then `last`; returns once it is all written."""
        with self._changed:
            self._last = last
            self._closing = True
            self._changed.notify_all()
        self._sender.join()
        self._connection.close()

    def _send_all(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._events or self._snapshot is not None or self._closing
                )
                if self._events:
                    message = self._events.popleft()
                elif self._snapshot is not None:
                    message, self._snapshot = self._snapshot, None
                elif self._last is not None:
                    message, self._last = self._last, None
                else:
                    return  # closing, and nothing is left to send
                self._changed.notify_all()
            try:
                self._connection.send(message)
            except OSError:  # the server has gone; the process ends with it (process.py)
                with self._changed:
                    self._broken = True
                    self._changed.notify_all()
                return
