"""Facet sets: filters as intersections, counts over hits, removal."""

from ris3hub.search.documents import Document, Facets
from ris3hub.search.filters import FacetTable, Filters

DOCS = [
    Document("laboratory:1", "laboratory", 1, "Lab", "", facets=Facets(
        regions=("ITH55", "ITH5", "ITH", "IT"), countries=("IT",), domains=(7,), trl=5, org_kind="laboratory",
        organisation=1)),
    Document("competence:3", "competence", 3, "Food safety", "", facets=Facets(
        regions=("ITH55", "ITH5", "ITH", "IT"), countries=("IT",), domains=(7, 8), trl=5, org_kind="laboratory",
        organisation=1)),
    Document("organisation:2", "organisation", 2, "SME", "", facets=Facets(
        regions=("ITC4C", "ITC4", "ITC", "IT"), countries=("IT",), is_sme=True, org_kind="company", organisation=2)),
    Document("project:9", "project", 9, "P", "", facets=Facets(
        regions=("ITH55", "ITH5", "ITH", "IT", "DE300", "DE30", "DE3", "DE"), countries=("DE", "IT"), domains=(8,))),
    Document("call:4", "call", 4, "Old call", "", facets=Facets(deadline="2020-01-31")),
    Document("call:5", "call", 5, "Open call", "", facets=Facets(deadline="2099-01-31")),
]


def table():
    t = FacetTable()
    t.add_documents(DOCS)
    return t


def test_no_filter_allows_everything():
    assert table().allowed(Filters()) is None


def test_filters_intersect():
    t = table()
    assert t.allowed(Filters(region="ith5")) == {"laboratory:1", "competence:3", "project:9"}
    assert t.allowed(Filters(region="ITH5", kinds=("project", "laboratory"))) == {"laboratory:1", "project:9"}
    assert t.allowed(Filters(countries=("DE",))) == {"project:9"}
    assert t.allowed(Filters(domains=(8,))) == {"competence:3", "project:9"}
    assert t.allowed(Filters(is_sme=True)) == {"organisation:2"}
    assert t.allowed(Filters(trl_min=6)) == set()
    assert t.allowed(Filters(trl_min=5, region="ITH")) == {"laboratory:1", "competence:3"}
    assert t.allowed(Filters(kinds=("call",), open_on="2026-01-01")) == {"call:5"}
    assert t.allowed(Filters(exclude_organisations=(1,))) == {"organisation:2", "project:9", "call:4", "call:5"}


def test_counts_over_hits_and_removal():
    t = table()
    counts = t.counts(["laboratory:1", "competence:3", "project:9"])
    assert counts["kind"] == [("laboratory", 1), ("competence", 1), ("project", 1)]
    assert dict(counts["region"]) == {"ITH5": 3, "DE30": 1}
    assert dict(counts["domain"]) == {7: 2, 8: 2}
    assert counts["trl"] == [(5, 2)]
    t.remove(["competence:3"])
    assert t.allowed(Filters(domains=(8,))) == {"project:9"}
    assert len(t) == 5
    # Replacing a document's facets drops the old ones.
    t.add("project:9", "project", Facets(countries=("FR",)))
    assert t.allowed(Filters(countries=("DE",))) == set()
