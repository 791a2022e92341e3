from django.db.models import Case, Count, F, Sum, When
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils.html import escape
from django.utils.translation import ngettext
from django.views.generic import DetailView

from ris3hub.core import charts
from ris3hub.core.lists import FilteredListView
from ris3hub.projects.filtersets import ProjectFilterSet
from ris3hub.projects.models import Project
from ris3hub.projects.tables import ProjectTable
from ris3hub.regions.models import Region


class ProjectListView(FilteredListView):
    model = Project
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    template_name = "projects/project_list.html"
    dataset = "projects"


def participant_map(project: Project) -> dict | None:
    """The NUTS-2 regions of the project's participants, coloured by how many take part from each."""
    rows = (project.participations.filter(region__isnull=False, region__level__gte=2)
            .annotate(nuts2=Substr("region__code", 1, 4)).values("region__version", "nuts2")
            .annotate(n=Count("id")))
    counts = {(row["region__version"], row["nuts2"]): row["n"] for row in rows}
    if len(counts) < 2:  # one region alone says nothing a table does not
        return None
    areas = []
    for version in {version for version, _code in counts}:
        codes = [code for v, code in counts if v == version]
        for region in Region.objects.filter(version=version, code__in=codes).only("code", "name_latn", "geometry"):
            n = counts[(version, region.code)]
            hover = f"<b>{escape(region.name_latn)}</b> ({region.code})<br>" + ngettext(
                "%(count)d participant", "%(count)d participants", n) % {"count": n}
            areas.append(charts.Area(region.code, region.geometry, n, hover, region.get_absolute_url()))
    return charts.choropleth(areas, colorbar_title="", height=420) if areas else None


class ProjectDetailView(DetailView):
    model = Project
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return get_object_or_404(Project.objects.select_related("programme", "call"), number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        participations = (project.participations.select_related("organisation", "region")
                          .annotate(coordinator_first=Case(When(role="coordinator", then=0), default=1))
                          .order_by("coordinator_first", F("eu_contribution").desc(nulls_last=True),
                                    "organisation__name"))
        context.update(
            participations=participations,
            participation_totals=participations.aggregate(eu=Sum("eu_contribution"), n=Count("id")),
            concepts=project.concepts.select_related("scheme").order_by("scheme__code", "label"),
            map_figure=participant_map(project),
        )
        return context
