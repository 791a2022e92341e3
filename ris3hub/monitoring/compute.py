"""Computing indicator values: registry queries and approved reports -> IndicatorValue rows.

Each indicator is computed for the strategy's region and every region one level below it, for each
period. Values are stored idempotently: computing twice in a row creates, updates and deletes
nothing the second time; every change (a new value, a different one, one that no longer follows
from the data) is recorded in IndicatorValueChange. Values entered by hand are never overwritten.

A period in which a query finds nothing, or without an approved report, has no value (not a zero):
the registry may simply not cover it, and a projection should not read a gap as a collapse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from ris3hub.monitoring import queries
from ris3hub.monitoring.models import VALUE_PLACES, Indicator, IndicatorValue, IndicatorValueChange, ReportSubmission
from ris3hub.monitoring.periods import ANNUAL, Period, parse_period
from ris3hub.monitoring.reporting import FieldSpec, numeric_value
from ris3hub.regions.models import Region
from ris3hub.strategies.models import Strategy

QUANTUM = Decimal(1).scaleb(-VALUE_PLACES)


@dataclass(frozen=True)
class ComputedValue:
    region: str
    period: str
    value: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {"region": self.region, "period": self.period, "value": self.value}


@dataclass
class ComputeResult:
    indicator: Indicator
    values: list[ComputedValue] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    kept_manual: int = 0
    skipped: str = ""  # why nothing was computed (values entered by hand, an app not installed)
    error: str = ""  # what is wrong with the indicator's definition; nothing was computed

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": {"id": self.indicator.pk, "code": self.indicator.code, "name": self.indicator.name,
                          "unit": self.indicator.unit, "strategy": self.indicator.strategy_id},
            "skipped": self.skipped or None,
            "error": self.error or None,
            "counts": {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                       "deleted": self.deleted, "kept_manual": self.kept_manual},
            "values": [v.as_dict() for v in self.values],
        }


def scope_regions(strategy: Strategy) -> tuple[Region, ...]:
    """The strategy's region, then the regions one NUTS level below it, by code."""
    region = strategy.region
    below = Region.objects.filter(version=region.version, level=region.level + 1, code__startswith=region.code)
    return (region, *below.order_by("code"))


def indicator_scope(indicator: Indicator) -> queries.Scope:
    return queries.Scope(strategy=indicator.strategy, regions=scope_regions(indicator.strategy),
                         frequency=indicator.frequency, priority=indicator.priority,
                         params=dict(indicator.query_params or {}))


class DefinitionError(ValueError):
    """The indicator's definition does not fit its query (parameters, frequency)."""


def registry_totals(indicator: Indicator) -> dict[tuple[str, Period], Decimal]:
    """The query's sums by region and period (a period where the registry holds nothing has no value)."""
    if indicator.query not in queries.QUERIES:
        raise DefinitionError(f"'{indicator.query}' is not a registry query; the queries are "
                              f"{', '.join(sorted(queries.QUERIES))}")
    query = queries.QUERIES[indicator.query]
    problems = queries.check_params(query, indicator.query_params or {})
    if problems:
        raise DefinitionError("; ".join(problems))
    if query.annual_only and indicator.frequency != ANNUAL:
        raise DefinitionError(f"the query {query.name} gives yearly values only: make the indicator annual")
    scope = indicator_scope(indicator)
    return queries.aggregate(query.facts(scope), scope.regions, nested=query.nested)


def report_totals(indicator: Indicator) -> dict[tuple[str, Period], Decimal]:
    """Sums of the indicator's report field over the approved submissions of its strategy's rounds.

    A submission counts where its organisation is, or in the strategy's region alone when the
    organisation has no region. An annual indicator sums the quarterly rounds of each year.
    """
    scope = indicator_scope(indicator)
    submissions = (ReportSubmission.objects
                   .filter(round__strategy=indicator.strategy, status=ReportSubmission.Status.APPROVED)
                   .select_related("round", "organisation__region"))
    facts = []
    for submission in submissions:
        spec = next((FieldSpec.from_dict(f) for f in submission.round.fields
                     if f.get("name") == indicator.report_field), None)
        if spec is None:
            continue
        amount = numeric_value(spec, submission.values.get(indicator.report_field))
        if amount is None:
            continue
        period = parse_period(submission.round.period)
        if indicator.frequency == ANNUAL:
            period = Period(period.year)
        elif period.quarter is None:
            continue  # an annual round says nothing about a quarter
        organisation = submission.organisation
        region = organisation.region.code if organisation.region_id else scope.region.code
        facts.append(queries.Fact(region, period, amount, ("submission", submission.pk)))
    return queries.aggregate(facts, scope.regions)


def _quantize(value: Decimal) -> Decimal:
    return Decimal(value).quantize(QUANTUM)


def store(indicator: Indicator, totals: dict[tuple[str, Period], Decimal], source: str,
          result: ComputeResult, by=None) -> None:
    """Make the indicator's ``source`` values equal ``totals``, recording every change."""
    region_ids = dict(Region.objects.filter(version=indicator.strategy.region.version,
                                            code__in={code for code, _ in totals}).values_list("code", "pk"))
    existing = {(v.region_id, v.period): v for v in indicator.values.all()}
    wanted = set()
    for (code, period), raw in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1].time)):
        value = _quantize(raw)
        key = (region_ids[code], str(period))
        wanted.add(key)
        result.values.append(ComputedValue(code, str(period), value))
        current = existing.get(key)
        old = None if current is None else current.value
        if current is not None and current.source == IndicatorValue.Source.MANUAL:
            result.kept_manual += 1
            continue
        if current is None:
            IndicatorValue.objects.create(indicator=indicator, region_id=key[0], period=key[1], value=value,
                                          source=source, updated_by=by)
            result.created += 1
        elif current.value != value or current.source != source:
            current.value, current.source, current.updated_by = value, source, by
            current.save(update_fields=["value", "source", "updated", "updated_by"])
            result.updated += 1
        else:
            result.unchanged += 1
            continue
        IndicatorValueChange.objects.create(indicator=indicator, region_id=key[0], period=key[1],
                                            old_value=old, new_value=value, source=source, by=by)
    for key, current in existing.items():
        if key not in wanted and current.source == source:
            IndicatorValueChange.objects.create(indicator=indicator, region_id=key[0], period=key[1],
                                                old_value=current.value, new_value=None, source=source, by=by)
            current.delete()
            result.deleted += 1


@transaction.atomic
def compute_indicator(indicator: Indicator, by=None) -> ComputeResult:
    result = ComputeResult(indicator)
    if indicator.method == Indicator.Method.MANUAL:
        result.skipped = "its values are entered by hand"
        return result
    if indicator.method == Indicator.Method.REPORT:
        store(indicator, report_totals(indicator), IndicatorValue.Source.REPORT, result, by)
        return result
    try:
        totals = registry_totals(indicator)
    except queries.QueryUnavailable as exc:
        result.skipped = str(exc)
        return result
    except DefinitionError as exc:
        result.error = str(exc)
        return result
    store(indicator, totals, IndicatorValue.Source.COMPUTED, result, by)
    return result


def compute_all(strategy: Strategy | None = None, by=None) -> list[ComputeResult]:
    """Compute every indicator not entered by hand (of one strategy, or of all)."""
    indicators = Indicator.objects.select_related("strategy__region", "priority").order_by("strategy_id", "code")
    if strategy is not None:
        indicators = indicators.filter(strategy=strategy)
    return [compute_indicator(indicator, by) for indicator in indicators]
