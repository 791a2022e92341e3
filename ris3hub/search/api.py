"""REST API of search and matchmaking: search, needs to offers, teams, partner regions, calls."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from ris3hub.accounts import roles
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError, ErrorOut
from ris3hub.projects.models import Call
from ris3hub.regions.api import NUTS_CODE
from ris3hub.registry.models import Organisation
from ris3hub.search.calls import calls_for_organisation, complete_consortium, organisations_for_call
from ris3hub.search.documents import KINDS
from ris3hub.search.filters import Filters
from ris3hub.search.indexing import IndexMissing, index_status, open_index
from ris3hub.search.matching import Need, Offer, match_need, whom_to_meet
from ris3hub.search.models import GraduateProfile
from ris3hub.search.overlaps import THRESHOLD, find_overlaps
from ris3hub.search.partners import PartnerError, find_partners
from ris3hub.search.searching import SearchResult, run_search
from ris3hub.search.talent import talent_matches
from ris3hub.search.teams import TeamRequest, build_teams, competences_of
from ris3hub.tokens.auth import AUTH_ERRORS, SIGNED_IN, require_scope

router = Router(tags=["search"])
Kind = Literal[KINDS]  # type: ignore[valid-type]
UNAVAILABLE = {503: ErrorOut}  # no index built yet (code "index_missing")


def _index():
    try:
        return open_index()
    except IndexMissing as error:
        raise ApiError(503, str(error), code="index_missing") from error


class HitOut(Schema):
    id: str = Field(description="<kind>:<record id>")
    kind: str
    name: str
    score: float = Field(description="Fused rank score (higher is better); comparable within one answer only")
    why: str = Field(description="The passage that matched and the query's words the document contains")
    source_id: str = Field(description="Identifier in the imported file: knowledge-share id, CORDIS number, PIC")
    url: str
    passage: str
    regions: list[str]
    countries: list[str]

    @staticmethod
    def resolve_regions(obj: SearchResult) -> list[str]:
        return list(obj.facets.regions)

    @staticmethod
    def resolve_countries(obj: SearchResult) -> list[str]:
        return list(obj.facets.countries)


class FacetValue(Schema):
    value: str | int | bool
    count: int


class SearchOut(Schema):
    query: str
    considered: int = Field(description="Documents the filters allowed")
    results: list[HitOut]
    facets: dict[str, list[FacetValue]]


class SearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=500, description="The query, in Italian or English")
    kind: list[Kind] | None = Field(None, description="Only documents of these kinds")  # type: ignore[valid-type]
    region: str | None = Field(None, pattern=NUTS_CODE, description="A NUTS code: documents there or below it")
    country: str | None = Field(None, min_length=2, max_length=2)
    domain: int | None = Field(None, description="A taxonomy concept id")
    is_sme: bool | None = None
    trl_min: int | None = Field(None, ge=1, le=9)
    top: int = Field(10, ge=1, le=100)


@router.get("/", response={200: SearchOut, **INVALID, **UNAVAILABLE}, summary="Search")
def search(request, filters: Query[SearchFilters]):
    """Documents best matching the query by meaning (Italian and English alike) and by words, with
    facet counts over the best 100."""
    f = Filters(kinds=tuple(filters.kind or ()), region=(filters.region or "").upper(),
                countries=(filters.country.upper(),) if filters.country else (),
                domains=(filters.domain,) if filters.domain else (), is_sme=filters.is_sme, trl_min=filters.trl_min)
    page = run_search(filters.q, f, top=filters.top, index=_index())
    facets = {name: [{"value": v, "count": n} for v, n in values] for name, values in page.facets.items()}
    return {"query": page.query, "considered": page.considered, "results": page.results, "facets": facets}


class OfferOut(Schema):
    id: str
    kind: str
    name: str
    score: float
    why: str
    source_id: str
    organisation: int | None
    reasons: list[str] = Field(description="Matching passage, shared domains, region and distance")
    shared_domains: list[str]
    region: str
    distance_km: float | None


class NeedIn(Schema):
    need: str = Field(..., min_length=1, max_length=4000, description="The need, in Italian or English")
    mode: Literal["r2b", "b2b", "f2b"] = "r2b"
    region: str | None = Field(None, pattern=NUTS_CODE, description="NUTS region of the one in need")
    within: str | None = Field(None, pattern=NUTS_CODE, description="Only offers from this region or below")
    organisation: int | None = Field(None, description="Id of the organisation in need")
    top: int = Field(10, ge=1, le=100)


def _offer(o: Offer) -> dict:
    return o.as_json()


@router.get("/match", response={200: list[OfferOut], **NOT_FOUND, **UNAVAILABLE}, summary="Offers for a need")
def match(request, params: Query[NeedIn]):
    """Offers answering a need: research to business (r2b), business to business (b2b), or
    start-ups looking for investors (f2b), each with the reasons a person can check."""
    organisation = None
    if params.organisation is not None:
        organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=params.organisation)
    need = Need(params.need, mode=params.mode, region=(params.region or "").upper(), organisation=organisation,
                restrict_region=(params.within or "").upper())
    return [_offer(o) for o in match_need(need, top=params.top, index=_index())]


class TeamIn(Schema):
    challenge: str = Field("", max_length=6000)
    competence: list[str] | None = Field(None, description="The competences needed (else split from the challenge)")
    region: list[str] | None = Field(None, description="Only organisations of these NUTS regions")
    max_size: int = Field(4, ge=2, le=5)
    teams: int = Field(3, ge=1, le=10)


@router.get("/team", response={200: dict, **INVALID, **UNAVAILABLE}, summary="Teams for a challenge")
def team(request, params: Query[TeamIn]):
    """Small teams of organisations that together cover every competence of the challenge, with the
    coverage competence by competence."""
    if not params.challenge.strip() and not params.competence:
        raise ApiError(422, "give the challenge or the competences it needs",
                       errors=[{"loc": ["query", "challenge"], "msg": "empty", "type": "missing"}])
    request_ = TeamRequest(challenge=params.challenge, competences=list(params.competence or ()),
                           regions=[r.upper() for r in params.region or ()], max_size=params.max_size,
                           teams=params.teams)
    try:
        competences_of(request_)
    except ValueError as error:  # only blanks, or too many competences
        raise ApiError(422, str(error),
                       errors=[{"loc": ["query", "competence"], "msg": str(error), "type": "value_error"}]) from error
    return build_teams(request_, index=_index()).as_json()


class PartnerOut(Schema):
    code: str
    name: str
    country: str
    score: float
    priority_similarity: float | None
    matching_priority: str
    strength: float | None
    complementarity: float | None
    profile_similarity: float | None
    strengths: list[str]
    gdp_ratio: float | None = Field(description="GDP per head in PPS over the EU27 average")
    development: str
    pairing: bool = Field(description="A less developed and a more developed region")
    distance_km: float | None


class PartnersOut(Schema):
    region: str
    priority: str
    gdp_ratio: float | None
    development: str
    partners: list[PartnerOut]


@router.get("/partners/{region}", response={200: PartnersOut, **NOT_FOUND}, summary="Partner regions")
def partners(request, region: str, priority: str = "", country: str | None = None, top: int = Query(10, ge=1, le=50)):
    """Regions with similar declared priorities and complementary capabilities."""
    try:
        found = find_partners(region, priority, top=top, countries=[country] if country else None)
    except PartnerError as error:
        raise ApiError(404, str(error)) from error
    return {"region": found.region.code, "priority": found.priority_text, "gdp_ratio": found.gdp_ratio,
            "development": found.development, "partners": [p.as_dict() for p in found.partners]}


class CallMatchOut(Schema):
    identifier: str
    title: str
    deadline: str | None
    open: bool
    score: float
    why: str


@router.get("/organisations/{id}/calls", response={200: list[CallMatchOut], **NOT_FOUND, **UNAVAILABLE},
            summary="Calls for an organisation")
def organisation_calls(request, id: int, open_only: bool = False, top: int = Query(10, ge=1, le=100)):
    organisation = get_object_or_404(Organisation, pk=id)
    return [{"identifier": m.call.identifier, "title": m.call.title,
             "deadline": m.call.deadline.isoformat() if m.call.deadline else None, "open": m.is_open,
             "score": m.result.score, "why": m.result.why}
            for m in calls_for_organisation(organisation, top=top, open_only=open_only, index=_index())]


class ConsortiumOut(Schema):
    candidates: list[OfferOut]
    partners: list[OfferOut] | None = Field(None, description="With ?applicant=: partners completing its consortium")
    countries: list[str] | None = None


@router.get("/calls/{id}", response={200: ConsortiumOut, **NOT_FOUND, **UNAVAILABLE}, summary="Organisations for a call")
def call_organisations(request, id: int, applicant: int | None = None, top: int = Query(10, ge=1, le=100)):
    call = get_object_or_404(Call, pk=id)
    index = _index()
    out = {"candidates": [_offer(o) for o in organisations_for_call(call, top=top, index=index)]}
    if applicant is not None:
        consortium = complete_consortium(call, get_object_or_404(Organisation, pk=applicant), index=index)
        out.update(partners=[_offer(o) for o in consortium.partners], countries=consortium.countries)
    return out


@router.get("/index", response={200: dict, **INVALID}, summary="Search index status")
def status(request):
    """Where the index is, how many documents of each kind it holds, how many changes wait."""
    return index_status()


class TalentOut(Schema):
    graduate: int
    graduate_name: str
    position: int
    position_title: str
    organisation: str
    kind: str
    score: float = Field(description="Reciprocal score: harmonic mean of both sides' preferences")
    fit: float
    interest: float
    distance_km: float | None


@router.get("/talent", response={200: list[TalentOut], **AUTH_ERRORS, **NOT_FOUND}, auth=SIGNED_IN,
            summary="Positions for graduates")
def talent(request, graduate: int | None = None, top: int = Query(5, ge=1, le=50)):
    """Each graduate's best positions (jobs, internships, doctorates of network members). Graduates are
    people: analysts and administrators only (with an API token, the ``read`` scope)."""
    require_scope(request, "read")
    if not roles.is_analyst(request.user):
        raise ApiError(403, "the graduates' profiles are personal data: only analysts and administrators see them")
    graduates = None
    if graduate is not None:
        graduates = [get_object_or_404(GraduateProfile.objects.select_related("region"), pk=graduate)]
    return [m.as_json() for m in talent_matches(graduates, top=top)]


class OverlapOut(Schema):
    a: str
    a_name: str
    b: str
    b_name: str
    similarity: float


@router.get("/overlaps", response={200: list[OverlapOut], **INVALID}, summary="Overlapping initiatives")
def overlaps(request, threshold: float = Query(THRESHOLD, gt=0, le=1), top: int = Query(50, ge=1, le=500)):
    """Services and projects of different clusters, districts or platforms that duplicate each other."""
    return [{"a": o.a.id, "a_name": o.a.name, "b": o.b.id, "b_name": o.b.name, "similarity": o.similarity}
            for o in find_overlaps(threshold)[:top]]


class MeetingSuggestionOut(Schema):
    a: int
    a_name: str
    b: int
    b_name: str
    score: float


@router.get("/meet", response={200: list[MeetingSuggestionOut], **NOT_FOUND}, summary="Whom should I meet")
def meet(request, a: list[int] = Query(...), b: list[int] = Query(...), top: int = Query(3, ge=1, le=20)):
    """Reciprocal recommendations between two sets of organisations (ids): each of ``a`` with the
    organisations of ``b`` that suit it and that it suits."""
    # An id beyond the database's integers names no organisation (and would overflow SQLite's).
    orgs = Organisation.objects.in_bulk([i for i in {*a, *b} if 0 < i < 2**63])
    missing = sorted({*a, *b} - set(orgs))
    if missing:
        raise ApiError(404, f"no organisation has the id(s) {', '.join(map(str, missing))}")
    return [m.as_json() for m in whom_to_meet([orgs[i] for i in a], [orgs[i] for i in b], top=top)]
