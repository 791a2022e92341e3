"""An indicator's progress: its series by region, the distance to its target, the projection.

Shared by the dashboard pages, the XLSX and PDF exports and the API, so that they all say the
same. Targets are those of the strategy's region; the regions below it show their series only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from ris3hub.engines.monitoring.projection import MIN_POINTS, Projection, project
from ris3hub.monitoring.compute import scope_regions
from ris3hub.monitoring.models import Indicator, IndicatorValue
from ris3hub.monitoring.periods import Period, last_period_of_year, parse_period
from ris3hub.regions.models import Region
from ris3hub.strategies.models import Priority, Strategy

LEVEL = 0.9  # of the prediction interval

REACHED = "reached"
ON_TRACK = "on_track"
OUT_OF_REACH = "out_of_reach"
MISSED = "missed"
FEW_POINTS = "few_points"
NO_TARGET = "no_target"
NO_DATA = "no_data"
STATUS_LABELS = {
    REACHED: "target reached",
    ON_TRACK: "on track",
    OUT_OF_REACH: "target out of reach",
    MISSED: "target missed",
    FEW_POINTS: "too few periods to project",
    NO_TARGET: "no target",
    NO_DATA: "no data yet",
}


@dataclass
class Series:
    region: Region
    periods: list[Period] = field(default_factory=list)
    values: list[float] = field(default_factory=list)  # running totals for a cumulative indicator
    sources: list[str] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [p.time for p in self.periods]

    @property
    def latest(self) -> tuple[Period, float] | None:
        return (self.periods[-1], self.values[-1]) if self.periods else None


@dataclass
class Progress:
    """Where an indicator stands in the strategy's region, and where its trend leads."""

    indicator: Indicator
    series: Series
    regions: list[Series]  # the regions below the strategy's, with data
    status: str
    share_done: float | None  # (latest - baseline) / (target - baseline)
    projection: Projection | None
    target_period: Period | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def out_of_reach(self) -> bool:
        return self.status in (OUT_OF_REACH, MISSED)

    def band(self, steps: int = 24) -> tuple[list[float], list[float], list[float], list[float]] | None:
        """(times, expected, lower, upper) from the last observed period to the target."""
        if self.projection is None or not self.series.periods:
            return None
        xs = np.linspace(self.series.times[-1], self.projection.x_target, steps)
        expected, lower, upper = self.projection.band(xs)
        return list(xs), list(expected), list(lower), list(upper)


def _series_by_region(indicator: Indicator, regions: tuple[Region, ...]) -> dict[int, Series]:
    by_region = {r.pk: Series(r) for r in regions}
    rows = IndicatorValue.objects.filter(indicator=indicator, region__in=regions).values_list(
        "region_id", "period", "value", "source")
    points: dict[int, list[tuple[Period, Decimal, str]]] = defaultdict(list)
    for region, period, value, source in rows:
        try:
            points[region].append((parse_period(period), value, source))
        except ValueError:
            continue  # a value of another frequency (entered by hand before the frequency changed)
    for region, found in points.items():
        series = by_region[region]
        running = Decimal(0)
        for period, value, source in sorted(found, key=lambda p: p[0].time):
            if period.frequency != indicator.frequency:
                continue
            running += value
            series.periods.append(period)
            series.values.append(float(running if indicator.cumulative else value))
            series.sources.append(source)
    return by_region


def assess(indicator: Indicator, series: Series) -> tuple[str, float | None, Projection | None, Period | None]:
    """(status, share of the way done, projection, target period) of a series against the target."""
    latest = series.latest
    if latest is None:
        return NO_DATA, None, None, None
    if indicator.target_value is None or indicator.target_year is None:
        return NO_TARGET, None, None, None
    target = float(indicator.target_value)
    baseline = float(indicator.baseline_value) if indicator.baseline_value is not None else series.values[0]
    increasing = target >= baseline
    span = target - baseline
    share = (latest[1] - baseline) / span if span else None
    target_period = last_period_of_year(indicator.target_year, indicator.frequency)
    reached = latest[1] >= target if increasing else latest[1] <= target
    if latest[0].time >= target_period.time:
        return (REACHED if reached else MISSED), share, None, target_period
    if len(series.periods) < MIN_POINTS:
        return (REACHED if reached else FEW_POINTS), share, None, target_period
    projection = project(series.times, series.values, target_period.time, target, level=LEVEL,
                         increasing=increasing)
    if reached:
        status = REACHED
    else:
        status = OUT_OF_REACH if projection.out_of_reach else ON_TRACK
    return status, share, projection, target_period


def indicator_progress(indicator: Indicator, region: Region | None = None) -> Progress:
    """The indicator in the strategy's region (or in ``region``, one of those below it)."""
    regions = scope_regions(indicator.strategy)
    by_region = _series_by_region(indicator, regions)
    chosen = region or regions[0]
    main = by_region.get(chosen.pk) or Series(chosen)
    below = [by_region[r.pk] for r in regions[1:] if by_region[r.pk].periods]
    if region is not None and region.pk != regions[0].pk:
        # Targets are the strategy region's: a region below it shows its series only.
        return Progress(indicator, main, below, NO_DATA if not main.periods else NO_TARGET, None, None, None)
    status, share, projection, target_period = assess(indicator, main)
    return Progress(indicator, main, below, status, share, projection, target_period)


@dataclass
class PriorityGroup:
    priority: Priority | None  # None: indicators of the whole strategy
    items: list[Progress]


def strategy_progress(strategy: Strategy, *, region: Region | None = None,
                      priority: Priority | None = None) -> list[PriorityGroup]:
    """Every indicator of the strategy (of one priority), grouped by priority, whole-strategy ones first."""
    indicators = (Indicator.objects.filter(strategy=strategy)
                  .select_related("strategy__region", "priority", "objective", "responsible"))
    if priority is not None:
        indicators = indicators.filter(priority=priority)
    groups: dict[int | None, PriorityGroup] = {}
    for indicator in sorted(indicators, key=lambda i: (i.priority is not None, i.priority.code if i.priority else "",
                                                        i.code)):
        key = indicator.priority_id
        if key not in groups:
            groups[key] = PriorityGroup(indicator.priority, [])
        groups[key].items.append(indicator_progress(indicator, region))
    return list(groups.values())
