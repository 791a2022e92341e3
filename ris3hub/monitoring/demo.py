"""The demo monitoring framework: Emilia-Romagna's S3 2021-2027 with indicators computed from the
demo registry, and a reporting round of the High Technology Network's laboratories.

Run after the demo imports (it reads regions, projects, statistics and the example registry):
``build_demo_monitoring(progress)`` is idempotent, so the demo builder may call it again. The
strategy comes from the strategies app's demo file when it is not loaded yet.

Baselines are read from the data; the targets are illustrative (the demo says so on each
indicator): the region's own targets are set in its monitoring plan.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ris3hub import conf
from ris3hub.accounts.roles import Role, grant
from ris3hub.indicators.models import Indicator as Statistic
from ris3hub.indicators.models import Observation
from ris3hub.monitoring.actions import do_create_objective, do_define_indicator
from ris3hub.monitoring.compute import compute_all
from ris3hub.monitoring.models import Indicator, Objective, ReportingRound
from ris3hub.monitoring.reporting import do_open_round
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation, OrganisationKind
from ris3hub.strategies.models import Strategy

REGION = "ITH5"
PERIOD = Strategy.Period.P2021
STRATEGY_FILE = Path(__file__).resolve().parent.parent / "strategies" / "demo" / "emilia-romagna-s3-2021-2027.csv"
NETWORK_REF = "rete-alta-tecnologia"
COORDINATOR = "coordinator"
DEMO_PASSWORD = "ris3hub-demo"
ROUND_TITLE = "Annual report of the High Technology Network laboratories"
GDP = "nama_10r_3gdp:unit=PPS_EU27_2020_HAB"
AI_PREPRINTS = "eurito:artificial_intelligence_count"
ILLUSTRATIVE = "Illustrative target of the demo ({rule}); the region sets its own in its monitoring plan."

REPORT_FIELDS = [
    {"name": "research_contracts", "label": "Research contracts signed with companies", "type": "int",
     "required": True, "help": "Contracts signed in the year, whatever their value"},
    {"name": "revenue_companies", "label": "Revenue from companies (EUR)", "type": "decimal", "required": True,
     "help": "Research contracts, services and licences invoiced to companies in the year"},
    {"name": "staff_fte", "label": "Research staff (full-time equivalent)", "type": "decimal", "required": True},
    {"name": "equipment_hours", "label": "Hours of equipment used for companies", "type": "decimal",
     "required": False},
    {"name": "main_area", "label": "Main specialisation area of the year's work", "type": "choice",
     "required": False, "choices": []},
    {"name": "notes", "label": "Notes", "type": "text", "required": False,
     "help": "Anything the figures do not say: a large contract, a new facility"},
]


def _say(progress: bool, text: str) -> None:
    if progress:
        print(f"  {text}", file=sys.stderr, flush=True)


def demo_strategy() -> Strategy:
    """Emilia-Romagna's 2021-2027 strategy: loaded, or imported from the strategies app's demo file."""
    region = Region.objects.get(version=conf.nuts_version(), code=REGION)
    strategy = Strategy.objects.filter(region=region, period=PERIOD).first()
    if strategy is not None:
        return strategy
    if STRATEGY_FILE.exists():
        from ris3hub.core.loading import run_import

        report = run_import("strategy", [STRATEGY_FILE], progress=False)
        if report.errors:
            raise RuntimeError("the demo strategy could not be imported: " + "; ".join(map(str, report.errors[:5])))
        return Strategy.objects.get(region=region, period=PERIOD)
    return Strategy.objects.create(region=region, period=PERIOD,
                                   title="Emilia-Romagna Smart Specialisation Strategy 2021-2027 (S3)")


def _observed(code: str, year: int) -> Decimal | None:
    value = Observation.objects.filter(indicator__code=code, region_code=REGION, year=year).values_list(
        "value", flat=True).first()
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _network() -> Organisation | None:
    return Organisation.objects.filter(external_ids__source="registry", external_ids__value=NETWORK_REF).first()


def define_framework(strategy: Strategy) -> list[Indicator]:
    """The objectives and indicators of the demo (created or brought up to date)."""
    priorities = {p.code: p for p in strategy.priorities.all()}
    objectives = {}
    for code, title, priority in (
        ("OB1", "Raise the region's economic performance", None),
        ("OB2", "Attract European research and innovation funding to the region", None),
        ("OB3", "Strengthen technology transfer from the High Technology Network to companies", None),
        ("OB4", "Grow research in artificial intelligence and data", priorities.get("T06")),
    ):
        objectives[code] = (Objective.objects.filter(strategy=strategy, code=code).first()
                            or do_create_objective(strategy, code, title, priority=priority))
    network = _network()
    gdp_2020 = _observed(GDP, 2020)
    ai_2020 = _observed(AI_PREPRINTS, 2020)
    definitions = [
        dict(code="R1", name="GDP per inhabitant in purchasing power standards", unit="PPS",
             kind=Indicator.Kind.RESULT, objective=objectives["OB1"], query="observations",
             query_params={"indicator": GDP}, source="Eurostat nama_10r_3gdp",
             baseline_value=gdp_2020, baseline_year=2020 if gdp_2020 else None,
             target_value=(gdp_2020 * Decimal("1.15")).quantize(Decimal(1)) if gdp_2020 else None,
             target_year=2027 if gdp_2020 else None,
             description=ILLUSTRATIVE.format(rule="15% above the 2020 baseline")),
        dict(code="O1", name="EU contribution to participants in Emilia-Romagna in H2020 grants signed in 2021",
             unit="EUR", kind=Indicator.Kind.OUTPUT, objective=objectives["OB2"], query="eu_funding",
             query_params={"framework": "H2020", "date": "signature"},
             source="CORDIS, H2020 dashboard: participations in grants signed in 2021",
             description="The sum of the EU contribution of every participation placed in the region "
                         "(NUTS-3 code of the participant), in the year its grant was signed."),
        dict(code="O2", name="EU projects with participants in the region", unit="projects",
             kind=Indicator.Kind.OUTPUT, objective=objectives["OB2"], query="projects",
             source="CORDIS (FP7, H2020) as loaded in the registry",
             description="Projects counted once in the year they start, in each region where they have a participant."),
        dict(code="O3", name="Participations of SMEs in EU projects", unit="participations",
             kind=Indicator.Kind.OUTPUT, objective=objectives["OB2"], query="sme_participations",
             source="CORDIS (SME flag of the participant)"),
        dict(code="O4", name="Research contracts of network laboratories with companies", unit="contracts",
             kind=Indicator.Kind.OUTPUT, objective=objectives["OB3"], query="research_contracts",
             query_params={"network": network.pk} if network else {}, responsible=network,
             source="Registry of the High Technology Network"),
        dict(code="O5", name="New members of the High Technology Network", unit="organisations",
             kind=Indicator.Kind.OUTPUT, objective=objectives["OB3"], query="new_members",
             query_params={"network": network.pk} if network else {}, responsible=network,
             source="Registry: memberships and their start dates"),
        dict(code="O6", name="Brokerage meetings held", unit="meetings", kind=Indicator.Kind.OUTPUT,
             objective=objectives["OB3"], query="meetings_held", source="Brokerage events: follow-up answers"),
        dict(code="R2", name="Agreements reached in brokerage meetings", unit="agreements",
             kind=Indicator.Kind.RESULT, objective=objectives["OB3"], query="agreements_reached",
             source="Brokerage events: follow-up answers"),
        dict(code="R3", name="Revenue of network laboratories from companies", unit="EUR",
             kind=Indicator.Kind.RESULT, objective=objectives["OB3"], method=Indicator.Method.REPORT,
             query="", report_field="revenue_companies", responsible=network,
             source="Annual reports of the laboratories (approved)"),
        dict(code="T06-R1", name="Participations in artificial intelligence preprints", unit="participations",
             kind=Indicator.Kind.RESULT, priority=priorities.get("T06"), objective=objectives["OB4"],
             query="observations", query_params={"indicator": AI_PREPRINTS},
             source="Nesta EURITO (arXiv, bioRxiv, medRxiv, CORD-19)",
             baseline_value=ai_2020, baseline_year=2020 if ai_2020 else None,
             target_value=(ai_2020 * Decimal("1.5")).quantize(Decimal(1)) if ai_2020 else None,
             target_year=2027 if ai_2020 else None,
             description=ILLUSTRATIVE.format(rule="50% above the 2020 baseline")),
        dict(code="T06-O1", name="EU contribution to projects in digitalisation, AI and big data", unit="EUR",
             kind=Indicator.Kind.OUTPUT, priority=priorities.get("T06"), objective=objectives["OB4"],
             query="eu_funding", source="CORDIS, projects classified in the priority's fields and themes"),
        dict(code="T13-O1", name="EU projects in health with participants in the region", unit="projects",
             kind=Indicator.Kind.OUTPUT, priority=priorities.get("T13"), objective=objectives["OB2"],
             query="projects", source="CORDIS, projects classified in the priority's fields and themes"),
    ]
    indicators = []
    for definition in definitions:
        if "priority" in definition and definition["priority"] is None:
            continue  # the strategy file has no such priority
        statistic = definition.get("query_params", {}).get("indicator")
        if statistic and not Statistic.objects.filter(code=statistic).exists():
            continue  # the statistic is not loaded
        code, name, unit = definition.pop("code"), definition.pop("name"), definition.pop("unit")
        indicators.append(do_define_indicator(strategy, code, name, unit=unit, **definition))
    return indicators


def demo_users(network: Organisation) -> tuple:
    """The coordinator of the network and one editor a laboratory, all with the demo password."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    coordinator, _created = User.objects.get_or_create(username=COORDINATOR, defaults={
        "email": "coordinator@ris3hub.example", "first_name": "Network", "last_name": "Coordinator"})
    coordinator.password = password
    coordinator.save(update_fields=["password"])
    grant(coordinator, Role.COORDINATOR, network)
    labs = list(Organisation.objects.filter(memberships__network=network, kind=OrganisationKind.LABORATORY)
                .distinct().order_by("name"))
    people = []
    for lab in labs:
        ref = lab.external_ids.filter(source="registry").values_list("value", flat=True).first() or f"lab-{lab.pk}"
        user, _created = User.objects.get_or_create(username=ref, defaults={"email": f"{ref}@ris3hub.example"})
        user.password = password
        user.save(update_fields=["password"])
        grant(user, Role.EDITOR, lab)
        people.append(user)
    return coordinator, labs, people


def demo_round(strategy: Strategy, network: Organisation, coordinator, labs) -> ReportingRound:
    """The open round of the laboratories' annual report for last year (one a network and period)."""
    period = str(timezone.localdate().year - 1)
    existing = ReportingRound.objects.filter(network=network, period=period, title=ROUND_TITLE).first()
    if existing is not None:
        return existing
    fields = [dict(f) for f in REPORT_FIELDS]
    areas = [p.title for p in strategy.priorities.filter(code__startswith="S").order_by("code")]
    for f in fields:
        if f["name"] == "main_area":
            f["choices"] = areas
    if not areas:
        fields = [f for f in fields if f["name"] != "main_area"]
    return do_open_round(ROUND_TITLE, network, coordinator, period, fields,
                         timezone.localdate() + timedelta(days=30), strategy=strategy, members=labs)


@transaction.atomic
def build_demo_monitoring(progress: bool = True) -> Strategy:
    strategy = demo_strategy()
    indicators = define_framework(strategy)
    _say(progress, f"{len(indicators)} indicators of {strategy}")
    network = _network()
    if network is not None:
        coordinator, labs, _people = demo_users(network)
        if labs:
            round = demo_round(strategy, network, coordinator, labs)
            _say(progress, f"reporting round '{round.title}' ({round.period}): {round.submissions.count()} reports; "
                           f"coordinator '{COORDINATOR}', laboratories log in with their registry reference, "
                           f"password '{DEMO_PASSWORD}'")
    for result in compute_all(strategy):
        note = result.skipped or result.error or f"{len(result.values)} values"
        _say(progress, f"{result.indicator.code}: {note}")
    return strategy
