"""Interdisciplinary teams: a challenge needing several competences to small teams of
organisations that together cover every one of them.

The competences are given as a list or cut from the challenge's text
(ris3hub.engines.matching.teams.split_competences). Each competence is searched in the index
(organisations and their competences, equipment and services, in the chosen regions); an
organisation's evidence for a competence is the cosine of its best matching passage. Its cluster
or technology district (a Membership in a network of that kind) lets the engine prefer teams
drawn from different networks. The engine (form_teams) solves the weighted set cover exactly
with OR-Tools for pools of up to 200 candidates, greedily with its ln n guarantee above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ris3hub.engines.matching.teams import Candidate, form_teams, split_competences
from ris3hub.registry.models import Membership, Organisation, OrganisationKind
from ris3hub.search.documents import OFFER_KINDS, ORGANISATION_KINDS, document_url, is_looking_for
from ris3hub.search.filters import Filters
from ris3hub.search.indexing import SearchIndex, open_index
from ris3hub.search.searching import run_search

PER_COMPETENCE = 15  # organisations taken from the search of each competence
THRESHOLD = 0.3  # cosine from which a passage counts as evidence of a competence (measured on the demo)
MAX_COMPETENCES = 12
NETWORK_KINDS = (OrganisationKind.CLUSTER, OrganisationKind.DISTRICT)


@dataclass
class TeamRequest:
    challenge: str = ""
    competences: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    max_size: int = 4
    min_size: int = 2
    teams: int = 3
    threshold: float = THRESHOLD


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    kind: str
    network: str
    region: str
    url: str


@dataclass(frozen=True)
class Cover:
    member: str  # the member's name; empty when no member covers the competence
    score: float
    evidence: str


@dataclass
class TeamOut:
    members: list[Member]
    coverage: dict[str, Cover]  # competence -> who covers it
    uncovered: list[str]
    objective: float
    method: str

    @property
    def optimal(self) -> bool:
        return self.method == "exact"

    def as_json(self) -> dict:
        return {
            "members": [m.__dict__ for m in self.members],
            "coverage": {c: {"member": v.member or None, "score": round(v.score, 3), "evidence": v.evidence}
                         for c, v in self.coverage.items()},
            "uncovered": self.uncovered, "objective": round(self.objective, 2), "method": self.method,
        }


@dataclass
class TeamResult:
    competences: list[str]
    candidates: int
    teams: list[TeamOut]

    def as_json(self) -> dict:
        return {"competences": self.competences, "candidates": self.candidates,
                "teams": [t.as_json() for t in self.teams]}


def networks_by_organisation(ids: set[int]) -> dict[int, str]:
    """The cluster or district each organisation belongs to (or is), by name; the first one by name."""
    out: dict[int, str] = {}
    for pk, name in Organisation.objects.filter(pk__in=ids, kind__in=NETWORK_KINDS).values_list("pk", "name"):
        out[pk] = name
    rows = (Membership.objects.filter(member_id__in=ids, network__kind__in=NETWORK_KINDS)
            .order_by("network__name").values_list("member_id", "network__name"))
    for member, name in rows:
        out.setdefault(member, name)
    return out


def competences_of(request: TeamRequest) -> list[str]:
    competences = [c.strip() for c in request.competences if c.strip()] or split_competences(request.challenge)
    if not competences:
        raise ValueError("no competence found: list them, or write the challenge as sentences or a list")
    if len(competences) > MAX_COMPETENCES:
        raise ValueError(f"{len(competences)} competences; a team covers at most {MAX_COMPETENCES}")
    return list(dict.fromkeys(competences))


def build_teams(request: TeamRequest, index: SearchIndex | None = None) -> TeamResult:
    """Teams of ``min_size`` to ``max_size`` organisations covering the request's competences."""
    index = index or open_index()
    competences = competences_of(request)
    allowed = set().union(*(index.table.by_kind.get(k, set()) for k in (*ORGANISATION_KINDS, *OFFER_KINDS)))
    if request.regions:
        allowed &= set().union(*(index.table.by_region.get(code.upper(), set()) for code in request.regions))
    coverage: dict[int, dict[str, float]] = {}
    evidence: dict[int, dict[str, str]] = {}
    entries: dict[int, object] = {}
    for competence in competences:
        page = run_search(competence, Filters(), top=PER_COMPETENCE, index=index, allowed=allowed)
        for r in page.results:
            org = r.facets.organisation
            if org is None or r.cosine is None or is_looking_for(r.passage):
                continue
            if r.cosine > coverage.setdefault(org, {}).get(competence, 0.0):
                coverage[org][competence] = r.cosine
                evidence.setdefault(org, {})[competence] = r.passage
            if r.kind in ORGANISATION_KINDS:
                entries[org] = r
    networks = networks_by_organisation(set(coverage))
    orgs = Organisation.objects.select_related("region").in_bulk(list(coverage))
    candidates = [
        Candidate(id=str(pk), coverage=coverage[pk], cluster=networks.get(pk, ""),
                  region=orgs[pk].region.code if orgs[pk].region_id else "", evidence=evidence.get(pk, {}))
        for pk in coverage if pk in orgs
    ]
    teams = form_teams(competences, candidates, min_size=request.min_size, max_size=request.max_size,
                       threshold=request.threshold, teams=request.teams) if candidates else []
    names = {pk: o.name for pk, o in orgs.items()}
    out = []
    for team in teams:
        members = []
        for member_id in team.members:
            pk = int(member_id)
            org = orgs[pk]
            entry = entries.get(pk)
            url = document_url(entry.kind, pk, entry.facets) if entry is not None else org.get_absolute_url()
            members.append(Member(pk, org.name, org.kind, networks.get(pk, ""),
                                  org.region.code if org.region_id else "", url))
        covers = {c.competence: Cover(names.get(int(c.member), "") if c.member else "", c.score, c.evidence)
                  for c in team.coverage}
        out.append(TeamOut(members, covers, list(team.uncovered), team.objective, team.method))
    return TeamResult(competences, len(candidates), out)
