"""Calls and organisations: the calls that fit an organisation's profile, the organisations that
could answer a call, and the partners that would complete an applicant's consortium."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from ris3hub.projects.models import Call
from ris3hub.registry.models import Organisation
from ris3hub.search.documents import OFFER_KINDS, ORGANISATION_KINDS, call_documents
from ris3hub.search.filters import Filters
from ris3hub.search.indexing import SearchIndex, open_index
from ris3hub.search.matching import Offer, describe, organisation_text
from ris3hub.search.searching import SearchResult, run_search

CANDIDATES = 60  # organisations considered when completing a consortium
NEW_COUNTRY_BONUS = 0.05  # score added for a partner from a country the consortium lacks
NEW_KIND_BONUS = 0.03  # ... and for a kind of organisation it lacks (university, company, ...)


@dataclass
class CallMatch:
    call: Call
    result: SearchResult

    @property
    def is_open(self) -> bool:
        return self.call.deadline is None or self.call.deadline >= date.today()


def calls_for_organisation(organisation: Organisation, top: int = 10, open_only: bool = False,
                           index: SearchIndex | None = None) -> list[CallMatch]:
    """The calls closest to the organisation's profile; with ``open_only``, those whose deadline
    has not passed (and those without a deadline)."""
    index = index or open_index()
    filters = Filters(kinds=("call",), open_on=date.today().isoformat() if open_only else None)
    page = run_search(organisation_text(organisation), filters, top=top, index=index, collapse=False)
    calls = Call.objects.in_bulk([r.pk for r in page.results])
    return [CallMatch(calls[r.pk], r) for r in page.results if r.pk in calls]


def call_text(call: Call) -> str:
    doc = next(call_documents({call.pk}), None)
    return doc.text if doc else call.identifier


def organisations_for_call(call: Call, top: int = 10, region: str = "", index: SearchIndex | None = None,
                           exclude: tuple[int, ...] = ()) -> list[Offer]:
    """The organisations (or their offers) closest to the call's text."""
    index = index or open_index()
    # Organisations and their offers; an offer that matches stands for its organisation.
    allowed = set().union(*(index.table.by_kind.get(k, set()) for k in (*ORGANISATION_KINDS, *OFFER_KINDS)))
    page = run_search(call_text(call), Filters(region=region, exclude_organisations=exclude), top=top, index=index,
                      allowed=allowed)
    return describe(page.results, "", ())


@dataclass
class Consortium:
    applicant: Organisation
    partners: list[Offer]
    countries: list[str]
    kinds: list[str]
    notes: dict[int, list[str]] = field(default_factory=dict)  # partner organisation -> why it was added


def complete_consortium(call: Call, applicant: Organisation, size: int = 3,
                        index: SearchIndex | None = None) -> Consortium:
    """``size`` partners for ``applicant`` on ``call``: the organisations closest to the call, taken
    greedily, each step preferring one that brings a country or a kind of organisation the
    consortium lacks (EU collaborative calls ask for several countries and for research and
    industry together)."""
    if size < 1:
        raise ValueError("a consortium needs at least one partner")
    candidates = [o for o in organisations_for_call(call, top=CANDIDATES, index=index, exclude=(applicant.pk,))
                  if o.organisation_id]
    orgs = Organisation.objects.in_bulk([o.organisation_id for o in candidates] + [applicant.pk])
    countries = {applicant.country} - {""}
    kinds = {applicant.kind}
    chosen: list[Offer] = []
    notes: dict[int, list[str]] = {}
    taken: set[int] = set()
    while len(chosen) < size:
        best, best_value, best_notes = None, None, []
        for offer in candidates:
            if offer.organisation_id in taken:
                continue
            org = orgs[offer.organisation_id]
            value, why = offer.result.score, []
            if org.country and org.country not in countries:
                value += NEW_COUNTRY_BONUS
                why.append(_("brings a new country (%(country)s)") % {"country": org.country})
            if org.kind not in kinds:
                value += NEW_KIND_BONUS
                why.append(_("brings a new kind of partner (%(kind)s)") % {"kind": org.get_kind_display()})
            if best_value is None or value > best_value:
                best, best_value, best_notes = offer, value, why
        if best is None:
            break
        org = orgs[best.organisation_id]
        chosen.append(best)
        taken.add(best.organisation_id)
        notes[best.organisation_id] = best_notes
        countries |= {org.country} - {""}
        kinds.add(org.kind)
    return Consortium(applicant, chosen, sorted(countries), sorted(kinds), notes)
