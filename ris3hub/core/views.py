"""Home, search and about pages."""

from __future__ import annotations

from django.db.models import Count, Q, Sum, Window
from django.db.models.functions import Coalesce, Substr
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from ris3hub import conf
from ris3hub.core import charts
from ris3hub.core.caching import cached_fragment
from ris3hub.core.templatetags.ris3hub_tags import money_short
from ris3hub.projects.filtersets import ProjectFilterSet
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.filtersets import RegionFilterSet
from ris3hub.regions.models import Region
from ris3hub.registry.filtersets import OrganisationFilterSet
from ris3hub.registry.models import Organisation

MAP_METRICS = ("organisations", "funding")
SEARCH_LIMIT = 10


def nuts2_map(version: int, metric: str) -> dict:
    """Choropleth of the NUTS-2 regions: organisations located there, or EU funding of their participations."""
    if metric == "funding":
        # Where the participation says, else where its organisation is (as on the region pages).
        rows = (Participation.objects
                .filter(Q(region__version=version) | Q(region__isnull=True, organisation__region__version=version))
                .annotate(nuts2=Substr(Coalesce("region__code", "organisation__region__code"), 1, 4))
                .values("nuts2").annotate(value=Sum("eu_contribution")))
    else:
        rows = (Organisation.objects.filter(region__version=version, region__level__gte=2)
                .annotate(nuts2=Substr("region__code", 1, 4)).values("nuts2").annotate(value=Count("id")))
    values = {row["nuts2"]: float(row["value"] or 0) for row in rows}
    areas = []
    for region in Region.objects.filter(version=version, level=2).only("code", "name_latn", "geometry"):
        value = values.get(region.code, 0.0)
        if metric == "funding":
            amount = money_short(value)
            hover = f"<b>{escape(region.name_latn)}</b> ({region.code})<br>{_('EU contribution')}: {amount}"
        else:
            count = int(value)
            hover = f"<b>{escape(region.name_latn)}</b> ({region.code})<br>" + ngettext(
                "%(count)d organisation", "%(count)d organisations", count) % {"count": count}
        areas.append(charts.Area(region.code, region.geometry, value, hover, region.get_absolute_url()))
    title = _("EU contribution (€)") if metric == "funding" else _("Organisations")
    tickformat = "~s" if metric == "funding" else "d"
    return charts.choropleth(areas, colorbar_title=title, height=560, tickformat=tickformat)


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = conf.nuts_version()
        metric = self.request.GET.get("map")
        metric = metric if metric in MAP_METRICS else MAP_METRICS[0]
        # Key figures and the map: public data, rendered once per map, language and data version.
        context["figures"] = cached_fragment(
            "home", (version, metric),
            lambda: render_to_string("core/home_figures.html", home_figures(version, metric)),
        )
        return context


def home_figures(version: int, metric: str) -> dict:
    return {
        "metric": metric,
        "version": version,
        "organisation_count": Organisation.objects.count(),
        "project_count": Project.objects.count(),
        "region_count": Region.objects.filter(version=version).count(),
        "eu_funding": Project.objects.aggregate(total=Sum("eu_contribution"))["total"],
        "map_figure": nuts2_map(version, metric),
    }


class SearchView(TemplateView):
    """Organisations, projects and regions whose names match ``q``: the first few of each."""

    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        context["q"] = q
        if q:
            # The results are public data: rendered once per query, language and data version.
            context["results"] = cached_fragment(
                "search", (q,), lambda: render_to_string("core/search_results.html", search_results(q)))
        return context


def search_results(q: str) -> dict:
    """The first few organisations, projects and regions matching ``q``, and how many match."""
    context = {"q": q}
    sections = (
        ("organisations", OrganisationFilterSet,
         Organisation.objects.select_related("region").annotate(project_count=Count("participations"))
         .order_by("-project_count", "name")),
        ("projects", ProjectFilterSet, Project.objects.all()),
        ("regions", RegionFilterSet, Region.objects.order_by("level", "code")),
    )
    for name, filterset_class, queryset in sections:
        # One scan a section: the first rows carry the number of matches (COUNT(*) OVER ()).
        results = filterset_class({"q": q}, queryset=queryset).qs.annotate(matches=Window(Count("*")))
        context[name] = list(results[:SEARCH_LIMIT])
        context[f"{name}_count"] = context[name][0].matches if context[name] else 0
    return context


class AboutView(TemplateView):
    template_name = "core/about.html"
