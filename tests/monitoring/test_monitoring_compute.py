"""Registry queries, computing and storing values: per region and period, idempotent, with history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ris3hub.monitoring import queries
from ris3hub.monitoring.actions import do_define_indicator, do_record_value
from ris3hub.monitoring.compute import compute_all, compute_indicator
from ris3hub.monitoring.models import IndicatorValue, IndicatorValueChange

pytestmark = pytest.mark.django_db


def define(eco, code, query, **fields):
    return do_define_indicator(eco.strategy, code, code, unit="u", query=query, **fields)


def values(indicator) -> dict[tuple[str, str], Decimal]:
    return {(v.region.code, v.period): v.value for v in IndicatorValue.objects.filter(indicator=indicator)
            .select_related("region")}


def test_eu_funding_by_region_and_signature_year(eco):
    indicator = define(eco, "EU", "eu_funding", query_params={"framework": "H2020", "date": "signature"})
    result = compute_indicator(indicator)
    # Milan is outside Emilia-Romagna; Bologna and Modena add up in the region.
    assert values(indicator) == {("ITH5", "2021"): Decimal("1500.25"), ("ITH55", "2021"): Decimal("1000.25"),
                                 ("ITH54", "2021"): Decimal("500")}
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)


def test_projects_count_once_per_region_and_fall_back_to_the_organisation_region(eco):
    indicator = define(eco, "P", "projects")
    compute_indicator(indicator)
    # The ICT project (partners in two provinces) counts once in ITH5; the FP7 project is placed
    # where its laboratory is; years are start years.
    assert values(indicator) == {
        ("ITH5", "2014"): 1, ("ITH55", "2014"): 1,
        ("ITH5", "2020"): 1, ("ITH55", "2020"): 1,
        ("ITH5", "2022"): 1, ("ITH54", "2022"): 1, ("ITH55", "2022"): 1,
    }


def test_priority_follows_concepts_below_it_and_thematic_domains(eco):
    indicator = define(eco, "P06", "eu_funding", priority=eco.t06)
    compute_indicator(indicator)
    # The AI concept is below the priority's ICT concept; the ICT project is in its thematic priority;
    # the health project is in neither.
    assert values(indicator)[("ITH5", "2014")] == Decimal("700")
    assert values(indicator)[("ITH5", "2022")] == Decimal("1500.25")
    assert ("ITH5", "2020") not in values(indicator)
    empty = define(eco, "P13", "eu_funding", priority=eco.t13)
    assert compute_indicator(empty).values == []


def test_sme_participations_quarterly(eco):
    indicator = define(eco, "SME", "sme_participations", frequency="quarterly")
    compute_indicator(indicator)
    assert values(indicator) == {("ITH5", "2022-Q1"): 1, ("ITH54", "2022-Q1"): 1}


def test_research_contracts_of_network_labs_with_companies(eco):
    count = define(eco, "C", "research_contracts", query_params={"network": eco.network.pk})
    value = define(eco, "CV", "research_contracts_value")
    compute_all(eco.strategy)
    # The contract with the university is not with a company.
    assert values(count) == {("ITH5", "2023"): 2, ("ITH55", "2023"): 2}
    assert values(value)[("ITH5", "2023")] == Decimal("55000.50")


def test_new_members_by_start(eco):
    indicator = define(eco, "NM", "new_members", query_params={"network": eco.network.pk}, frequency="quarterly")
    compute_indicator(indicator)
    assert values(indicator) == {("ITH5", "2022-Q1"): 1, ("ITH55", "2022-Q1"): 1}


def test_statistics_are_the_region_own_values(eco):
    from ris3hub.indicators.models import Indicator as Statistic
    from ris3hub.indicators.models import Observation

    gdp = Statistic.objects.create(code="gdp", dataset="gdp", label="GDP")
    for code, value in (("ITH5", 100.0), ("ITH55", 120.0), ("ITC4", 90.0)):
        Observation.objects.create(indicator=gdp, region_code=code, year=2020, value=value)
    indicator = define(eco, "GDP", "observations", query_params={"indicator": "gdp"})
    compute_indicator(indicator)
    assert values(indicator) == {("ITH5", "2020"): 100, ("ITH55", "2020"): 120}


def test_brokerage_meetings_skip_without_the_events_app(eco, monkeypatch):
    indicator = define(eco, "MH", "meetings_held")
    monkeypatch.setattr(queries.apps, "is_installed", lambda name: name != "ris3hub.events")
    result = compute_indicator(indicator)
    assert "ris3hub.events" in result.skipped and "not installed" in result.skipped
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()


def test_brokerage_meetings_with_the_events_app(eco):
    from datetime import date, time

    from ris3hub.events import actions as events

    meetings = define(eco, "MH", "meetings_held", frequency="quarterly")
    agreements = define(eco, "AR", "agreements_reached", frequency="quarterly")
    for result in compute_all(eco.strategy):
        assert not result.skipped and not result.error
    assert values(meetings) == {} and values(agreements) == {}

    # A brokerage day the network organises in May 2025: three meetings, two held, one agreement.
    event = events.do_create_event("Brokerage day", "brokerage-day", organising_network=eco.network)
    events.do_add_session(event, "Morning", date(2025, 5, 6), time(9), time(12))
    kind = events.do_add_participation_type(event, "Participant", needs_validation=False)
    people = [events.do_register(event, kind, person_name=f"P{i}", email=f"p{i}@example.org",
                                 organisation_name=f"Org {i}", consent_terms=True) for i in range(4)]
    held = events.do_create_meeting(event, people[:2])
    agreed = events.do_create_meeting(event, people[2:])
    events.do_create_meeting(event, [people[0], people[3]])  # nobody says it was held
    events.do_record_follow_up(held, people[0], held=True)
    events.do_record_follow_up(agreed, people[3], held=True, agreement=True)
    compute_all(eco.strategy)
    assert values(meetings) == {("ITH5", "2025-Q2"): 2}
    assert values(agreements) == {("ITH5", "2025-Q2"): 1}


def test_computing_again_changes_nothing_and_history_follows_the_data(eco):
    indicator = define(eco, "EU", "eu_funding", query_params={"date": "signature"})
    compute_indicator(indicator)
    again = compute_indicator(indicator)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 3)
    assert IndicatorValueChange.objects.filter(indicator=indicator).count() == 3

    participation = eco.ict_project.participations.get(organisation=eco.sme)
    participation.eu_contribution = Decimal("800")
    participation.save()
    changed = compute_indicator(indicator)
    assert (changed.updated, changed.unchanged) == (2, 1)  # Modena and the region
    change = IndicatorValueChange.objects.filter(indicator=indicator, region__code="ITH54").first()
    assert (change.old_value, change.new_value) == (Decimal("500"), Decimal("800"))

    participation.delete()
    removed = compute_indicator(indicator)
    assert removed.deleted == 1
    assert not IndicatorValue.objects.filter(indicator=indicator, region__code="ITH54").exists()
    assert IndicatorValueChange.objects.filter(indicator=indicator, region__code="ITH54", new_value=None).exists()


def test_values_entered_by_hand_are_kept(eco):
    indicator = define(eco, "EU", "eu_funding", query_params={"date": "signature"})
    do_record_value(indicator, eco.regions["ITH5"], "2021", "2000", by=eco.coordinator)
    result = compute_indicator(indicator)
    assert result.kept_manual == 1
    kept = IndicatorValue.objects.get(indicator=indicator, region=eco.regions["ITH5"])
    assert (kept.value, kept.source) == (Decimal("2000"), "manual")


def test_manual_values_check_the_period(eco):
    indicator = define(eco, "M", "", method="manual")
    with pytest.raises(ValidationError) as caught:
        do_record_value(indicator, eco.regions["ITH5"], "2021-Q2", "5")
    assert "annual" in str(caught.value)
    with pytest.raises(ValidationError, match="not a period"):
        do_record_value(indicator, eco.regions["ITH5"], "21", "5")
    assert compute_indicator(indicator).skipped


@pytest.mark.parametrize("fields, problem", [
    ({"query": "nothing"}, "not a registry query"),
    ({"query": "eu_funding", "query_params": {"year": 2021}}, "'year' is not a parameter"),
    ({"query": "eu_funding", "query_params": {"date": "end"}}, "date must be one of"),
    ({"query": "observations"}, "needs the parameter indicator"),
    ({"query": "observations", "query_params": {"indicator": "nope"}}, "no statistical indicator"),
    ({"query": "projects", "target_value": 10}, "together"),
    ({"query": "projects", "target_value": 10, "target_year": 2020, "baseline_year": 2021}, "not after"),
    ({"method": "report", "query": ""}, "report field"),
])
def test_definitions_are_checked(eco, fields, problem):
    with pytest.raises(ValidationError, match=problem):
        do_define_indicator(eco.strategy, "X", "X", unit="u", **fields)


def test_a_stale_definition_is_reported_not_computed(eco):
    indicator = define(eco, "EU", "eu_funding")
    indicator.query_params = {"colour": "blue"}
    indicator.save()
    result = compute_indicator(indicator)
    assert "'colour' is not a parameter" in result.error
