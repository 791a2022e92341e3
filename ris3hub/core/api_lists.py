"""List endpoints of the REST API: limit/offset pages as ``{"count": N, "results": [...]}``, and the
django-filter FilterSets the HTML lists use, applied to the API's typed query parameters.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1  # beyond any table here; a larger one would overflow the database's integers


class LimitOffsetPagination(PaginationBase):
    """``?limit=`` (default 50, at most 500) items from ``?offset=``; ``count`` is the total that matched."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"How many results (1-{MAX_LIMIT})")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many results to skip")

    class Output(Schema):
        count: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset: QuerySet | list, pagination: Input, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        start, stop = pagination.offset, pagination.offset + pagination.limit
        return {"count": self._items_count(queryset), "results": queryset[start:stop]}


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def apply_filterset(filterset_class: type, queryset: QuerySet, params: dict[str, Any],
                    aliases: dict[str, str] | None = None) -> QuerySet:
    """``queryset`` filtered by ``filterset_class`` on ``params`` (FilterSet field -> value; None = not given).

    ``aliases`` maps a FilterSet field to the API's name for it (``{"q": "search"}``) so that a
    rejected value is reported under the name the caller used. Invalid values answer 422.
    """
    aliases = aliases or {}
    data = {name: _form_value(value) for name, value in params.items() if value is not None}
    filterset = filterset_class(data=data, queryset=queryset)
    if not filterset.is_valid():
        errors = [
            {"loc": ["query", aliases.get(name, name)], "msg": str(message), "type": "invalid"}
            for name, messages in filterset.errors.items()
            for message in messages
        ]
        raise ValidationError(errors)
    return filterset.qs
