"""Writes of the monitoring framework: objectives, indicators, values entered by hand.

The reporting rounds' writes are in ris3hub.monitoring.reporting and ris3hub.monitoring.uploads.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ris3hub.monitoring import queries
from ris3hub.monitoring.models import Indicator, IndicatorValue, IndicatorValueChange, Objective
from ris3hub.monitoring.periods import parse_period
from ris3hub.regions.models import Region
from ris3hub.strategies.models import Priority, Strategy


def _decimal(field: str, value: Any, problems: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        problems[field] = f"'{value}' is not a number"
        return None


def indicator_problems(indicator: Indicator) -> dict[str, str]:
    """What is wrong with an indicator's definition (empty when nothing is)."""
    problems: dict[str, str] = {}
    if indicator.priority_id and indicator.priority.strategy_id != indicator.strategy_id:
        problems["priority"] = f"priority {indicator.priority.code} is not a priority of {indicator.strategy}"
    if indicator.objective_id and indicator.objective.strategy_id != indicator.strategy_id:
        problems["objective"] = f"objective {indicator.objective.code} is not an objective of {indicator.strategy}"
    if indicator.method == Indicator.Method.REGISTRY:
        if indicator.query not in queries.QUERIES:
            problems["query"] = (f"'{indicator.query}' is not a registry query; choose one of "
                                 f"{', '.join(sorted(queries.QUERIES))}")
        else:
            query = queries.QUERIES[indicator.query]
            params = indicator.query_params or {}
            if not isinstance(params, dict):
                problems["query_params"] = "the parameters are a JSON object such as {\"framework\": \"H2020\"}"
            else:
                found = queries.check_params(query, params)
                if found:
                    problems["query_params"] = "; ".join(found)
            if query.annual_only and indicator.frequency != Indicator.Frequency.ANNUAL:
                problems["frequency"] = f"the query {query.name} gives yearly values only"
    elif indicator.method == Indicator.Method.REPORT and not indicator.report_field:
        problems["report_field"] = "name the report field whose approved values make the indicator"
    if (indicator.baseline_year and indicator.target_year
            and indicator.target_year <= indicator.baseline_year):
        problems["target_year"] = f"the target year {indicator.target_year} is not after the baseline year"
    if (indicator.target_value is None) != (indicator.target_year is None):
        problems["target_value"] = "give the target and its year together"
    return problems


@transaction.atomic
def do_create_objective(strategy: Strategy, code: str, title: str, *, priority: Priority | None = None,
                        description: str = "") -> Objective:
    objective = Objective(strategy=strategy, code=code.strip(), title=title.strip(), priority=priority,
                          description=description)
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def do_define_indicator(strategy: Strategy, code: str, name: str, *, unit: str, **fields: Any) -> Indicator:
    """Create the indicator ``code`` of ``strategy``, or update its definition (its values stay)."""
    problems: dict[str, str] = {}
    for field in ("baseline_value", "target_value"):
        if field in fields:
            fields[field] = _decimal(field, fields[field], problems)
    indicator = (Indicator.objects.filter(strategy=strategy, code=code).first()
                 or Indicator(strategy=strategy, code=code))
    indicator.name, indicator.unit = name, unit
    for field, value in fields.items():
        setattr(indicator, field, value)
    problems |= indicator_problems(indicator)
    if problems:
        raise ValidationError(problems)
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def do_record_value(indicator: Indicator, region: Region, period: str, value: Any, by=None) -> IndicatorValue:
    """A value entered by hand: it replaces whatever was there and is never overwritten by computing."""
    problems: dict[str, str] = {}
    try:
        period = str(parse_period(period))
    except ValueError as exc:
        problems["period"] = str(exc)
    number = _decimal("value", value, problems)
    if number is None and "value" not in problems:
        problems["value"] = "give a value"
    annual = indicator.frequency == Indicator.Frequency.ANNUAL
    if not problems and (parse_period(period).quarter is None) != annual:
        problems["period"] = (f"{indicator.code} is {indicator.get_frequency_display()}: "
                              f"{period} is not one of its periods")
    if problems:
        raise ValidationError(problems)
    current = IndicatorValue.objects.filter(indicator=indicator, region=region, period=period).first()
    old = None if current is None else current.value
    if current is None:
        current = IndicatorValue(indicator=indicator, region=region, period=period)
    current.value, current.source, current.updated_by = number, IndicatorValue.Source.MANUAL, by
    current.full_clean()
    current.save()
    current.refresh_from_db()
    IndicatorValueChange.objects.create(indicator=indicator, region=region, period=period, old_value=old,
                                        new_value=current.value, source=IndicatorValue.Source.MANUAL, by=by)
    return current
