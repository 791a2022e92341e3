"""Filters of organisations, shared by the HTML list and the REST API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ris3hub.registry.models import Organisation, OrganisationKind
from ris3hub.registry.names import normalise_name


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"), empty_label=_("any kind"))
    country = django_filters.CharFilter(method="filter_country", label=_("Country"))
    region = django_filters.CharFilter(method="filter_region", label=_("NUTS region"))
    is_sme = django_filters.ChoiceFilter(choices=[("true", _("yes")), ("false", _("no"))], method="filter_sme",
                                         label=_("SME"), empty_label=_("any"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "country", "region", "is_sme"]

    def search(self, queryset, name, value):
        """Name, short name, city, PIC or VAT containing the words of ``value``, every word.

        Names are also compared without accents and punctuation ("universita" finds "Università").
        """
        for word in value.split():
            condition = (Q(name__icontains=word) | Q(short_name__icontains=word) | Q(city__icontains=word)
                         | Q(pic=word) | Q(vat__iexact=word))
            plain = normalise_name(word)
            if plain:
                condition |= Q(normalised_name__contains=plain)
            queryset = queryset.filter(condition)
        return queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.strip().upper())

    def filter_sme(self, queryset, name, value):
        return queryset.filter(is_sme=(value == "true"))

    def filter_region(self, queryset, name, value):
        """The region and every region below it: NUTS codes nest by prefix (ITH5 holds ITH55)."""
        return queryset.filter(region__code__startswith=value.strip().upper())
