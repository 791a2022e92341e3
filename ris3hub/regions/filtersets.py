"""Filters of NUTS regions, shared by the HTML list and the REST API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ris3hub import conf
from ris3hub.regions.models import NUTS_VERSIONS, Region


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.CharFilter(method="filter_country", label=_("Country"))
    level = django_filters.ChoiceFilter(
        choices=[(n, str(n)) for n in range(4)], label=_("Level"), empty_label=_("any level")
    )
    version = django_filters.ChoiceFilter(
        choices=[(v, str(v)) for v in NUTS_VERSIONS], label=_("NUTS version"), empty_label=None,
        method="filter_version",
    )

    class Meta:
        model = Region
        fields = ["q", "country", "level", "version"]

    def __init__(self, data=None, *args, **kwargs):
        # The version in use unless another one is asked for; an empty value means the default too.
        data = data.copy() if data is not None else {}
        if not data.get("version"):
            data["version"] = str(conf.nuts_version())
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(code__istartswith=value) | Q(name_latn__icontains=value) | Q(name__icontains=value)
        )

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())

    def filter_version(self, queryset, name, value):
        return queryset.filter(version=int(value))
