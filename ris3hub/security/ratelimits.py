"""Rate limits on the costly pages and the API, counted per signed-in user or per address.

One middleware instead of a decorator on each view, so that a page added later to a group is one
line in the table below and an API endpoint is limited the day it is written. Each group's rate
comes from a declared setting (RIS3HUB_RATE_LIMIT_SEARCH, _MATCHING, _API; "N/s", "N/m", "N/h",
"N/d"); RIS3HUB_RATE_LIMITS=off switches them all off. Counting is django-ratelimit's: fixed
windows in the shared cache (ris3hub.security.caches). Over the limit the answer is 429 with
Retry-After: an HTML page, or the API's error shape {"ok": false, "code": "rate_limited", ...}.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from ris3hub.security import rates
from ris3hub.security.clientip import client_key

# The pages each group limits, by URL name.
PAGES: dict[str, frozenset[str]] = {
    "search": frozenset({"core:search", "search:search"}),
    "matching": frozenset({"search:need", "search:team", "search:partners", "search:call",
                           "search:organisation_calls", "events:marketplace"}),
}
API_NAMESPACE = "api"
API_SEARCH_ROUTE = "api/search/"
API_UNLIMITED_ROUTES = frozenset({"api/search/index"})  # the index's status: cheap, polled by monitors


def groups_of(request: HttpRequest) -> list[str]:
    """The groups whose limits a request counts against (an API search counts as API and search)."""
    match = request.resolver_match
    if match is None:
        return []
    if API_NAMESPACE in match.namespaces:
        if match.route in API_UNLIMITED_ROUTES:
            return ["api"]
        if match.route == API_SEARCH_ROUTE:
            return ["api", "search"]
        if match.route.startswith(API_SEARCH_ROUTE):
            return ["api", "matching"]
        return ["api"]
    return [group for group, names in PAGES.items() if match.view_name in names]


def per_words(seconds: int) -> str:
    """'a minute', in the reader's language, for the page (the API's message stays English)."""
    words = {1: _("a second"), 60: _("a minute"), 3600: _("an hour"), 86400: _("a day")}
    return words.get(seconds) or _("every %(seconds)d seconds") % {"seconds": seconds}


def _key(group: str, request: HttpRequest) -> str:
    return client_key(request)


class RateLimitMiddleware(MiddlewareMixin):
    """Counts each request of a limited group; answers 429 once a group's limit is passed.

    Placed after AuthenticationMiddleware (it counts per user) and runs when the URL is resolved.
    """

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        rates: dict[str, str] = settings.RIS3HUB_RATE_LIMIT_RATES
        for group in groups_of(request):
            usage = get_usage(request, group=group, key=_key, rate=rates[group], increment=True)
            if usage is not None and usage["should_limit"]:
                return self.limited(request, group, usage)
        return None

    @staticmethod
    def limited(request: HttpRequest, group: str, usage: dict) -> HttpResponse:
        limit, seconds = rates.split(settings.RIS3HUB_RATE_LIMIT_RATES[group])
        retry_after = max(1, int(usage.get("time_left") or 1))
        message = (f"too many requests: at most {limit} {group} requests {rates.per(seconds)} for each user "
                   f"or address; try again in {retry_after} s")
        if API_NAMESPACE in request.resolver_match.namespaces:
            from ris3hub.core.errors import error_body

            response: HttpResponse = JsonResponse(error_body("rate_limited", message), status=429)
        else:
            response = render(request, "security/rate_limited.html",
                              {"limit": limit, "per": per_words(seconds), "retry_after": retry_after,
                               "group": group}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
