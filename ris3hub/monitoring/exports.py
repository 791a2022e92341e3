"""A strategy's monitoring dashboard as an XLSX workbook and as a PDF report.

The workbook has a sheet "Indicators" (definition, latest value, progress, projection, verdict), a
sheet "Values" (every value by region and period, with its source) and a sheet "source" with the
data's attribution. The PDF has a summary table and, for each indicator, its chart and figures.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from ris3hub.core.exports import ATTRIBUTION, neutralise
from ris3hub.core.pdf import Report
from ris3hub.monitoring.charts import progress_png
from ris3hub.monitoring.dashboard import PriorityGroup, Progress
from ris3hub.monitoring.models import IndicatorValue
from ris3hub.strategies.models import Strategy

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INDICATOR_COLUMNS = (
    "priority", "code", "indicator", "kind", "unit", "cumulative", "baseline", "baseline_year", "target",
    "target_year", "latest_period", "latest_value", "share_of_way_done", "projected_at_target_year",
    "projection_lower", "projection_upper", "probability_of_reaching", "status", "values", "source",
    "responsible_organisation",
)
VALUE_COLUMNS = ("indicator_code", "indicator", "region", "region_name", "period", "value", "source", "updated")


def _number(value) -> float | None:
    return None if value is None else float(value)


def indicator_row(progress: Progress) -> list:
    indicator, projection = progress.indicator, progress.projection
    latest = progress.series.latest
    return [
        indicator.priority.code if indicator.priority else "",
        indicator.code, indicator.name, indicator.kind, indicator.unit, indicator.cumulative,
        _number(indicator.baseline_value), indicator.baseline_year, _number(indicator.target_value),
        indicator.target_year,
        str(latest[0]) if latest else None, latest[1] if latest else None,
        progress.share_done,
        projection.expected if projection else None,
        projection.lower if projection else None,
        projection.upper if projection else None,
        projection.probability if projection else None,
        progress.status_label, indicator.get_method_display(), indicator.source,
        indicator.responsible.name if indicator.responsible else "",
    ]


def _bold_header(ws) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def dashboard_xlsx(strategy: Strategy, groups: list[PriorityGroup]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(list(INDICATOR_COLUMNS))
    items = [item for group in groups for item in group.items]
    for item in items:
        ws.append([neutralise(v) for v in indicator_row(item)])
    _bold_header(ws)
    values = wb.create_sheet("Values")
    values.append(list(VALUE_COLUMNS))
    rows = (IndicatorValue.objects.filter(indicator__in=[i.indicator for i in items])
            .select_related("indicator", "region").order_by("indicator__code", "region__code", "period"))
    for v in rows:
        values.append([neutralise(x) for x in (
            v.indicator.code, v.indicator.name, v.region.code, v.region.name_latn, v.period, float(v.value), v.source,
            v.updated.replace(tzinfo=None))])
    _bold_header(values)
    for sheet, widths in ((ws, {"B": 10, "C": 60}), (values, {"B": 60, "D": 28})):
        for letter, width in widths.items():
            sheet.column_dimensions[letter].width = width
    source = wb.create_sheet("source")
    source.append([f"{strategy.title} ({strategy.period}) — monitoring"])
    source.append([ATTRIBUTION])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _format(value, unit: str = "") -> str:
    if value is None:
        return "—"
    number = float(value)
    text = f"{number:,.0f}" if abs(number) >= 100 or number == int(number) else f"{number:,.2f}"
    return f"{text} {unit}".strip()


def _summary_row(item: Progress) -> list[str]:
    indicator, latest = item.indicator, item.series.latest
    return [
        indicator.priority.code if indicator.priority else "—",
        f"{indicator.code} {indicator.name}",
        f"{_format(latest[1], indicator.unit)} ({latest[0]})" if latest else "—",
        f"{_format(indicator.target_value, indicator.unit)} by {indicator.target_year}"
        if indicator.target_value is not None else "—",
        item.status_label,
    ]


def _figures(item: Progress) -> list[tuple[str, str]]:
    """An indicator's definition and where it stands, as the PDF lists them."""
    indicator, latest, p = item.indicator, item.series.latest, item.projection
    unit = indicator.unit
    pairs = [("Kind", indicator.get_kind_display()), ("Unit", unit)]
    if indicator.baseline_value is not None:
        pairs.append(("Baseline", f"{_format(indicator.baseline_value, unit)} ({indicator.baseline_year})"))
    if indicator.target_value is not None:
        pairs.append(("Target", f"{_format(indicator.target_value, unit)} by {indicator.target_year}"))
    if latest:
        pairs.append(("Latest", f"{_format(latest[1], unit)} ({latest[0]})"))
    if item.share_done is not None:
        pairs.append(("Of the way done", f"{item.share_done * 100:.0f}%"))
    if p is not None:
        interval = f"{round(p.level * 100)}% interval {_format(p.lower)} – {_format(p.upper)}"
        projected = (f"{_format(p.expected, unit)} in {indicator.target_year} ({interval}); "
                     f"probability of meeting the target {p.probability * 100:.0f}%")
        pairs.append(("Projected", projected))
    pairs.append(("Status", item.status_label))
    pairs.append(("Values", indicator.get_method_display() + (f" — {indicator.source}" if indicator.source else "")))
    return pairs


def dashboard_pdf(strategy: Strategy, groups: list[PriorityGroup], region_name: str) -> bytes:
    report = Report(f"Monitoring: {strategy.title}", f"{strategy.period} · {region_name}")
    items = [item for group in groups for item in group.items]
    report.heading("Summary")
    report.table(["Priority", "Indicator", "Latest", "Target", "Status"], [_summary_row(i) for i in items],
                 widths=(18, 80, 34, 34, 30), align_right=(2, 3))
    for group in groups:
        report.heading(f"{group.priority.code} {group.priority.title}" if group.priority else "Whole strategy")
        for item in group.items:
            report.paragraph(f"{item.indicator.code} {item.indicator.name}")
            report.key_values(_figures(item))
            if item.series.periods:
                report.image(progress_png(item), width=170)
    return report.output()
