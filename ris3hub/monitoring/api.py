"""REST API of the monitoring frameworks: indicators with their progress, values, registry queries."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from ris3hub.core.errors import INVALID, NOT_FOUND
from ris3hub.monitoring import queries
from ris3hub.monitoring.dashboard import strategy_progress
from ris3hub.monitoring.models import Indicator, IndicatorValue
from ris3hub.strategies.models import Strategy

router = Router(tags=["monitoring"])


class ProjectionOut(Schema):
    expected: float = Field(description="The trend's value in the target year")
    lower: float
    upper: float
    level: float = Field(description="Of the prediction interval, e.g. 0.9")
    probability: float = Field(description="Of reaching the target in the target year")
    out_of_reach: bool


class IndicatorProgressOut(Schema):
    id: int
    code: str
    name: str
    priority: str | None
    kind: str
    unit: str
    method: str = Field(description="registry, report or manual")
    query: str
    cumulative: bool
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    latest_period: str | None
    latest_value: float | None
    share_done: float | None = Field(description="(latest - baseline) / (target - baseline)")
    status: str = Field(description="reached, on_track, out_of_reach, missed, few_points, no_target or no_data")
    projection: ProjectionOut | None


class ValueOut(Schema):
    region: str
    period: str
    value: float
    source: str = Field(description="computed, report or manual")


class QueryOut(Schema):
    name: str
    label: str
    unit: str
    description: str
    params: dict[str, str]
    follows_priority: bool


def _number(value) -> float | None:
    return None if value is None else float(value)


@router.get("/strategies/{strategy_id}/indicators", response={200: list[IndicatorProgressOut], **NOT_FOUND},
            summary="A strategy's indicators and their progress")
def strategy_indicators(request, strategy_id: int):
    strategy = get_object_or_404(Strategy.objects.select_related("region"), pk=strategy_id)
    out = []
    for group in strategy_progress(strategy):
        for item in group.items:
            i, p, latest = item.indicator, item.projection, item.series.latest
            out.append({
                "id": i.pk, "code": i.code, "name": i.name, "priority": i.priority.code if i.priority else None,
                "kind": i.kind, "unit": i.unit, "method": i.method, "query": i.query, "cumulative": i.cumulative,
                "baseline_value": _number(i.baseline_value), "baseline_year": i.baseline_year,
                "target_value": _number(i.target_value), "target_year": i.target_year,
                "latest_period": str(latest[0]) if latest else None, "latest_value": latest[1] if latest else None,
                "share_done": item.share_done, "status": item.status,
                "projection": None if p is None else {
                    "expected": p.expected, "lower": p.lower, "upper": p.upper, "level": p.level,
                    "probability": p.probability, "out_of_reach": p.out_of_reach},
            })
    return out


@router.get("/indicators/{indicator_id}/values", response={200: list[ValueOut], **NOT_FOUND},
            summary="An indicator's values by region and period")
def indicator_values(request, indicator_id: int, region: str | None = None):
    """Every value, or those of one region (``?region=ITH55``)."""
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    values = (IndicatorValue.objects.filter(indicator=indicator).select_related("region")
              .order_by("region__code", "period"))
    if region:
        values = values.filter(region__code=region.upper())
    return [{"region": v.region.code, "period": v.period, "value": float(v.value), "source": v.source} for v in values]


@router.get("/queries", response={200: list[QueryOut], **INVALID},
            summary="The registry queries indicators can be computed from")
def list_queries(request):
    return [{"name": q.name, "label": q.label, "unit": q.unit, "description": q.description, "params": q.params,
             "follows_priority": q.follows_priority} for q in sorted(queries.QUERIES.values(), key=lambda q: q.name)]
