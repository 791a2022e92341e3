import django_tables2 as tables
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ris3hub.core.tables import BaseTable
from ris3hub.registry.models import Organisation


def with_organisation_counts(queryset):
    """Regions annotated with the organisations located in them or below them (codes nest by prefix)."""
    counts = (Organisation.objects.filter(region__version=OuterRef("version"),
                                          region__code__startswith=OuterRef("code"))
              .order_by().values("region__version").annotate(n=Count("id")).values("n"))
    return queryset.annotate(organisation_count=Coalesce(Subquery(counts), 0))


class RegionTable(BaseTable):
    code = tables.Column(linkify=True, verbose_name=_("Code"))
    name_latn = tables.Column(linkify=True, verbose_name=_("Name"))
    name = tables.Column(verbose_name=_("National name"))
    level = tables.Column(verbose_name=_("Level"))
    country = tables.Column(verbose_name=_("Country"))
    parent = tables.Column(linkify=True, verbose_name=_("Part of"), order_by=("parent__code",))
    organisation_count = tables.Column(verbose_name=_("Organisations"), orderable=False,
                                       attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(BaseTable.Meta):
        fields = ("code", "name_latn", "name", "level", "country", "parent", "organisation_count")
        order_by = ("code",)
