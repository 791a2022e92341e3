"""What a region page shows: hierarchy, typologies, organisations, EU funding, GDP per head, map.

Every figure covers the region and the regions below it: NUTS codes nest by prefix (ITH5 holds
ITH55), so "in ITH5" means a region code starting with ITH5.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from ris3hub.core import charts
from ris3hub.indicators.models import Indicator
from ris3hub.projects.filtersets import participations_in_region
from ris3hub.projects.models import Project
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation

TOP = 20
TYPOLOGIES = (
    ("urban_rural", gettext_lazy("Urban-rural")),
    ("metropolitan", gettext_lazy("Metropolitan")),
    ("coastal", gettext_lazy("Coastal")),
    ("mountain", gettext_lazy("Mountain")),
    ("border", gettext_lazy("Border")),
    ("island", gettext_lazy("Island")),
    ("capital", gettext_lazy("Capital")),
)
GDP_DATASET = "nama_10r_3gdp"


@dataclass(frozen=True)
class Child:
    region: Region
    organisations: int
    eu_contribution: float


@dataclass(frozen=True)
class Typology:
    label: str
    values: list[tuple[str, int]]  # (value, number of NUTS-3 regions); the count is 1 on a NUTS-3 page


@dataclass(frozen=True)
class Series:
    indicator: Indicator
    unit_label: str
    points: list[tuple[int, float]]

    @property
    def latest(self) -> tuple[int, float]:
        return self.points[-1]


def ancestors(region: Region) -> list[Region]:
    """The regions above ``region``, from the country down (codes nest by prefix, one letter a level)."""
    codes = [region.code[:n] for n in range(2, len(region.code))]
    return list(Region.objects.filter(version=region.version, code__in=codes).order_by("level"))


def organisations_in(region: Region):
    return Organisation.objects.filter(region__version=region.version, region__code__startswith=region.code)


def most_active(organisations):
    """Organisations with their number of project participations, most active first."""
    return (organisations.select_related("region").annotate(project_count=Count("participations"))
            .order_by("-project_count", "name"))


def _counts_by_prefix(queryset, code_field, length: int, aggregate) -> dict[str, float]:
    rows = queryset.annotate(prefix=Substr(code_field, 1, length)).values("prefix").annotate(value=aggregate)
    return {row["prefix"]: float(row["value"] or 0) for row in rows}


def children(region: Region) -> list[Child]:
    """The regions one level below, with their organisations and EU funding (their own sub-regions included)."""
    length = len(region.code) + 1
    organisations = _counts_by_prefix(organisations_in(region), "region__code", length, Count("id"))
    funding = _counts_by_prefix(
        participations_in_region(region.code), Coalesce("region__code", "organisation__region__code"), length,
        Sum("eu_contribution"),
    )
    return [
        Child(child, int(organisations.get(child.code, 0)), funding.get(child.code, 0.0))
        for child in region.children.filter(version=region.version).order_by("code")
    ]


def typologies(region: Region) -> list[Typology]:
    """A NUTS-3 region's typologies; for a larger region, how many of its NUTS-3 regions have each value."""
    if region.level == 3:
        nuts3 = [region]
    else:
        nuts3 = list(Region.objects.filter(version=region.version, level=3, code__startswith=region.code))
    result = []
    for field, label in TYPOLOGIES:
        counts = Counter(getattr(r, field) for r in nuts3 if getattr(r, field))
        if counts:
            result.append(Typology(str(label), sorted(counts.items(), key=lambda item: (-item[1], item[0]))))
    return result


def funding(region: Region) -> dict:
    """EU contribution to participants in the region, the projects they took part in, the top projects."""
    participations = participations_in_region(region.code)
    totals = participations.aggregate(eu=Sum("eu_contribution"), participations=Count("id"),
                                      projects=Count("project", distinct=True))
    top = list(participations.values("project").annotate(eu=Sum("eu_contribution"), n=Count("id"))
               .order_by("-eu", "project")[:TOP])
    projects = Project.objects.in_bulk([row["project"] for row in top])
    by_framework = list(participations.values("project__framework")
                        .annotate(eu=Sum("eu_contribution"), projects=Count("project", distinct=True))
                        .order_by("-eu"))
    return {
        "eu_contribution": totals["eu"],
        "participations": totals["participations"],
        "projects": totals["projects"],
        "top_projects": [(projects[row["project"]], row["eu"], row["n"]) for row in top],
        "by_framework": by_framework,
    }


def _gdp_unit_rank(indicator: Indicator) -> int | None:
    """0 for PPS per inhabitant, 1 for euro per inhabitant, None for other units (totals, % of the EU)."""
    unit = (indicator.unit or indicator.code.rpartition("unit=")[2].split(",")[0]).upper()
    if unit.startswith("PPS") and unit.endswith("_HAB"):
        return 0
    if unit == "EUR_HAB":
        return 1
    return None


def gdp_per_head(region: Region) -> Series | None:
    """Eurostat's GDP per inhabitant of the region, in PPS where published, else in euro."""
    ranked = []
    for indicator in Indicator.objects.filter(code__startswith=GDP_DATASET + ":"):
        rank = _gdp_unit_rank(indicator)
        if rank is not None:
            ranked.append((rank, indicator.code, indicator))
    for rank, _code, indicator in sorted(ranked, key=lambda item: item[:2]):
        points = list(indicator.observations.filter(region_code=region.code, value__isnull=False)
                      .order_by("year").values_list("year", "value"))
        if points:
            unit_label = _("PPS per inhabitant") if rank == 0 else _("euro per inhabitant")
            return Series(indicator, unit_label, points)
    return None


def gdp_chart(series: Series) -> dict:
    years, values = zip(*series.points)
    return charts.time_series(list(years), list(values), y_title=series.unit_label)


def region_map(region: Region, region_children: list[Child]) -> dict:
    """The region's children coloured by organisations; a region without children among its siblings."""
    if region_children:
        areas = []
        for child in region_children:
            hover = f"<b>{escape(child.region.name_latn)}</b> ({child.region.code})<br>" + ngettext(
                "%(count)d organisation", "%(count)d organisations", child.organisations
            ) % {"count": child.organisations}
            areas.append(charts.Area(child.region.code, child.region.geometry, child.organisations, hover,
                                     child.region.get_absolute_url()))
        return charts.choropleth(areas, colorbar_title=_("Organisations"))
    neighbours = (Region.objects.filter(parent=region.parent, version=region.version)
                  if region.parent_id else Region.objects.filter(pk=region.pk))
    areas = [
        charts.Area(r.code, r.geometry, 0, f"<b>{escape(r.name_latn)}</b> ({r.code})", r.get_absolute_url())
        for r in neighbours.only("code", "name_latn", "geometry")
    ]
    return charts.choropleth(areas, highlight=region.code)
