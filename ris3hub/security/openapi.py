"""The answers every API endpoint may give on top of its own, written into the OpenAPI schema:
429 past a rate limit (ris3hub.security.ratelimits) and, for requests with a body, 413 past
RIS3HUB_MAX_UPLOAD_MB (ris3hub.security.requestsize). Both in the API's one error shape."""

from __future__ import annotations

from typing import Any

BODY_METHODS = {"post", "put", "patch"}
METHODS = BODY_METHODS | {"get", "delete", "head", "options"}
INLINE_ERROR = {
    "type": "object",
    "required": ["ok", "code", "message", "errors"],
    "properties": {"ok": {"type": "boolean", "enum": [False]}, "code": {"type": "string"},
                   "message": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object"}}},
}


def document_limits(schema: dict[str, Any]) -> dict[str, Any]:
    error = ({"$ref": "#/components/schemas/ErrorOut"}
             if "ErrorOut" in schema.get("components", {}).get("schemas", {}) else INLINE_ERROR)
    content = {"application/json": {"schema": error}}
    limited = {
        "description": "Too many requests from this user or address (code rate_limited); Retry-After says "
                       "how many seconds to wait",
        "headers": {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
        "content": content,
    }
    too_large = {"description": "The request body is larger than the server accepts (code too_large)",
                 "content": content}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            responses.setdefault(429, limited)
            if method in BODY_METHODS:
                responses.setdefault(413, too_large)
    return schema
