"""Registry queries that feed monitoring indicators, each defined once and registered by name.

A query turns the registry into *facts*: an amount placed in a region and a period, with a key
that says what is counted (a project, a participation, a contract). ``aggregate`` sums the facts
of every region of the indicator's scope (the strategy's region and the regions one level below
it), counting a key once per region and period, so that a project with partners in two provinces
counts once in the region that holds both.

Where a participation sits: in the region its source gave, else where its organisation is (as on
the region pages). A query that can follow a priority keeps the records of that priority only:
projects classified in one of the priority's concepts (or a concept below them), or in a CORDIS
thematic priority or call topic the priority names (``PriorityDomain``); laboratories and new
members whose domains are among the priority's concepts.

Adding a query: write a function ``facts(scope) -> Iterable[Fact]`` and register it with
``@register(...)``; an indicator names it in ``Indicator.query``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Min, Q

from ris3hub.indicators.models import Indicator, Observation
from ris3hub.monitoring.periods import Period, period_of
from ris3hub.projects.models import Participation
from ris3hub.regions.models import Region
from ris3hub.registry.models import Membership, OrganisationKind, ResearchContract
from ris3hub.strategies.models import Priority, PriorityDomain, Strategy
from ris3hub.taxonomy.models import Concept


class QueryUnavailable(Exception):
    """The query cannot run here (an optional app is not installed); the indicator is skipped."""


@dataclass(frozen=True)
class Fact:
    region_code: str
    period: Period
    amount: Decimal
    key: Any  # what is counted: the same key counts once per region and period


@dataclass(frozen=True)
class Scope:
    """Where and how an indicator is computed."""

    strategy: Strategy
    regions: tuple[Region, ...]  # the strategy's region first, then the regions one level below it
    frequency: str
    priority: Priority | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def region(self) -> Region:
        return self.regions[0]

    def period(self, day: date) -> Period:
        return period_of(day, self.frequency)


@dataclass(frozen=True)
class Query:
    name: str
    label: str
    unit: str
    description: str
    facts: Callable[[Scope], Iterable[Fact]]
    params: dict[str, str]  # parameter -> what it does
    follows_priority: bool
    nested: bool = True  # a region's value adds up the facts of the regions below it (False: its own value)
    annual_only: bool = False
    required: tuple[str, ...] = ()  # parameters that must be given


QUERIES: dict[str, Query] = {}


def register(name: str, label: str, unit: str, description: str, *, params: dict[str, str] | None = None,
             follows_priority: bool = False, nested: bool = True, annual_only: bool = False,
             required: tuple[str, ...] = ()):
    def decorator(function: Callable[[Scope], Iterable[Fact]]):
        if name in QUERIES:
            raise ValueError(f"a registry query named '{name}' is already registered")
        QUERIES[name] = Query(name, label, unit, description, function, params or {}, follows_priority, nested,
                              annual_only, required)
        return function

    return decorator



def check_params(query: Query, params: dict[str, Any]) -> list[str]:
    """Problems with an indicator's parameters for ``query`` (empty when they are fine)."""
    problems = [f"'{key}' is not a parameter of {query.name} (it takes {', '.join(query.params) or 'none'})"
                for key in params if key not in query.params]
    problems += [f"the query {query.name} needs the parameter {key}" for key in query.required if key not in params]
    if "date" in params and params["date"] not in PROJECT_DATES:
        problems.append(f"date must be one of {', '.join(PROJECT_DATES)}, not '{params['date']}'")
    if "indicator" in params and not Indicator.objects.filter(code=params["indicator"]).exists():
        problems.append(f"no statistical indicator has the code '{params['indicator']}' (see /api/indicators/)")
    if "network" in params and not isinstance(params["network"], int):
        problems.append(f"network is the id of an organisation (a whole number), not '{params['network']}'")
    return problems


def aggregate(facts: Iterable[Fact], regions: Iterable[Region],
              nested: bool = True) -> dict[tuple[str, Period], Decimal]:
    """(region code, period) -> sum of the amounts of the facts in that region, each key once.

    ``nested``: a fact counts in every region whose code starts its own (NUTS codes nest by prefix);
    otherwise only in the region of exactly its code.
    """
    codes = [r.code for r in regions]
    seen: dict[tuple[str, Period], set] = defaultdict(set)
    totals: dict[tuple[str, Period], Decimal] = defaultdict(Decimal)
    for fact in facts:
        for code in codes:
            if fact.region_code.startswith(code) if nested else fact.region_code == code:
                slot = (code, fact.period)
                if fact.key not in seen[slot]:
                    seen[slot].add(fact.key)
                    totals[slot] += fact.amount
    return dict(totals)


# ---- helpers shared by the queries


def concepts_below(concepts: Iterable[Concept]) -> set[int]:
    """Ids of the concepts and of every concept below them in their trees."""
    found = {c.pk for c in concepts}
    frontier = set(found)
    while frontier:
        frontier = set(Concept.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def priority_projects(priority: Priority) -> Q:
    """Projects of a priority: classified in one of its concepts (or below), or in a thematic
    priority or call topic it names."""
    condition = Q(project__concepts__in=concepts_below(priority.concepts.all()))
    domains = dict.fromkeys(PriorityDomain.Scheme.values, ())
    for scheme, code in priority.domains.values_list("scheme", "code"):
        domains[scheme] = (*domains[scheme], code)
    if domains[PriorityDomain.Scheme.THEMATIC]:
        condition |= Q(project__thematic_priority__in=domains[PriorityDomain.Scheme.THEMATIC])
    if domains[PriorityDomain.Scheme.TOPIC]:
        condition |= Q(project__topic_code__in=domains[PriorityDomain.Scheme.TOPIC])
    return condition


def _in_region(scope: Scope, prefix: str = "") -> Q:
    """Records whose region (``prefix``region) lies in the scope's region."""
    return Q(**{f"{prefix}region__version": scope.region.version,
                f"{prefix}region__code__startswith": scope.region.code})


def _participations(scope: Scope):
    placed = _in_region(scope) | (Q(region__isnull=True) & _in_region(scope, "organisation__"))
    rows = Participation.objects.filter(placed)
    if scope.params.get("framework"):
        rows = rows.filter(project__framework=scope.params["framework"])
    if scope.priority is not None:
        rows = rows.filter(priority_projects(scope.priority))
    return rows.distinct()


PROJECT_DATES = ("start", "signature")
PROJECT_PARAMS = {
    "framework": "only projects of this framework programme (FP7, H2020, HORIZON)",
    "date": "the project's date that places it in a period: 'start' (its start, else its signature) "
            "or 'signature' (its grant signature)",
}


def _participation_rows(scope: Scope):
    """(participation id, project id, region code, day, EU contribution, SME) of the scope."""
    rows = _participations(scope).values_list(
        "pk", "project_id", "region__code", "organisation__region__code", "project__start",
        "project__signature_date", "eu_contribution", "organisation__is_sme").order_by()
    by_signature = scope.params.get("date") == "signature"
    for pk, project, region, organisation_region, start, signed, eu, sme in rows:
        day = signed if by_signature else (start or signed)
        if day is not None:
            yield pk, project, region or organisation_region, day, eu, sme


@register("projects", "EU projects with participants in the region", "projects",
          "Projects with at least one participant in the region, counted once a region and period, "
          "placed in the period of their start (or signature).", params=PROJECT_PARAMS, follows_priority=True)
def projects(scope: Scope) -> Iterable[Fact]:
    for _pk, project, region, day, _eu, _sme in _participation_rows(scope):
        yield Fact(region, scope.period(day), Decimal(1), ("project", project))


@register("eu_funding", "EU contribution to participants in the region", "EUR",
          "Sum of the EU contribution to the participations placed in the region.",
          params=PROJECT_PARAMS, follows_priority=True)
def eu_funding(scope: Scope) -> Iterable[Fact]:
    for pk, _project, region, day, eu, _sme in _participation_rows(scope):
        if eu is not None:
            yield Fact(region, scope.period(day), Decimal(eu), ("participation", pk))


@register("sme_participations", "Participations of SMEs", "participations",
          "Participations in EU projects of organisations flagged as SMEs, placed in the region.",
          params=PROJECT_PARAMS, follows_priority=True)
def sme_participations(scope: Scope) -> Iterable[Fact]:
    for pk, _project, region, day, _eu, sme in _participation_rows(scope):
        if sme:
            yield Fact(region, scope.period(day), Decimal(1), ("participation", pk))


NETWORK_PARAMS = {"network": "id of the network organisation whose members (and their members) count; "
                             "every organisation that belongs to some network when not given"}


def _network_members(scope: Scope) -> set[int] | None:
    """Ids of the members of the ``network`` parameter and of their members; None: any member of any network."""
    network = scope.params.get("network")
    if network is None:
        return None
    members = set(Membership.objects.filter(network_id=network).values_list("member_id", flat=True))
    return members | set(Membership.objects.filter(network_id__in=members).values_list("member_id", flat=True))


def _contracts(scope: Scope):
    contracts = ResearchContract.objects.filter(
        _in_region(scope, "lab__"), company__kind__in=[OrganisationKind.COMPANY, OrganisationKind.SPINOFF],
        date__isnull=False)
    members = _network_members(scope)
    contracts = contracts.filter(lab__memberships__isnull=False) if members is None else \
        contracts.filter(lab_id__in=members)
    if scope.priority is not None:
        contracts = contracts.filter(lab__domains__in=concepts_below(scope.priority.concepts.all()))
    return contracts.distinct().values_list("pk", "lab__region__code", "date", "value").order_by()


@register("research_contracts", "Research contracts of network laboratories with companies", "contracts",
          "Contracts of laboratories that belong to a network with companies and start-ups, by contract date, "
          "placed where the laboratory is.", params=NETWORK_PARAMS, follows_priority=True)
def research_contracts(scope: Scope) -> Iterable[Fact]:
    for pk, region, day, _value in _contracts(scope):
        yield Fact(region, scope.period(day), Decimal(1), ("contract", pk))


@register("research_contracts_value", "Value of research contracts of network laboratories with companies", "EUR",
          "Sum of the value of the same contracts as research_contracts (contracts without a value add nothing).",
          params=NETWORK_PARAMS, follows_priority=True)
def research_contracts_value(scope: Scope) -> Iterable[Fact]:
    for pk, region, day, value in _contracts(scope):
        if value is not None:
            yield Fact(region, scope.period(day), Decimal(value), ("contract", pk))


@register("new_members", "New network members", "organisations",
          "Memberships that start in the period, placed where the member is.", params=NETWORK_PARAMS,
          follows_priority=True)
def new_members(scope: Scope) -> Iterable[Fact]:
    memberships = Membership.objects.filter(_in_region(scope, "member__"), start__isnull=False)
    network = scope.params.get("network")
    if network is not None:
        memberships = memberships.filter(network_id__in={network} | (_network_members(scope) or set()))
    if scope.priority is not None:
        memberships = memberships.filter(member__domains__in=concepts_below(scope.priority.concepts.all()))
    rows = memberships.distinct().values_list("member_id", "member__region__code", "start").order_by()
    for member, region, day in rows:
        # One organisation joining twice in a period (a lab in a technopole and its platform) is one new member.
        yield Fact(region, scope.period(day), Decimal(1), ("member", member))


@register("observations", "A statistical indicator of the region", "as published",
          "The value a statistical indicator (Eurostat, Nesta EURITO, a user's file) gives the region itself in "
          "each year, matched by NUTS code; regions are not added up.",
          params={"indicator": "the statistical indicator's code, e.g. nama_10r_3gdp:unit=PPS_EU27_2020_HAB"},
          nested=False, annual_only=True, required=("indicator",))
def observations(scope: Scope) -> Iterable[Fact]:
    rows = (Observation.objects.filter(indicator__code=scope.params["indicator"], value__isnull=False,
                                       region_code__in=[r.code for r in scope.regions])
            .values_list("pk", "region_code", "year", "value").order_by())
    for pk, region, year, value in rows:
        yield Fact(region, Period(year), Decimal(str(value)), ("observation", pk))


# ---- brokerage events (ris3hub.events, when installed)


def _event_facts(scope: Scope, what: str) -> Iterable[Fact]:
    if not apps.is_installed("ris3hub.events"):
        raise QueryUnavailable("the brokerage events app (ris3hub.events) is not installed")
    from ris3hub.events import indicators as event_indicators
    from ris3hub.events.models import Event

    events = (Event.objects.filter(_in_region(scope, "organising_network__"))
              .annotate(first_day=Min("sessions__day")).filter(first_day__isnull=False))
    if scope.params.get("network") is not None:
        events = events.filter(organising_network_id=scope.params["network"])
    places = {e.pk: (e.organising_network.region.code, e.first_day)
              for e in events.select_related("organising_network__region")}
    if not places:
        return
    for outcome in event_indicators.event_outcomes(Event.objects.filter(pk__in=places)):
        region, day = places[outcome.event_id]
        yield Fact(region, scope.period(day), Decimal(getattr(outcome, what)), ("event", outcome.event_id))


EVENT_PARAMS = {"network": "only events organised by this organisation (its id)"}


@register("meetings_held", "Brokerage meetings held", "meetings",
          "Meetings of brokerage events that a participant says were held, in the period of the event's first "
          "day, placed where the organising network is.", params=EVENT_PARAMS)
def meetings_held(scope: Scope) -> Iterable[Fact]:
    return _event_facts(scope, "held")


@register("agreements_reached", "Agreements reached in brokerage meetings", "agreements",
          "Meetings of brokerage events after which a participant reports an agreement.", params=EVENT_PARAMS)
def agreements_reached(scope: Scope) -> Iterable[Fact]:
    return _event_facts(scope, "agreements")
