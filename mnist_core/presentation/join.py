"""How students join: the address to open, and a QR code of it for phone cameras."""

from __future__ import annotations

import io
import ipaddress
import os
import socket
from urllib.parse import urlsplit

import segno

ENV_PUBLIC_URL = "DIGITLAB_PUBLIC_URL"
DEFAULT_PORT = 8501


def join_address(request_url: str | None, machine: list[str] | None = None) -> str:
    """The address students should open.

    $DIGITLAB_PUBLIC_URL when set (behind a proxy or a school's name); else the address this
    page was opened with, unless that is this machine's own loopback name, which no student
    can reach: then this machine's network address with the same port.
    """
    configured = os.environ.get(ENV_PUBLIC_URL, "").strip()
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(request_url or "")
    if parts.hostname and not _is_loopback(parts.hostname):
        return f"{parts.scheme}://{parts.netloc}"
    port = parts.port or DEFAULT_PORT
    reachable = machine if machine is not None else machine_addresses()
    host = reachable[0] if reachable else "localhost"
    return f"http://{host}:{port}"


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, as its own name resolves them."""
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    addresses = dict.fromkeys(info[4][0] for info in found)
    return [a for a in addresses if not _is_loopback(a)]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_png(address: str, scale: int = 10) -> bytes:
    """A QR code of the address, as PNG bytes (black on white, a quiet border)."""
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
