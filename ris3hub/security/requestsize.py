"""Refuse a request whose body is larger than RIS3HUB_MAX_UPLOAD_MB before reading any of it.

Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files, which it streams
to a temporary file whatever their size; this middleware answers 413 from the Content-Length
header instead. A form's own smaller limit (UploadField) answers with a field error.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# Room for a multipart body's boundaries, headers and the form's other fields.
MULTIPART_OVERHEAD = 256 * 1024


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.RIS3HUB_MAX_UPLOAD_BYTES
        if length > limit + MULTIPART_OVERHEAD:
            return self.too_large(request, length, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, length: int, limit: int) -> HttpResponse:
        mb, limit_mb = length / 1024 / 1024, limit / 1024 / 1024
        message = f"the request is {mb:.1f} MB; at most {limit_mb:.0f} MB are accepted"
        if request.path_info.startswith("/api/"):
            return JsonResponse({"ok": False, "code": "too_large", "message": message, "errors": []}, status=413)
        response = render(request, "security/too_large.html", {"size_mb": mb, "limit_mb": limit_mb}, status=413)
        response["Connection"] = "close"  # the body was not read: the connection cannot be reused
        return response
