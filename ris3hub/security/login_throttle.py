"""Login throttling with django-axes: a user name tried from one address fails N times, that pair
waits a cool-off (RIS3HUB_LOGIN_FAILURE_LIMIT, RIS3HUB_LOGIN_COOLOFF_MINUTES).

Axes works at ``authenticate()``, so the admin's login and the site login are throttled alike.
"""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' gate, first of AUTHENTICATION_BACKENDS; Django's ModelBackend then checks the password.

    A call to ``authenticate()`` without a request (Django's test client ``login()``, a shell) comes
    from code on the server, not from a visitor: there is no address to count, so it passes through
    to the next backend instead of raising as Axes' own backend does. Every web login hands Django
    its request (LoginView, the admin), so every web login is counted.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict | None = None) -> HttpResponse:
    """The answer to a locked-out login: 429 with Retry-After and a page saying how long to wait."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    context = {
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(seconds / 60),
    }
    response = render(request, "security/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
