"""Template helpers of the ris3hub pages: money, language fallbacks."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intword
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

NOTHING = "—"


@register.filter
def money(value) -> str:
    """An amount in euro with grouped digits in the reader's locale: '€ 1,234,567'."""
    if value is None or value == "":
        return NOTHING
    return "€\u00a0" + number_format(Decimal(value).quantize(Decimal(1)), decimal_pos=0, force_grouping=True)


@register.filter
def money_short(value) -> str:
    """A large amount in words in the reader's language: '€ 12.3 million', '€ 12,3 milioni'."""
    if value is None or value == "":
        return NOTHING
    amount = int(Decimal(value))
    if abs(amount) < 1_000_000:
        return money(value)
    return "€\u00a0" + str(intword(amount))


@register.simple_tag
def localised(obj, field: str) -> str:
    """``obj.<field>_it`` for Italian readers where filled, else ``obj.<field>``, else the other one."""
    english = getattr(obj, field, "") or ""
    italian = getattr(obj, f"{field}_it", "") or ""
    if (get_language() or "en").startswith("it"):
        return italian or english
    return english or italian
