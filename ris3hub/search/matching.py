"""Matchmaking: a need to the offers that answer it, with reasons a person can check.

Modes (which offers a need is matched against):

- ``r2b`` research to business: laboratories, technopoles, spin-offs, universities, research
  organisations, innovation centres and hubs, their competences, equipment and services, and the
  funded research projects (whose participants hold the results);
- ``b2b`` business to business: companies and what they offer;
- ``f2b`` finance to business: an investor's interests against the start-ups and spin-offs whose
  "looking for" asks for investors or finance.

Every offer comes with its reasons: the passage of the offer that matched, the domains it shares
with the need (the asking organisation's domains, those chosen, or those whose labels are closest
to the need's text), its region and its distance in km from the need's region (between the
regions' label points).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from ris3hub.registry.models import Organisation, OrganisationKind
from ris3hub.search.documents import OFFER_KINDS, ORGANISATION_KINDS, is_looking_for, organisation_documents
from ris3hub.search.filters import Filters
from ris3hub.search.geo import RegionPlaces
from ris3hub.search.indexing import SearchIndex, open_index
from ris3hub.search.searching import SearchResult, run_search
from ris3hub.taxonomy.models import Concept

MODES = {
    "r2b": "research to business",
    "b2b": "business to business",
    "f2b": "finance to business",
}
RESEARCH_KINDS = (OrganisationKind.UNIVERSITY, OrganisationKind.RESEARCH, OrganisationKind.LABORATORY,
                  OrganisationKind.TECHNOPOLE, OrganisationKind.INNOVATION_CENTRE, OrganisationKind.DIH,
                  OrganisationKind.LIVING_LAB, OrganisationKind.SPINOFF)
SEEKS_FINANCE = re.compile(r"invest|capital|financ|funding|seed|venture|finanz|business angel", re.IGNORECASE)
DOMAIN_THRESHOLD = 0.35  # cosine of a domain label to the need's text for the domain to count
INFERRED_DOMAINS = 5


@dataclass
class Need:
    """What is looked for, and who looks: their region and domains make the reasons."""

    text: str
    mode: str = "r2b"
    region: str = ""  # NUTS code of the one in need
    domains: tuple[int, ...] = ()
    organisation: Organisation | None = None
    restrict_region: str = ""  # offers only from this region (and below)

    def __post_init__(self):
        self.text = (self.text or "").strip()
        if not self.text:
            raise ValueError("describe the need: the text is empty")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not '{self.mode}'")
        if self.organisation is not None:
            self.region = self.region or (self.organisation.region.code if self.organisation.region_id else "")
            self.domains = self.domains or tuple(self.organisation.domains.values_list("pk", flat=True))


@dataclass
class Offer:
    result: SearchResult
    organisation_id: int | None
    organisation_name: str
    shared_domains: list[str] = field(default_factory=list)
    region: str = ""
    region_name: str = ""
    distance_km: float | None = None
    looking_for: str = ""

    @property
    def reasons(self) -> list[str]:
        lines = []
        if self.result.passage:
            lines.append(_("Matching passage: “%(passage)s”") % {"passage": self.result.passage})
        if self.shared_domains:
            lines.append(_("Shared domains: %(domains)s") % {"domains": ", ".join(self.shared_domains)})
        if self.region_name:
            where = f"{self.region_name} ({self.region})"
            if self.distance_km is not None:
                lines.append(_("%(where)s, %(km)d km away") % {"where": where, "km": round(self.distance_km)})
            else:
                lines.append(where)
        if self.looking_for:
            lines.append(_("Looking for: %(what)s") % {"what": self.looking_for})
        return lines

    def as_json(self) -> dict:
        return {**self.result.as_json(), "organisation": self.organisation_id, "reasons": self.reasons,
                "shared_domains": self.shared_domains, "region": self.region,
                "distance_km": None if self.distance_km is None else round(self.distance_km, 1)}


def offer_ids(index: SearchIndex, mode: str) -> set[str]:
    """The documents a mode matches a need against."""
    table = index.table
    organisations_and_offers = set().union(*(table.by_kind.get(k, set()) for k in (*ORGANISATION_KINDS, *OFFER_KINDS)))
    if mode == "r2b":
        research = set().union(*(table.by_org_kind.get(str(k), set()) for k in RESEARCH_KINDS))
        named = set().union(*(table.by_kind.get(k, set()) for k in ("laboratory", "technopole", "spinoff", "project")))
        return (research & organisations_and_offers) | named
    if mode == "b2b":
        return table.by_org_kind.get(str(OrganisationKind.COMPANY), set()) & organisations_and_offers
    seekers = Organisation.objects.filter(looking_for__iregex=SEEKS_FINANCE.pattern).values_list("pk", flat=True)
    startups = table.by_kind.get("spinoff", set()) | (
        table.by_org_kind.get(str(OrganisationKind.SPINOFF), set()) & organisations_and_offers)
    with_finance = set().union(*(table.by_organisation.get(pk, set()) for pk in seekers))
    return startups & with_finance


class DomainGuesser:
    """The domains whose labels are closest to a text in the encoder's space (labels encoded once)."""

    def __init__(self, index: SearchIndex):
        self.ids = sorted(index.table.by_domain)
        labels = dict(Concept.objects.filter(pk__in=self.ids).values_list("pk", "label"))
        self.ids = [i for i in self.ids if i in labels]
        self.labels = [labels[i] for i in self.ids]
        self.encoder = index.encoder
        self.matrix = self.encoder.encode(self.labels) if self.labels else np.zeros((0, 1))

    def guess(self, text: str, top: int = INFERRED_DOMAINS, threshold: float = DOMAIN_THRESHOLD) -> tuple[int, ...]:
        if not self.ids:
            return ()
        cosines = self.matrix @ self.encoder.encode([text])[0]
        best = np.argsort(-cosines)[:top]
        return tuple(self.ids[i] for i in best if cosines[i] >= threshold)


_guessers: dict[tuple[str, int], DomainGuesser] = {}


def _guesser(index: SearchIndex) -> DomainGuesser:
    key = (str(index.folder), index.version)
    if key not in _guessers:
        _guessers.clear()
        _guessers[key] = DomainGuesser(index)
    return _guessers[key]


def _labels(ids: set[int]) -> dict[int, str]:
    return dict(Concept.objects.filter(pk__in=ids).values_list("pk", "label")) if ids else {}


def _nearest(places: RegionPlaces, origin: str, regions: tuple[str, ...]) -> str:
    """Of an offer's regions (a project has its participants'), the most specific one nearest to
    ``origin``; the first when there is no origin."""
    if not regions:
        return ""
    deepest = max(len(code) for code in regions)
    candidates = [code for code in regions if len(code) == deepest]
    if not origin:
        return candidates[0]
    return min(candidates, key=lambda code: (places.distance_km(origin, code) is None,
                                             places.distance_km(origin, code) or 0.0))


def describe(results: list[SearchResult], need_region: str, need_domains: tuple[int, ...]) -> list[Offer]:
    """Search results as offers with their reasons."""
    places = RegionPlaces()
    labels = _labels(set(need_domains))
    orgs = {o["pk"]: o for o in Organisation.objects.filter(
        pk__in={r.facets.organisation for r in results if r.facets.organisation}).values("pk", "name", "looking_for")}
    offers = []
    for r in results:
        org = orgs.get(r.facets.organisation) if r.facets.organisation else None
        region = _nearest(places, need_region, r.facets.regions)
        offers.append(Offer(
            result=r, organisation_id=org["pk"] if org else None, organisation_name=org["name"] if org else "",
            shared_domains=[labels[d] for d in need_domains if d in set(r.facets.domains)],
            region=region, region_name=places.name(region) if region else "",
            distance_km=places.distance_km(need_region, region) if need_region and region else None,
            looking_for=org["looking_for"] if org and r.kind in ("spinoff", "organisation") else "",
        ))
    return offers


def match_need(need: Need, top: int = 10, index: SearchIndex | None = None) -> list[Offer]:
    """The ``top`` offers for ``need`` in its mode, best first, one an organisation."""
    index = index or open_index()
    allowed = offer_ids(index, need.mode)
    if need.restrict_region:
        allowed &= index.table.by_region.get(need.restrict_region.upper(), set())
    if need.organisation is not None:
        allowed -= index.table.by_organisation.get(need.organisation.pk, set())
    page = run_search(need.text, Filters(), top=top * 2, index=index, allowed=allowed)
    # An organisation whose best passage is what it looks for shares the need: it does not answer it.
    results = [r for r in page.results if not is_looking_for(r.passage)][:top]
    domains = need.domains or _guesser(index).guess(need.text)
    return describe(results, need.region, domains)


def organisation_text(organisation: Organisation) -> str:
    """An organisation's profile as the index sees it (whatever the index scope)."""
    doc = next(organisation_documents({organisation.pk}, scope="all"), None)
    return doc.text if doc else organisation.name


@dataclass(frozen=True)
class Meeting:
    a: Organisation
    b: Organisation
    score: float

    def as_json(self) -> dict:
        return {"a": self.a.pk, "a_name": self.a.name, "b": self.b.pk, "b_name": self.b.name,
                "score": round(self.score, 4)}


def whom_to_meet(a: list[Organisation], b: list[Organisation], top: int = 3) -> list[Meeting]:
    """Reciprocal recommendations between two sets of organisations ("whom should I meet"): for each
    organisation of ``a``, the ``top`` of ``b`` that suit it and that it suits. What an organisation
    offers is its profile; what it wants, its "looking for" (its profile when it says nothing)."""
    from ris3hub.engines.matching.reciprocal import reciprocal_scores, top_pairs
    from ris3hub.search.embeddings import get_encoder

    if not a or not b:
        return []
    encoder = get_encoder()
    texts_a, texts_b = [organisation_text(o) for o in a], [organisation_text(o) for o in b]
    scores = reciprocal_scores(encoder.encode(texts_a), encoder.encode(texts_b),
                               a_needs=encoder.encode([o.looking_for or t for o, t in zip(a, texts_a)]),
                               b_needs=encoder.encode([o.looking_for or t for o, t in zip(b, texts_b)]))
    same = np.array([[x.pk == y.pk for y in b] for x in a])
    scores = np.where(same, -1.0, scores)
    return [Meeting(a[i], b[j], score) for i, row in enumerate(top_pairs(scores, top)) for j, score in row
            if score >= 0]
