"""Base of the list pages' tables."""

from __future__ import annotations

import django_tables2 as tables

from ris3hub.core.templatetags.ris3hub_tags import money


class BaseTable(tables.Table):
    class Meta:
        template_name = "ris3hub/table.html"
        attrs = {"class": "data-table"}


class MoneyColumn(tables.Column):
    """An amount in euro, right-aligned, grouped in the reader's locale."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return money(value)
