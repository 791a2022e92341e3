"""Charts of a consultation's results: Plotly figures for the pages (as plain dicts, drawn by
static/ris3hub/js/charts.js from json_script blocks, as in ris3hub.core.charts), matplotlib images
for the PDF report."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from ris3hub.core.charts import FONT, KIND_COLOURS

BAR_HEIGHT = 34
WRAP = 48


def _wrapped(label: str, width: int = WRAP) -> str:
    return "<br>".join(textwrap.wrap(label, width)[:2]) or label


def horizontal_bars(labels: list[str], values: list[float], *, x_title: str, colour: str = KIND_COLOURS[0],
                    hover: str = "%{x}") -> dict:
    """One bar per label, the first on top; hover shows the full label."""
    labels, values = labels[::-1], values[::-1]
    trace = go.Bar(x=values, y=[_wrapped(label) for label in labels], orientation="h", marker={"color": colour},
                   hovertext=labels, hovertemplate=f"%{{hovertext}}: {hover}<extra></extra>")
    layout = go.Layout(
        height=max(160, 60 + BAR_HEIGHT * len(labels)), margin={"l": 10, "r": 20, "t": 10, "b": 40}, font=FONT,
        xaxis={"title": {"text": x_title}, "fixedrange": True, "rangemode": "tozero"},
        yaxis={"automargin": True, "fixedrange": True}, paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)", bargap=0.3,
    )
    return go.Figure(data=[trace], layout=layout).to_plotly_json()


def theme_sizes(themes, answers_label: str) -> dict:
    return horizontal_bars([f"{t.number}. {t.label}" for t in themes], [t.size for t in themes], x_title=answers_label)


def choice_counts(counts: list[tuple[str, int]], answers_label: str) -> dict:
    return horizontal_bars([o for o, _ in counts], [n for _, n in counts], x_title=answers_label,
                           colour=KIND_COLOURS[2])


def ranking_scores(scores: list[tuple[str, int, int]], points_label: str) -> dict:
    return horizontal_bars([label for label, _, _ in scores], [points for _, points, _ in scores],
                           x_title=points_label, colour=KIND_COLOURS[1])


def bars_png(labels: list[str], values: list[float], x_title: str, colour: str = KIND_COLOURS[0]) -> bytes:
    """The same horizontal bars as a PNG for the PDF report."""
    import matplotlib.pyplot as plt

    from ris3hub.core.pdf import figure_png

    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(labels) + 0.8))
    ax.barh(["\n".join(textwrap.wrap(label, 55)[:2]) for label in labels][::-1], values[::-1], color=colour)
    ax.set_xlabel(x_title)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    return figure_png(fig)
