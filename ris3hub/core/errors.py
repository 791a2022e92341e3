"""The one shape of every REST API error, and the NinjaAPI exception handlers that produce it.

Every error the API answers, whatever raised it, is::

    {"ok": false, "code": "not_found", "message": "no region ITX9 in NUTS 2021", "errors": []}

``code`` is a stable machine-readable word (see ``CODES``), ``message`` a sentence for a person,
``errors`` the individual problems of a request that did not validate (422), each with where it
is (``loc``, e.g. ``["query", "limit"]``), what is wrong (``message``) and the kind of check that
failed (``type``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

logger = logging.getLogger("ris3hub.api")

# HTTP status -> the error code the API answers with it.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}


class ErrorDetail(Schema):
    loc: list[str | int]
    message: str
    type: str


class ErrorOut(Schema):
    ok: Literal[False] = False
    code: str
    message: str
    errors: list[ErrorDetail] = []


class ApiError(HttpError):
    """An error a view raises on purpose, with its status, code, message and optional details."""

    def __init__(self, status_code: int, message: str, *, code: str | None = None,
                 errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(status_code, message)
        self.code = code or CODES.get(status_code, "error")
        self.errors = errors or []


def error_body(code: str, message: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"ok": False, "code": code, "message": message, "errors": errors or []}


def _detail(error: dict[str, Any]) -> dict[str, Any]:
    """A pydantic / ninja validation error as an ``ErrorDetail``."""
    return {
        "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
        "message": str(error.get("msg", error.get("message", "invalid value"))),
        "type": str(error.get("type", "invalid")),
    }


def _validation_message(details: list[dict[str, Any]]) -> str:
    parts = []
    for d in details:
        where = ".".join(str(p) for p in d["loc"][1:]) or ".".join(str(p) for p in d["loc"])
        parts.append(f"{where}: {d['message']}" if where else d["message"])
    return "invalid request: " + "; ".join(parts) if parts else "invalid request"


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer with ``ErrorOut`` (replaces django-ninja's defaults)."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [_detail(e) for e in exc.errors]
        return respond(request, 422, error_body("invalid", _validation_message(details), details))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", str(exc) or "not found"))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            body = error_body(exc.code, exc.message, [_detail(e) for e in exc.errors])
        else:
            body = error_body(CODES.get(exc.status_code, "error"), exc.message)
        return respond(request, exc.status_code, body)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback (Django's error emails and logs see it), answered in the one shape.
        logger.exception("API error on %s %s", request.method, request.get_full_path())
        message = f"internal error: {type(exc).__name__}: {exc}" if settings.DEBUG else "internal server error"
        return respond(request, 500, error_body("server_error", message))

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Exception, on_unexpected)


def method_not_allowed_as_error(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` answering a 405 in the error shape (django-ninja answers it as plain text, past its handlers)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        body = error_body("method_not_allowed", f"{request.method} is not allowed on {request.path}; use {allowed}")
        answer = JsonResponse(body, status=405)
        answer["Allow"] = allowed
        return answer

    return wrapped


# Error responses to declare on operations, so the OpenAPI schema documents them.
NOT_FOUND = {404: ErrorOut, 422: ErrorOut}
INVALID = {422: ErrorOut}
