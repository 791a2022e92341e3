"""Filters and facets over the indexed documents, answered from sets held in memory.

Every facet value maps to the set of document ids that have it, so a filter is an intersection
of sets (microseconds on a hundred thousand documents) handed to the retriever as the ids it
may return, and facet counts are lookups over the ids of the hits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ris3hub.search.documents import Document, Facets


@dataclass(frozen=True)
class Filters:
    """What a search is limited to; empty fields do not limit."""

    kinds: tuple[str, ...] = ()
    region: str = ""  # a NUTS code: documents there or in a region below it
    countries: tuple[str, ...] = ()
    domains: tuple[int, ...] = ()  # any of these concepts
    is_sme: bool | None = None
    trl_min: int | None = None
    org_kinds: tuple[str, ...] = ()  # OrganisationKind of the organisation (or of the one offering)
    open_on: str | None = None  # calls: a deadline on or after this ISO date (calls without one are kept)
    exclude_organisations: tuple[int, ...] = ()


@dataclass
class FacetTable:
    """Facet value -> document ids, for every facet, and each document's facets."""

    facets: dict[str, Facets] = field(default_factory=dict)
    by_kind: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_region: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_country: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_domain: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_sme: dict[bool, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_trl: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_org_kind: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_organisation: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    kinds: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.facets)

    def add(self, doc_id: str, kind: str, facets: Facets) -> None:
        self.remove([doc_id])
        self.facets[doc_id] = facets
        self.kinds[doc_id] = kind
        self.by_kind[kind].add(doc_id)
        for code in facets.regions:
            self.by_region[code].add(doc_id)
        for country in facets.countries:
            self.by_country[country].add(doc_id)
        for domain in facets.domains:
            self.by_domain[domain].add(doc_id)
        if facets.is_sme is not None:
            self.by_sme[facets.is_sme].add(doc_id)
        if facets.trl is not None:
            self.by_trl[facets.trl].add(doc_id)
        if facets.org_kind:
            self.by_org_kind[facets.org_kind].add(doc_id)
        if facets.organisation is not None:
            self.by_organisation[facets.organisation].add(doc_id)

    def add_documents(self, docs: Iterable[Document]) -> None:
        for doc in docs:
            self.add(doc.id, doc.kind, doc.facets)

    def remove(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            facets = self.facets.pop(doc_id, None)
            if facets is None:
                continue
            kind = self.kinds.pop(doc_id)
            self.by_kind[kind].discard(doc_id)
            for code in facets.regions:
                self.by_region[code].discard(doc_id)
            for country in facets.countries:
                self.by_country[country].discard(doc_id)
            for domain in facets.domains:
                self.by_domain[domain].discard(doc_id)
            if facets.is_sme is not None:
                self.by_sme[facets.is_sme].discard(doc_id)
            if facets.trl is not None:
                self.by_trl[facets.trl].discard(doc_id)
            if facets.org_kind:
                self.by_org_kind[facets.org_kind].discard(doc_id)
            if facets.organisation is not None:
                self.by_organisation[facets.organisation].discard(doc_id)

    def allowed(self, filters: Filters) -> set[str] | None:
        """The ids a search under ``filters`` may return; None when nothing is filtered."""
        sets: list[set[str]] = []
        if filters.kinds:
            sets.append(set().union(*(self.by_kind.get(k, set()) for k in filters.kinds)))
        if filters.region:
            sets.append(self.by_region.get(filters.region.strip().upper(), set()))
        if filters.countries:
            sets.append(set().union(*(self.by_country.get(c.upper(), set()) for c in filters.countries)))
        if filters.domains:
            sets.append(set().union(*(self.by_domain.get(d, set()) for d in filters.domains)))
        if filters.is_sme is not None:
            sets.append(self.by_sme.get(filters.is_sme, set()))
        if filters.trl_min is not None:
            sets.append(set().union(*(ids for trl, ids in self.by_trl.items() if trl >= filters.trl_min)))
        if filters.org_kinds:
            sets.append(set().union(*(self.by_org_kind.get(k, set()) for k in filters.org_kinds)))
        if filters.open_on:
            calls = self.by_kind.get("call", set())
            closed = {i for i in calls if (self.facets[i].deadline or "9999") < filters.open_on}
            sets.append(set(self.facets) - closed)
        if not sets and not filters.exclude_organisations:
            return None
        sets.sort(key=len)
        allowed = set(sets[0]) if sets else set(self.facets)
        for other in sets[1:]:
            allowed &= other
        for org in filters.exclude_organisations:
            allowed -= self.by_organisation.get(org, set())
        return allowed

    def counts(self, doc_ids: Iterable[str], domain_top: int = 12) -> dict[str, list[tuple[object, int]]]:
        """How many of ``doc_ids`` have each facet value: kind, country, NUTS-2 region, domain, SME, TRL."""
        kinds, countries, regions, domains, smes, trls = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
        for doc_id in doc_ids:
            facets = self.facets.get(doc_id)
            if facets is None:
                continue
            kinds[self.kinds[doc_id]] += 1
            countries.update(facets.countries)
            regions.update({code for code in facets.regions if len(code) == 4})
            domains.update(facets.domains)
            if facets.is_sme is not None:
                smes[facets.is_sme] += 1
            if facets.trl is not None:
                trls[facets.trl] += 1
        return {
            "kind": kinds.most_common(), "country": countries.most_common(), "region": regions.most_common(12),
            "domain": domains.most_common(domain_top), "is_sme": smes.most_common(),
            "trl": sorted(trls.items()),
        }
