"""Refuse a query string that carries a NUL character, naming the parameter.

No text a person types holds NUL, and PostgreSQL refuses it in any text value: a search or filter
with one would reach the database and fail there as a server error. Forms already refuse it
(Django's ProhibitNullCharactersValidator); query parameters feed filters directly, so they are
checked here, once for every page and API operation. The check costs a substring test on the
raw query string unless a NUL is actually there.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ris3hub.core.errors import error_body


class NulByteQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:
            names = [name for name, values in request.GET.lists()
                     if "\x00" in name or any("\x00" in value for value in values)]
            if names:
                return self.refused(request, names)
        return self.get_response(request)

    @staticmethod
    def refused(request: HttpRequest, names: list[str]) -> HttpResponse:
        shown = [name.replace("\x00", "\\0") for name in names]
        message = f"query parameter {', '.join(shown)}: contains a NUL character (\\0), which no text may hold"
        if request.path_info.startswith("/api/"):
            errors = [{"loc": ["query", name], "message": "contains a NUL character", "type": "nul_character"}
                      for name in shown]
            return JsonResponse(error_body("invalid", message, errors), status=422)
        return render(request, "security/bad_query.html", {"parameters": shown}, status=400)
