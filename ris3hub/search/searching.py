"""Searching the index: a query and filters in, ranked results with their reason and facets out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ris3hub.search.documents import KINDS, OFFER_KINDS, ORGANISATION_KINDS, Facets, document_url
from ris3hub.search.filters import Filters
from ris3hub.search.indexing import SearchIndex, open_index

# What a search without a kind looks through: calls are matched to organisations, not searched.
SEARCH_KINDS = tuple(k for k in KINDS if k != "call")
FACET_POOL = 100  # hits the facet counts are taken over
POST_FILTER_SHARE = 0.5  # filters keeping at least this share of the index are applied after the search
POST_FILTER_MARGIN = 20
MAX_TOP = 500


@dataclass
class SearchResult:
    id: str
    kind: str
    pk: int
    name: str
    score: float
    why: str
    source_id: str
    passage: str
    facets: Facets
    words: list[str] = field(default_factory=list)  # the query's words the document contains
    cosine: float | None = None  # of the best passage, when the vector index found the document
    also: list[str] = field(default_factory=list)  # offers of the same organisation that matched too

    @property
    def url(self) -> str:
        return document_url(self.kind, self.pk, self.facets)

    def as_json(self) -> dict:
        """The shape of `ris3hub search --json` and of the API."""
        return {"id": self.id, "kind": self.kind, "name": self.name, "score": round(self.score, 4),
                "why": self.why, "source_id": self.source_id}


@dataclass
class SearchPage:
    query: str
    filters: Filters
    results: list[SearchResult]
    facets: dict[str, list[tuple[object, int]]]
    considered: int  # documents the filters allowed (all indexed documents when unfiltered)


def explain(passage: str, matched_words: list[str]) -> str:
    """The reason a person can check: the passage that matched, and the query's words it contains."""
    parts = []
    if passage:
        parts.append(f"“{passage.strip()}”")
    if matched_words:
        parts.append("words: " + ", ".join(matched_words))
    return " — ".join(parts)


def _result(index: SearchIndex, hit) -> SearchResult | None:
    entry = index.entries.get(hit.record_id)
    if entry is None:  # removed since the retriever answered: skip it
        return None
    passage = hit.passage.text if hit.passage is not None else ""
    words = list(hit.matched_terms)
    return SearchResult(id=entry.id, kind=entry.kind, pk=entry.pk, name=entry.name, score=float(hit.score),
                        why=explain(passage, words), source_id=entry.source_id, passage=passage,
                        facets=entry.facets, words=words, cosine=hit.dense_score)


def _organisation_entry(index: SearchIndex, organisation: int | None):
    for doc_id in index.table.by_organisation.get(organisation, ()) if organisation is not None else ():
        entry = index.entries.get(doc_id)
        if entry is not None and entry.kind in ORGANISATION_KINDS:
            return entry
    return None


def collapse_offers(index: SearchIndex, results: list[SearchResult]) -> list[SearchResult]:
    """A competence, equipment or service that matched stands for its organisation: one line an
    organisation, with the best score and the reason of the offer that matched best."""
    by_org: dict[int, SearchResult] = {}
    kept = []
    for r in results:  # best first
        org = r.facets.organisation
        if r.kind in ORGANISATION_KINDS:
            if org in by_org:  # one of its offers ranked higher and already stands for it
                continue
            by_org[org] = r
            kept.append(r)
            continue
        entry = _organisation_entry(index, org) if r.kind in OFFER_KINDS else None
        if entry is None:
            kept.append(r)
            continue
        owner = by_org.get(org)
        if owner is None:
            owner = SearchResult(id=entry.id, kind=entry.kind, pk=entry.pk, name=entry.name, score=r.score,
                                 why=r.why, source_id=entry.source_id, passage=r.passage, facets=entry.facets,
                                 words=r.words, cosine=r.cosine)
            by_org[org] = owner
            kept.append(owner)
        owner.also.append(r.name)
    return kept


def _hits(index: SearchIndex, query: str, k: int, allowed: set[str] | None) -> list:
    """The retriever's ``k`` best hits among ``allowed``.

    Handing a large allowed set to the retriever costs more than the search itself (every id is
    turned into vector labels and a BM25 mask), so when the filter keeps most of the index the
    search runs unfiltered, deeper, and the hits are filtered after; the filtered search is the
    fallback when too few are left.
    """
    if allowed is None:
        return index.retriever.search(query, k=k)
    share = len(allowed) / max(len(index), 1)
    if share >= POST_FILTER_SHARE:
        deeper = min(len(index), math.ceil(k / share) + POST_FILTER_MARGIN)
        hits = [h for h in index.retriever.search(query, k=deeper) if h.record_id in allowed]
        if len(hits) >= min(k, len(allowed)):
            return hits[:k]
    return index.retriever.search(query, k=k, filter_ids=allowed)


def run_search(query: str, filters: Filters | None = None, top: int = 10, index: SearchIndex | None = None,
               collapse: bool = True, allowed: set[str] | None = None) -> SearchPage:
    """The ``top`` documents best matching ``query`` under ``filters`` (and among ``allowed`` ids
    when given), with facet counts."""
    query = (query or "").strip()
    filters = filters or Filters()
    if not query:
        raise ValueError("the query is empty")
    if not 1 <= top <= MAX_TOP:
        raise ValueError(f"top must be between 1 and {MAX_TOP}, not {top}")
    index = index or open_index()
    if not filters.kinds and allowed is None:
        filters = replace(filters, kinds=SEARCH_KINDS)
        collapse_into_organisations = collapse
    else:
        collapse_into_organisations = collapse and not (set(filters.kinds) & set(OFFER_KINDS))
    by_filters = index.table.allowed(filters)
    if allowed is None:
        allowed = by_filters
    elif by_filters is not None:
        allowed = allowed & by_filters
    considered = len(index) if allowed is None else len(allowed)
    if allowed is not None and not allowed:
        return SearchPage(query, filters, [], index.table.counts([]), 0)
    hits = _hits(index, query, max(FACET_POOL, top * 3), allowed)
    results = [r for r in (_result(index, h) for h in hits) if r is not None]
    facets = index.table.counts([r.id for r in results])
    if collapse_into_organisations:
        results = collapse_offers(index, results)
    return SearchPage(query, filters, results[:top], facets, considered)
