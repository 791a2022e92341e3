"""Charts of the monitoring pages (Plotly, as ris3hub.core.charts: a figure dict drawn by charts.js
from a json_script block) and of the PDF report (matplotlib, the same picture on paper)."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from ris3hub.core.charts import FONT, KIND_COLOURS
from ris3hub.monitoring.dashboard import Progress, Series

LINE = "#0b3a6e"
BAND = "rgba(11, 58, 110, 0.14)"
TARGET = "#c2410c"
BASELINE = "#5b6776"


def _hover_format(unit: str) -> str:
    return ",.0f" if unit.upper() in ("EUR", "€") else ",.4~f"


def _axis(progress: Progress) -> dict:
    """Whole years on the time axis, spaced so that the labels do not run into each other."""
    times = [t for s in (progress.series, *progress.regions) for t in s.times]
    if progress.target_period is not None:
        times.append(progress.target_period.time)
    if not times:
        return {"tickformat": "d", "fixedrange": True, "showgrid": False}
    span = max(times) - min(times)
    dtick = 1 if span <= 10 else 2 if span <= 20 else 5
    pad = max(0.5, span * 0.03)  # a lone period sits in the middle, not at an edge
    return {"tickformat": "d", "dtick": dtick, "range": [min(times) - pad, max(times) + pad], "fixedrange": True,
            "showgrid": False}


def _with_gaps(series: Series) -> tuple[list, list, list]:
    """(times, values, labels) with a None where periods are missing, so that the line breaks there:
    a period without a value is unknown, not zero, and is not bridged."""
    times, values, labels = [], [], []
    for i, period in enumerate(series.periods):
        if i and series.periods[i - 1].next() != period:
            times.append(None)
            values.append(None)
            labels.append(None)
        times.append(period.time)
        values.append(series.values[i])
        labels.append(str(period))
    return times, values, labels


def progress_figure(progress: Progress, height: int = 280) -> dict:
    """The series, its projection band to the target year, the baseline and the target."""
    indicator, series = progress.indicator, progress.series
    number = _hover_format(indicator.unit)
    traces = []
    band = progress.band()
    if band is not None:
        times, expected, lower, upper = band
        traces += [
            go.Scatter(x=times, y=upper, mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False),
            go.Scatter(x=times, y=lower, mode="lines", line={"width": 0}, fill="tonexty", fillcolor=BAND,
                       name=_("%(level)d%% prediction interval") % {"level": round(progress.projection.level * 100)},
                       hoverinfo="skip"),
            go.Scatter(x=times, y=expected, mode="lines", line={"color": LINE, "dash": "dash", "width": 1.5},
                       name=_("trend"), hovertemplate=_("trend") + ": %{y:" + number + "}<extra></extra>"),
        ]
    times, values, labels = _with_gaps(series)
    traces.append(go.Scatter(
        x=times, y=values, customdata=labels, mode="lines+markers", connectgaps=False,
        line={"color": LINE, "width": 2}, marker={"size": 6}, name=_("observed"),
        hovertemplate="%{customdata}: %{y:" + number + "}<extra></extra>"))
    if indicator.baseline_value is not None and indicator.baseline_year:
        traces.append(go.Scatter(
            x=[indicator.baseline_year], y=[float(indicator.baseline_value)], mode="markers",
            marker={"symbol": "circle-open", "size": 11, "color": BASELINE, "line": {"width": 2}}, name=_("baseline"),
            hovertemplate=_("baseline") + " %{x}: %{y:" + number + "}<extra></extra>"))
    if progress.target_period is not None and indicator.target_value is not None:
        traces.append(go.Scatter(
            x=[progress.target_period.time], y=[float(indicator.target_value)], mode="markers",
            marker={"symbol": "star", "size": 14, "color": TARGET}, name=_("target"),
            hovertemplate=_("target") + " " + str(indicator.target_year) + ": %{y:" + number + "}<extra></extra>"))
    layout = go.Layout(
        height=height, margin={"l": 64, "r": 12, "t": 8, "b": 32}, font=FONT, xaxis=_axis(progress),
        yaxis={"title": {"text": indicator.unit}, "fixedrange": True, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.18, "font": {"size": 11}}, showlegend=True,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="closest",
    )
    return go.Figure(data=traces, layout=layout).to_plotly_json()


def regions_figure(progress: Progress, height: int = 300) -> dict:
    """One line a region below the strategy's region."""
    number = _hover_format(progress.indicator.unit)
    traces = []
    for i, series in enumerate(progress.regions):
        times, values, labels = _with_gaps(series)
        traces.append(go.Scatter(
            x=times, y=values, customdata=labels, mode="lines+markers", connectgaps=False,
            name=f"{series.region.name_latn} ({series.region.code})",
            line={"color": KIND_COLOURS[i % len(KIND_COLOURS)], "width": 1.6}, marker={"size": 6},
            hovertemplate=series.region.name_latn + " %{customdata}: %{y:" + number + "}<extra></extra>"))
    layout = go.Layout(
        height=height, margin={"l": 64, "r": 12, "t": 8, "b": 32}, font=FONT, xaxis=_axis(progress),
        yaxis={"title": {"text": progress.indicator.unit}, "fixedrange": True, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2, "font": {"size": 11}},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="closest",
    )
    return go.Figure(data=traces, layout=layout).to_plotly_json()


def progress_png(progress: Progress) -> bytes:
    """The progress chart for the PDF report (matplotlib)."""
    import matplotlib.pyplot as plt

    from ris3hub.core.pdf import figure_png

    indicator, series = progress.indicator, progress.series
    fig, ax = plt.subplots(figsize=(7.2, 2.5))
    band = progress.band()
    if band is not None:
        times, expected, lower, upper = band
        ax.fill_between(times, lower, upper, color=LINE, alpha=0.14, linewidth=0,
                        label=f"{round(progress.projection.level * 100)}% prediction interval")
        ax.plot(times, expected, color=LINE, linestyle="--", linewidth=1.2, label="trend")
    _plot_series(ax, series)
    if indicator.baseline_value is not None and indicator.baseline_year:
        ax.plot([indicator.baseline_year], [float(indicator.baseline_value)], "o", mfc="none", color=BASELINE,
                label="baseline")
    if progress.target_period is not None and indicator.target_value is not None:
        ax.plot([progress.target_period.time], [float(indicator.target_value)], "*", markersize=12, color=TARGET,
                label="target")
    ax.set_ylabel(indicator.unit)
    ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    return figure_png(fig, dpi=130)


def _plot_series(ax, series: Series) -> None:
    times, values, _labels = _with_gaps(series)
    ax.plot([float("nan") if t is None else t for t in times], [float("nan") if v is None else v for v in values],
            "-o", color=LINE, markersize=3.5, linewidth=1.8, label="observed")
