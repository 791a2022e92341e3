"""Numbers of the monitoring pages: values with their unit, shares as percentages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

NOTHING = "—"
CURRENCY = {"EUR": "€\u00a0", "€": "€\u00a0"}


@register.filter
def amount(value, unit: str = "") -> str:
    """A value with grouped digits in the reader's locale and its unit: '€ 1,234,567', '12.5 contracts'."""
    if value is None or value == "":
        return NOTHING
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() or abs(number) >= 1000 else 2
    text = number_format(number.quantize(Decimal(1).scaleb(-places)), decimal_pos=places, force_grouping=True)
    unit = (unit or "").strip()
    if unit.upper() in CURRENCY:
        return CURRENCY[unit.upper()] + text
    return f"{text}\u00a0{unit}" if unit else text


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return NOTHING
    return number_format(round(float(value) * 100), decimal_pos=0) + "\u00a0%"


@register.filter
def bar_width(value) -> int:
    """A share as the width of a progress bar, 0 to 100."""
    if value is None:
        return 0
    return max(0, min(100, round(float(value) * 100)))


@register.filter
def field_value(values: dict, name: str):
    return (values or {}).get(name)
