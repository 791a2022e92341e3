from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.generic import DetailView

from ris3hub import conf
from ris3hub.core.caching import cached_fragment
from ris3hub.core.lists import FilteredListView
from ris3hub.regions import profile
from ris3hub.regions.filtersets import RegionFilterSet
from ris3hub.regions.models import Region
from ris3hub.regions.resolve import RegionResolver
from ris3hub.regions.tables import RegionTable, with_organisation_counts


class RegionListView(FilteredListView):
    model = Region
    filterset_class = RegionFilterSet
    table_class = RegionTable
    template_name = "regions/region_list.html"
    dataset = "regions"

    def get_queryset(self):
        return Region.objects.select_related("parent")

    def get_table_data(self):
        return with_organisation_counts(super().get_table_data())


class RegionDetailView(DetailView):
    model = Region
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get(self, request, *args, **kwargs):
        """The region of the NUTS version in use; a code of another version leads to its counterpart."""
        code = kwargs["code"].upper()
        version = conf.nuts_version()
        try:  # get(), unlike first(), adds no ORDER BY: the pair is unique, and this runs on every view
            self.object = Region.objects.select_related("parent").get(version=version, code=code)
        except Region.DoesNotExist:
            if not Region.objects.filter(code=code).exists():
                raise Http404(f"{code} is not a NUTS code")
            try:
                pk = RegionResolver(version).resolve(code)
            except ValueError as error:
                raise Http404(str(error)) from error
            return redirect(Region.objects.get(pk=pk))
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        # The profile shows public data only: rendered once per region, language and data version.
        context["profile"] = cached_fragment(
            "region-profile", (region.pk,),
            lambda: render_to_string("regions/region_profile.html", profile_context(region)),
        )
        return context


def profile_context(region: Region) -> dict:
    """What the profile part of a region page shows (the same for every visitor)."""
    children = profile.children(region)
    organisations = profile.organisations_in(region)
    gdp = profile.gdp_per_head(region)
    return {
        "region": region,
        "ancestors": profile.ancestors(region),
        "children": children,
        "typologies": profile.typologies(region),
        "organisation_count": organisations.count(),
        "organisations": profile.most_active(organisations)[:profile.TOP],
        "funding": profile.funding(region),
        "gdp": gdp,
        "gdp_figure": profile.gdp_chart(gdp) if gdp else None,
        "map_figure": profile.region_map(region, children),
    }
