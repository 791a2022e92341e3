"""Pages: search with facets, describe your need, team builder, partner regions, calls."""

from __future__ import annotations

from datetime import date

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ris3hub.projects.models import Call
from ris3hub.registry.models import Organisation
from ris3hub.search import forms
from ris3hub.search.calls import calls_for_organisation, complete_consortium, organisations_for_call
from ris3hub.search.geo import RegionPlaces
from ris3hub.search.indexing import IndexMissing, open_index
from ris3hub.search.matching import Need, match_need
from ris3hub.search.partners import PartnerError, find_partners, partner_map
from ris3hub.search.searching import run_search
from ris3hub.search.teams import TeamRequest, build_teams
from ris3hub.taxonomy.models import Concept

TOP = 20


class IndexPageMixin:
    """Pages that need the search index say so plainly when none has been built."""

    def index_context(self) -> dict:
        try:
            return {"index": open_index()}
        except IndexMissing as error:
            return {"index_missing": str(error)}


def facet_groups(request, facets: dict) -> list[dict]:
    """Each facet value with its count and the URL that filters by it (or drops the filter)."""
    places = RegionPlaces()
    domains = dict(Concept.objects.filter(pk__in=[v for v, _n in facets.get("domain", [])])
                   .values_list("pk", "label"))
    groups = []
    for name, param, title, labeller in (
        ("kind", "kind", _("Kind"), lambda v: str(forms.KIND_LABELS.get(v, v))),
        ("region", "region", _("Region"), lambda v: f"{places.name(v)} ({v})"),
        ("country", "country", _("Country"), str),
        ("domain", "domain", _("Domain"), lambda v: domains.get(v, str(v))),
        ("is_sme", "sme", _("SME"), lambda v: _("SME") if v else _("not an SME")),
        ("trl", "trl", "TRL", lambda v: f"TRL {v}+"),
    ):
        links = []
        for value, count in facets.get(name, []):
            query: QueryDict = request.GET.copy()
            raw = ("yes" if value else "no") if name == "is_sme" else str(value)
            active = raw in query.getlist(param)
            if active:
                query.setlist(param, [v for v in query.getlist(param) if v != raw])
            elif param == "kind":
                query.appendlist(param, raw)
            else:
                query[param] = raw
            links.append({"label": labeller(value), "count": count, "url": "?" + query.urlencode(), "active": active})
        groups.append({"name": name, "title": title, "links": links})
    return groups


class SearchView(IndexPageMixin, TemplateView):
    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.SearchForm(self.request.GET or None)
        context["form"] = form
        context.update(self.index_context())
        if "index" in context and form.is_valid():
            page = run_search(form.cleaned_data["q"], form.filters(), top=TOP, index=context["index"])
            context["page"] = page
            context["facet_groups"] = facet_groups(self.request, page.facets)
        return context


class NeedView(IndexPageMixin, TemplateView):
    template_name = "search/need.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.NeedForm(self.request.GET or None, initial={"mode": "r2b"})
        context["form"] = form
        context.update(self.index_context())
        if "index" in context and form.is_valid():
            d = form.cleaned_data
            need = Need(d["text"], mode=form.mode_choice(), region=d["region"], organisation=d["organisation"],
                        restrict_region=d["within"])
            context["need"] = need
            context["offers"] = match_need(need, top=TOP, index=context["index"])
        return context


class TeamView(IndexPageMixin, TemplateView):
    template_name = "search/team.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.TeamForm(self.request.GET or None)
        context["form"] = form
        context.update(self.index_context())
        if "index" in context and form.is_valid():
            d = form.cleaned_data
            request = TeamRequest(challenge=d["challenge"], competences=form.competence_list(), regions=d["regions"],
                                  max_size=d["max_size"] or 4)
            context["teams"] = build_teams(request, index=context["index"])
        return context


class PartnersView(TemplateView):
    template_name = "search/partners.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.PartnerForm(self.request.GET or None)
        context["form"] = form
        if form.is_valid():
            d = form.cleaned_data
            try:
                found = find_partners(d["region"], d["priority"], top=15,
                                      countries=[d["country"]] if d["country"] else None)
            except PartnerError as error:
                form.add_error(None, str(error))
            else:
                context["found"] = found
                context["map_figure"] = partner_map(found)
        return context


class CallView(IndexPageMixin, TemplateView):
    """A call: the organisations that could answer it, and partners completing an applicant's consortium."""

    template_name = "search/call.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = get_object_or_404(Call.objects.select_related("programme"), pk=kwargs["pk"])
        context.update(call=call, is_open=call.deadline is None or call.deadline >= date.today())
        context.update(self.index_context())
        if "index" in context:
            context["candidates"] = organisations_for_call(call, top=TOP, index=context["index"])
            applicant_id = self.request.GET.get("applicant", "")
            if applicant_id.isdigit():
                applicant = get_object_or_404(Organisation, pk=int(applicant_id))
                context["consortium"] = complete_consortium(call, applicant, index=context["index"])
        return context


class OrganisationCallsView(IndexPageMixin, TemplateView):
    """The calls that fit an organisation's profile."""

    template_name = "search/organisation_calls.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        open_only = self.request.GET.get("open") == "1"
        context.update(organisation=organisation, open_only=open_only)
        context.update(self.index_context())
        if "index" in context:
            context["matches"] = calls_for_organisation(organisation, top=TOP, open_only=open_only,
                                                        index=context["index"])
        return context
