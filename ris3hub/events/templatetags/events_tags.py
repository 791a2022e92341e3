"""Template helpers of the event pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None when it is not there (dicts keyed by ids in the views)."""
    return mapping.get(key) if mapping else None


@register.filter
def percent(value) -> str:
    """A share in [0, 1] as a percentage with one decimal: 0.0123 -> '1.2%'."""
    if value is None:
        return "—"
    return f"{100 * float(value):.1f}%"
