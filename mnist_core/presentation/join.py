"""How students join: the address to open, and a QR code of it for phone cameras."""

from __future__ import annotations

import contextlib
import io
import ipaddress
import os
import socket
from socket import AF_INET
from urllib.parse import urlencode, urlsplit

import segno

ENV_PUBLIC_URL = "DIGITLAB_PUBLIC_URL"
DEFAULT_PORT = 8501


def join_addresses(request_url: str | None, machine: list[str] | None = None) -> list[str]:
    """The addresses students can open, the likeliest first (the page shows the first large
    and as a QR code, and lists the others).

    $DIGITLAB_PUBLIC_URL when set (behind a proxy or a school's name); else the address this
    page was opened with, unless that is a loopback name no phone can reach: then this
    machine's network addresses with the same port.
    """
    configured = os.environ.get(ENV_PUBLIC_URL, "").strip()
    if configured:
        return [configured.rstrip("/")]
    parts = urlsplit(request_url or "")
    if parts.hostname and not _is_loopback(parts.hostname):
        return [f"{parts.scheme}://{parts.netloc}"]
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:  # a port out of range: no browser sends one
        port = DEFAULT_PORT
    reachable = machine if machine is not None else machine_addresses()
    return [f"http://{host}:{port}" for host in reachable or ["localhost"]]


def with_language(address: str, tag: str) -> str:
    """The address with the class's language (`?lang=de`), so every phone that opens it,
    by hand or by the QR code, opens in the class's language; unchanged for none."""
    return f"{address}/?{urlencode({'lang': tag})}" if tag else address


def join_address(request_url: str | None, machine: list[str] | None = None) -> str:
    """The one address to show first: see join_addresses."""
    return join_addresses(request_url, machine)[0]


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback, the likeliest first.

    First the address it would use to reach the network, as Streamlit finds its "Network
    URL": the local end of a UDP socket connected outwards (connecting sends no packet).
    Then the others its own name resolves to. A hostname that resolves to 127.0.1.1 (as
    Debian and Ubuntu write into /etc/hosts) adds nothing, but does not hide the first.
    """
    found = [_route_address()]
    with contextlib.suppress(OSError):
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, AF_INET)]
    return [a for a in dict.fromkeys(found) if a and not _is_loopback(a)]


def _route_address() -> str | None:
    with socket.socket(AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("8.8.8.8", 80))  # a UDP "connect" only picks a route
            return probe.getsockname()[0]
        except OSError:  # no network at all
            return None


def _is_loopback(host: str) -> bool:
    """A name no phone can reach: this machine's own (localhost, 127.x, ::1), or the
    "any address" 0.0.0.0 or :: that a server set to listen everywhere is opened by."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def qr_png(address: str, scale: int = 10) -> bytes:
    """A QR code of the address, as PNG bytes (black on white, a quiet border)."""
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
