"""How the REST API knows who calls it: an API token (``Authorization: Bearer <token>``) or the site's
session (the browser; writes then need the CSRF token of the ``csrftoken`` cookie in ``X-CSRFToken``).

* ``SIGNED_IN``: ``auth=`` of the operations that need a user. Anonymous calls answer 401, a
  revoked, expired or unknown token 401 too, each in the API's error shape with the reason.
* ``require_scope(request, scope)``: a token without ``scope`` answers 403 (code
  ``insufficient_scope``); a session may do what its user may do.
* ``check_bearer_token(view)``: wraps every API view (ris3hub/api.py), so that a request with a
  token that is not valid answers 401 wherever it goes, public data included.
* ``api_user(request)``: on public operations that show more to some users (a draft to its
  managers, a practice's restricted fields to signed-in users), the user whose non-public data may
  be shown: the token's user when the token has the ``read`` scope, otherwise the session's user.

What a user may do to an object is asked of the same functions the pages ask
(``ris3hub/<app>/permissions.py`` and ``ris3hub.accounts.roles``).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.urls import reverse
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ris3hub.core.errors import ApiError, ErrorOut, error_body
from ris3hub.tokens.actions import find_token, note_use
from ris3hub.tokens.models import ApiToken, Scope

_TOKEN = "_ris3hub_api_token"
_NOT_SENT = object()


def _bearer_secret(request) -> str | None:
    """The secret of an ``Authorization: Bearer ...`` header; None when the header is absent or another scheme."""
    value = request.headers.get("Authorization", "")
    scheme, _, secret = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


def token_of(request) -> ApiToken | None:
    """The valid API token the request carries, or None when it carries none.

    A token that is unknown, revoked, expired or of a disabled account raises a 401 ``ApiError``
    saying which: a client that sends a token means to use it, so it is never silently ignored.
    """
    cached = getattr(request, _TOKEN, _NOT_SENT)
    if cached is not _NOT_SENT:
        return cached
    secret = _bearer_secret(request)
    token = None
    if secret is not None:
        token = find_token(secret) if secret else None
        if token is None:
            raise ApiError(401, "the API token is not valid: check that the whole secret was copied "
                                "(it starts with r3h_), or create a new one at " + reverse("tokens:list"),
                           code="invalid_token")
        refusal = token.refusal()
        if refusal:
            raise ApiError(401, refusal, code="invalid_token")
        note_use(token)
        request.user = token.user
    setattr(request, _TOKEN, token)
    return token


class BearerToken(HttpBearer):
    """``Authorization: Bearer r3h_...``: a token created at /tokens/ or with `ris3hub token create`."""

    openapi_description = "An API token (created at /tokens/ or with `ris3hub token create`), limited to its scopes"

    def authenticate(self, request, token):
        found = token_of(request)
        return found.user if found else None


class SessionCookie(APIKeyCookie):
    """The site's session cookie (sign in at the site first); writes need the CSRF token in ``X-CSRFToken``."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # Only a signed-in session is checked for CSRF: an anonymous call is told to sign in (401), not 403.
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, "CSRF check failed: send the value of the csrftoken cookie in the X-CSRFToken "
                                "header, or call the API with a token (Authorization: Bearer <token>)",
                           code="csrf_failed")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        return request.user if request.user.is_authenticated and request.user.is_active else None


def _refuse_anonymous(request):
    """The last of ``SIGNED_IN``: the caller brought neither a token nor a session."""
    raise ApiError(401, "sign in on the site, or send an API token as 'Authorization: Bearer <token>' "
                        f"(create one at {reverse('tokens:list')})", code="unauthorized")


# A token first: a program that sends one is that token's user even if it also sends a session cookie.
SIGNED_IN = [BearerToken(), SessionCookie(), _refuse_anonymous]
# Responses to declare on operations that take SIGNED_IN and check scopes and permissions.
AUTH_ERRORS = {401: ErrorOut, 403: ErrorOut}


def require_scope(request, scope: str) -> None:
    """403 when the request's API token lacks ``scope``; a session (or no token) passes."""
    if scope not in Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    token = token_of(request)
    if token is not None and not token.has_scope(scope):
        raise ApiError(403, f"the API token {token.prefix}… has the scope(s) {', '.join(token.scopes)}; "
                            f"this needs the '{scope}' scope: create a token with it at {reverse('tokens:list')}",
                       code="insufficient_scope")


def check_bearer_token(view):
    """``view`` refusing (401, in the API's error shape) a request whose API token is not valid, whatever
    the endpoint: a client whose token was revoked learns it on its first call, public data included."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            token_of(request)
        except ApiError as error:
            return JsonResponse(error_body(error.code, error.message), status=error.status_code)
        return view(request, *args, **kwargs)

    return wrapped


def api_user(request):
    """The user whose non-public data a public operation may show (see the module's docstring)."""
    token = token_of(request)
    if token is None:
        return request.user
    return token.user if token.has_scope(Scope.READ) else AnonymousUser()
