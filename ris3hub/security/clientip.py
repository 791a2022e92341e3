"""The address a request came from, the same for login throttling (axes) and rate limits.

Behind a reverse proxy (RIS3HUB_BEHIND_PROXY=1) REMOTE_ADDR is the proxy, so the address is the
last entry of X-Forwarded-For: the one our proxy appended. Entries before it were written by the
client and could be anything, so they are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; None when the request has none that parses (a request built in code, as
    Django's test client login() makes, has no REMOTE_ADDR): never a made-up text, which PostgreSQL's
    inet columns (axes' records) would refuse."""
    address = ""
    if getattr(settings, "RIS3HUB_BEHIND_PROXY", False):
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    address = address or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_key(request: HttpRequest) -> str:
    """Whom a rate limit counts: the signed-in user, else the address (an IPv6 /64 counts as one)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    address = client_ip(request) or "unknown"
    if ":" in address:
        address = str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return f"ip:{address}"
