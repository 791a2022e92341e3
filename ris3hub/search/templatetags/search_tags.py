from django import template

from ris3hub.search.forms import KIND_NAMES

register = template.Library()


@register.filter
def kind_label(kind: str) -> str:
    """The translated name of a document kind (spinoff -> spin-off)."""
    return str(KIND_NAMES.get(kind, kind))


@register.filter
def km(value) -> str:
    return "" if value is None else f"{round(value):,} km".replace(",", " ")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
