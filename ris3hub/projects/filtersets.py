"""Filters of projects, shared by the HTML list and the REST API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ris3hub.projects.models import Participation, Project


def participations_in_region(code: str):
    """Participations located in region ``code`` or below it (NUTS codes nest by prefix).

    A participation is where its own region says; where the source gave none, where its organisation is.
    """
    code = code.strip().upper()
    return Participation.objects.filter(
        Q(region__code__startswith=code) | Q(region__isnull=True, organisation__region__code__startswith=code)
    )


def framework_choices():
    # order_by() drops the default ordering, which would otherwise make every row distinct.
    values = Project.objects.exclude(framework="").order_by().values_list("framework", flat=True).distinct()
    return [(v, v) for v in sorted(values)]


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    framework = django_filters.ChoiceFilter(choices=framework_choices, label=_("Framework programme"),
                                          empty_label=_("any programme"))
    region = django_filters.CharFilter(method="filter_region", label=_("NUTS region of a participant"))
    organisation = django_filters.NumberFilter(method="filter_organisation", label=_("Organisation id"))
    thematic_priority = django_filters.CharFilter(lookup_expr="icontains", label=_("Thematic priority"))

    class Meta:
        model = Project
        fields = ["q", "framework", "region", "organisation", "thematic_priority"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(acronym__icontains=value) | Q(title__icontains=value) | Q(number=value)
        )

    def filter_region(self, queryset, name, value):
        """Projects with a participant in the region or a region below it (codes nest by prefix)."""
        return queryset.filter(pk__in=participations_in_region(value).values("project_id"))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(
            pk__in=Participation.objects.filter(organisation_id=value).values("project_id")
        )
