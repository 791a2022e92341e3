"""Plotly figures of the S3 profile page, as plain dicts drawn by static/ris3hub/js/charts.js.

Same conventions as ris3hub.core.charts: built on the server, no inline script, customdata a URL
where a click should lead somewhere. The figures are written as plotly.js JSON directly rather
than through plotly.graph_objects, whose validation and deep copies cost a good part of a second
on a page of six charts; the map reuses ris3hub.core.charts.choropleth once per NUTS level and
only changes its values (``rca_map``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import minimum_spanning_tree

from ris3hub.core.charts import FONT

BRAND = "#0b3a6e"
ACCENT = "#c2410c"
GREEN = "#15803d"
GREY = "#9aa9b8"
LIGHT = "#d5e2f0"
GRID = "#e3e8ef"
QUADRANT_COLOURS = {  # the quadrants of ris3hub.engines.s3.opportunities
    "ideal": GREEN,
    "stretch": "#7e22ce",
    "safe": "#0e7490",
    "weak": GREY,
}
TRANSPARENT = "rgba(0,0,0,0)"
WRAP = 38  # characters a hover line holds
EDGES_PER_NODE = 1.0  # strongest links kept on top of the spanning tree, per domain


def _layout(height: int, **extra) -> dict:
    base = {"height": height, "font": FONT, "paper_bgcolor": TRANSPARENT, "plot_bgcolor": TRANSPARENT,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 40}, "hovermode": "closest"}
    base.update(extra)
    return base


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, width: int = WRAP) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _categories(labels: list[str], limit: int = 48) -> tuple[list[int], dict]:
    """Positions and the axis ticks that name them: shortened labels may repeat, positions never do."""
    return list(range(len(labels))), {"tickmode": "array", "tickvals": list(range(len(labels))),
                                      "ticktext": [_short(label, limit) for label in labels]}


def specialisation_bars(labels: list[str], rca: list[float], counts: list[float], *, value_label: str,
                        height_per_bar: int = 19) -> dict:
    """The region's RCA in each domain, highest on top; a line marks RCA = 1 (as specialised as
    the whole); bars of specialised domains in the brand colour."""
    order = sorted(range(len(labels)), key=lambda i: rca[i])
    positions, ticks = _categories([labels[i] for i in order])
    trace = {
        "type": "bar", "orientation": "h", "x": [rca[i] for i in order], "y": positions,
        "marker": {"color": [BRAND if rca[i] >= 1 else LIGHT for i in order], "line": {"width": 0}},
        "customdata": [[_wrap(labels[i]), counts[i]] for i in order],
        "hovertemplate": "%{customdata[0]}<br>RCA %{x:.2f}<br>" + value_label + " %{customdata[1]:,.0f}<extra></extra>",
    }
    top = max(rca) if rca else 1
    layout = _layout(
        max(260, 60 + height_per_bar * len(labels)),
        margin={"l": 10, "r": 20, "t": 10, "b": 40},
        xaxis={"title": {"text": "RCA"}, "fixedrange": True, "range": [0, max(1.2, top * 1.05)], "zeroline": False,
               "gridcolor": GRID},
        yaxis={"automargin": True, "fixedrange": True, "tickfont": {"size": 11}, **ticks},
        shapes=[{"type": "line", "x0": 1, "x1": 1, "yref": "paper", "y0": 0, "y1": 1,
                 "line": {"color": ACCENT, "width": 1.5, "dash": "dash"}}],
        bargap=0.25, showlegend=False,
    )
    return {"data": [trace], "layout": layout}


@dataclass(frozen=True)
class Point:
    label: str
    x: float  # relatedness density (ease)
    y: float  # complexity (benefit)
    rca: float
    quadrant: str  # a key of QUADRANT_COLOURS, or "" for a domain the region is specialised in
    quadrant_label: str


def opportunity_scatter(points: list[Point], *, x_split: float, y_split: float, quadrant_names: dict[str, str],
                        specialised_name: str, x_title: str, y_title: str, height: int = 520) -> dict:
    """Relatedness density (ease) against complexity (benefit), after Balland et al. (2019).

    Domains the region is not specialised in are coloured by quadrant; those it is specialised in
    are hollow grey circles. The dashed lines split at ``x_split`` and ``y_split``; each quadrant
    is named in its corner.
    """
    hover = ("%{customdata[0]}<br>" + x_title + " %{x:.2f}<br>" + y_title
             + " %{y:.2f}<br>RCA %{customdata[1]:.2f}<extra></extra>")
    traces = []
    for key, colour in QUADRANT_COLOURS.items():
        members = [p for p in points if p.quadrant == key]
        traces.append({
            "type": "scatter", "mode": "markers", "name": quadrant_names[key],
            "x": [p.x for p in members], "y": [p.y for p in members],
            "marker": {"size": 11, "color": colour, "line": {"width": 1, "color": "#ffffff"}},
            "customdata": [[_wrap(p.label), p.rca] for p in members], "hovertemplate": hover,
        })
    held = [p for p in points if not p.quadrant]
    traces.append({
        "type": "scatter", "mode": "markers", "name": specialised_name,
        "x": [p.x for p in held], "y": [p.y for p in held],
        "marker": {"size": 9, "color": TRANSPARENT, "line": {"width": 1.5, "color": BRAND}},
        "customdata": [[_wrap(p.label), p.rca] for p in held], "hovertemplate": hover,
    })
    xs = [p.x for p in points] or [0, 1]
    ys = [p.y for p in points] or [0, 1]
    pad_x = (max(xs) - min(xs)) * 0.08 or 0.05
    pad_y = (max(ys) - min(ys)) * 0.08 or 0.5
    x_range = [min(xs) - pad_x, max(xs) + pad_x]
    y_range = [min(ys) - pad_y, max(ys) + pad_y]
    corner = {"font": {"size": 11, "color": "#5b6776"}, "showarrow": False, "xref": "x", "yref": "y"}
    annotations = [
        {**corner, "x": x_range[1], "y": y_range[1], "xanchor": "right", "yanchor": "top",
         "text": quadrant_names["ideal"]},
        {**corner, "x": x_range[0], "y": y_range[1], "xanchor": "left", "yanchor": "top",
         "text": quadrant_names["stretch"]},
        {**corner, "x": x_range[1], "y": y_range[0], "xanchor": "right", "yanchor": "bottom",
         "text": quadrant_names["safe"]},
        {**corner, "x": x_range[0], "y": y_range[0], "xanchor": "left", "yanchor": "bottom",
         "text": quadrant_names["weak"]},
    ]
    line = {"color": ACCENT, "width": 1, "dash": "dash"}
    layout = _layout(
        height, margin={"l": 60, "r": 10, "t": 10, "b": 110},
        xaxis={"title": {"text": x_title}, "range": x_range, "zeroline": False, "fixedrange": True, "gridcolor": GRID},
        yaxis={"title": {"text": y_title}, "range": y_range, "zeroline": False, "fixedrange": True, "gridcolor": GRID},
        shapes=[{"type": "line", "x0": x_split, "x1": x_split, "y0": y_range[0], "y1": y_range[1], "line": line},
                {"type": "line", "x0": x_range[0], "x1": x_range[1], "y0": y_split, "y1": y_split, "line": line}],
        annotations=annotations, legend={"orientation": "h", "y": -0.2, "yanchor": "top"},
    )
    return {"data": traces, "layout": layout}


def backbone(phi: np.ndarray, per_node: float = EDGES_PER_NODE) -> list[tuple[int, int, float]]:
    """The links drawn in the domain space: the maximum spanning tree of the proximities (every
    domain reachable), plus the strongest other links, about ``per_node`` per domain
    (Hidalgo et al. 2007 draw the product space the same way)."""
    n = phi.shape[0]
    if n < 2:
        return []
    weights = np.array(phi, dtype=float)
    np.fill_diagonal(weights, 0.0)
    # Minimum spanning tree of (2 - phi) = maximum spanning tree of phi, with zeros kept as links.
    distance = np.where(weights > 0, 2.0 - weights, 0.0)
    tree = minimum_spanning_tree(distance).tocoo()
    edges = {(min(i, j), max(i, j)) for i, j in zip(tree.row.tolist(), tree.col.tolist())}
    upper = np.triu_indices(n, 1)
    strength = weights[upper]
    extra = int(per_node * n)
    for k in np.argsort(-strength, kind="stable")[:extra]:
        if strength[k] > 0:
            edges.add((int(upper[0][k]), int(upper[1][k])))
    return sorted((i, j, float(weights[i, j])) for i, j in edges)


def spring_layout(n: int, edges: list[tuple[int, int, float]], iterations: int = 200) -> np.ndarray:
    """Deterministic force-directed positions (Fruchterman and Reingold 1991) of ``n`` nodes.

    Starts from the nodes on a circle in index order and cools linearly, so that the same data
    always gives the same picture. Returns an (n, 2) array scaled to [-1, 1].
    """
    if n == 0:
        return np.zeros((0, 2))
    angle = 2 * math.pi * np.arange(n) / n
    pos = np.column_stack([np.cos(angle), np.sin(angle)])
    if n == 1:
        return np.zeros((1, 2))
    k = math.sqrt(4.0 / n)
    src = np.array([e[0] for e in edges], dtype=int)
    dst = np.array([e[1] for e in edges], dtype=int)
    weight = np.array([e[2] for e in edges], dtype=float)
    temperature = 0.2
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(-1)) + 1e-9
        force = (delta / dist[..., None] * (k * k / dist)[..., None]).sum(axis=1)
        if len(edges):
            d = pos[src] - pos[dst]
            length = np.sqrt((d ** 2).sum(-1)) + 1e-9
            pull = d * (length / k * (0.5 + weight))[:, None]
            np.add.at(force, src, -pull)
            np.add.at(force, dst, pull)
        size = np.sqrt((force ** 2).sum(-1)) + 1e-9
        pos += force / size[:, None] * np.minimum(size, temperature)[:, None]
        temperature = 0.2 * (1 - (step + 1) / iterations) + 0.002
    pos -= pos.mean(axis=0)
    scale = np.abs(pos).max() or 1.0
    return pos / scale


def domain_network(labels: list[str], edges: list[tuple[int, int, float]], pos: np.ndarray, rca: list[float],
                   size: list[float], *, named: set[int], specialised_name: str, other_name: str,
                   height: int = 560) -> dict:
    """The domain space: domains linked by proximity (``backbone``) at ``spring_layout`` positions,
    filled where the region is specialised (RCA >= 1), sized by the region's activity in them.
    The domains in ``named`` carry their name; every domain names itself on hover."""
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for i, j, _ in edges:
        edge_x += [float(pos[i, 0]), float(pos[j, 0]), None]
        edge_y += [float(pos[i, 1]), float(pos[j, 1]), None]
    traces = [{"type": "scatter", "x": edge_x, "y": edge_y, "mode": "lines", "line": {"color": "#c3ccd6", "width": 1},
               "hoverinfo": "skip", "showlegend": False}]
    top = max(size) if size else 0
    for name, held, colour in ((specialised_name, True, BRAND), (other_name, False, LIGHT)):
        idx = [i for i in range(len(labels)) if (rca[i] >= 1) == held]
        traces.append({
            "type": "scatter", "name": name, "mode": "markers+text",
            "x": pos[idx, 0].tolist(), "y": pos[idx, 1].tolist(),
            "text": [_short(labels[i], 26) if i in named else "" for i in idx],
            "textposition": "top center", "textfont": {"size": 10, "color": "#3b4654"},
            "marker": {"size": [8 + 18 * math.sqrt(size[i] / top) if top else 8 for i in idx], "color": colour,
                       "line": {"width": 1, "color": BRAND}},
            "customdata": [[_wrap(labels[i]), rca[i]] for i in idx],
            "hovertemplate": "%{customdata[0]}<br>RCA %{customdata[1]:.2f}<extra></extra>",
        })
    axis = {"visible": False, "fixedrange": True}
    layout = _layout(height, xaxis={**axis, "range": [-1.25, 1.25]}, yaxis={**axis, "range": [-1.1, 1.12]},
                     legend={"orientation": "h", "y": -0.02}, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    return {"data": traces, "layout": layout}


def rca_map(base: dict, values: dict[str, float], hovers: dict[str, str], urls: dict[str, str]) -> dict:
    """A map of RCA by region from ``base``, a ris3hub.core.charts.choropleth figure of the regions
    (drawn once per NUTS level): only the values, hover texts, links and colour range change.
    The colour bar runs from 0 to the 95th percentile of RCA, and at least to 2."""
    trace = dict(base["data"][0])
    codes = trace["locations"]
    z = [values.get(code, 0.0) for code in codes]
    ordered = sorted(z)
    top = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 2.0
    trace.update(z=z, hovertext=[hovers.get(code, code) for code in codes],
                 customdata=[urls.get(code, "") for code in codes], zmin=0, zmax=max(2.0, top))
    return {"data": [trace], "layout": base["layout"]}


def trend_lines(years: list[int], series: list[tuple[str, list[float]]], *, y_title: str, height: int = 340) -> dict:
    """One line per domain over the years, on a logarithmic scale (a steady growth rate is a
    straight line, and a domain a hundred times larger does not flatten the others); years
    without activity are gaps."""
    colours = [BRAND, ACCENT, GREEN, "#7e22ce", "#0e7490", "#be123c", "#4d7c0f", "#b45309"]
    traces = [{
        "type": "scatter", "mode": "lines+markers", "x": years, "y": [v if v > 0 else None for v in values],
        "name": _short(label, 40),
        "line": {"color": colours[k % len(colours)], "width": 2}, "marker": {"size": 5},
        "hovertemplate": _wrap(label) + "<br>%{x}: %{y:,.4~g}<extra></extra>",
    } for k, (label, values) in enumerate(series)]
    layout = _layout(height, margin={"l": 60, "r": 10, "t": 10, "b": 30},
                     xaxis={"tickformat": "d", "fixedrange": True, "gridcolor": GRID},
                     yaxis={"title": {"text": y_title}, "fixedrange": True, "type": "log", "dtick": 1, "gridcolor": GRID},
                     legend={"orientation": "h", "y": -0.18})
    return {"data": traces, "layout": layout}


def peer_heatmap(regions: list[str], labels: list[str], rca: np.ndarray, named: int = 60) -> dict:
    """RCA of the region and its peers (rows) in each domain (columns), on a log scale centred at 1;
    the columns are named below the map when there are at most ``named`` of them."""
    z = np.log2(np.clip(rca, 1 / 16, 16))
    positions, ticks = _categories(labels, 30)
    trace = {
        "type": "heatmap", "z": z.tolist(), "x": positions, "y": regions, "xgap": 1, "ygap": 1,
        "customdata": [[[_wrap(labels[j]), float(rca[i, j])] for j in range(len(labels))] for i in range(len(regions))],
        "colorscale": [[0.0, "#2166ac"], [0.5, "#f7f7f7"], [1.0, "#b2182b"]], "zmin": -4, "zmax": 4,
        "colorbar": {"title": {"text": "RCA", "side": "right"}, "tickvals": [-4, -2, 0, 2, 4],
                     "ticktext": ["1/16", "1/4", "1", "4", "16"], "thickness": 10},
        "hovertemplate": "%{y}<br>%{customdata[0]}<br>RCA %{customdata[1]:.2f}<extra></extra>",
    }
    xaxis = {"fixedrange": True, "showgrid": False}
    if len(labels) <= named:
        xaxis.update(tickangle=-45, automargin=True, tickfont={"size": 10}, **ticks)
    else:
        xaxis.update(showticklabels=False)
    layout = _layout(120 + 28 * len(regions) + (160 if len(labels) <= named else 0),
                     margin={"l": 10, "r": 10, "t": 10, "b": 10}, xaxis=xaxis,
                     yaxis={"automargin": True, "fixedrange": True, "autorange": "reversed", "showgrid": False})
    return {"data": [trace], "layout": layout}
