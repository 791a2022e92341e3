"""Plotly figures of the web pages: region maps, time series and network graphs.

Each function returns a figure as a plain dict ({"data": [...], "layout": {...}}) that a template
hands to the browser in a ``json_script`` block; static/ris3hub/js/charts.js draws it with the
vendored plotly.js. Maps use the regions' GISCO polygons, no tiles and no base map, so they work
offline.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import plotly.graph_objects as go

# Outermost regions far from mainland Europe (Canarias, Azores, Madeira, the French overseas
# departments): drawn, but left out when the map decides what part of the globe to show.
OUTERMOST_PREFIXES = ("FRY", "ES70", "PT20", "PT30")
MIN_SPAN_DEGREES = 2.0
COORDINATE_DIGITS = 3  # about 100 m, far below what a 1:60 million polygon resolves
SEQUENTIAL = [[0.0, "#e8f0f8"], [0.5, "#6b9bc8"], [1.0, "#0b3a6e"]]
HIGHLIGHT = [[0.0, "#d5e2f0"], [1.0, "#c2410c"]]
KIND_COLOURS = ["#0b3a6e", "#c2410c", "#15803d", "#7e22ce", "#b45309", "#0e7490", "#be123c", "#4d7c0f"]
LABELLED_NODES = 40  # above this many nodes a graph names its nodes on hover only
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


@dataclass(frozen=True)
class Area:
    """One region drawn on a map."""

    code: str
    geometry: str  # GeoJSON geometry text (WGS84), as stored on Region
    value: float
    hover: str
    url: str


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    group: str
    url: str
    level: int  # 0 the network itself, 1 its members, 2 members of members


def _round(coordinates):
    if isinstance(coordinates, list):
        return [_round(c) for c in coordinates]
    return round(coordinates, COORDINATE_DIGITS)


def _points(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
    else:
        for part in coordinates:
            yield from _points(part)


def _bounds(features: list[dict]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the features, outermost regions left out unless alone."""
    mainland = [f for f in features if not f["id"].startswith(OUTERMOST_PREFIXES)] or features
    lons, lats = [], []
    for feature in mainland:
        for lon, lat in _points(feature["geometry"]["coordinates"]):
            lons.append(lon)
            lats.append(lat)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def _geo_layout(bounds: tuple[float, float, float, float] | None) -> dict:
    geo = {"visible": False, "showframe": False, "bgcolor": "rgba(0,0,0,0)"}
    if bounds is None:
        return geo
    west, south, east, north = bounds
    # A small margin, and at least a couple of degrees shown so that a lone small region is not blown up.
    pad_lon = max((east - west) * 0.04, (MIN_SPAN_DEGREES - (east - west)) / 2)
    pad_lat = max((north - south) * 0.04, (MIN_SPAN_DEGREES * 0.6 - (north - south)) / 2)
    geo["lonaxis"] = {"range": [west - pad_lon, east + pad_lon]}
    geo["lataxis"] = {"range": [south - pad_lat, north + pad_lat]}
    if east - west > 15:  # a continent: an equal-area conic projection as in Eurostat's maps
        geo["projection"] = {"type": "conic equal area", "parallels": [43, 62],
                             "rotation": {"lon": (west + east) / 2}}
    else:
        geo["projection"] = {"type": "mercator"}
    return geo


def _aspect(geo: dict) -> float | None:
    """Height over width of the mapped area, roughly (degrees of longitude shrink with the cosine of
    the latitude); charts.js lowers a map's height to it on narrow screens so that the map fits."""
    if "lonaxis" not in geo:
        return None
    west, east = geo["lonaxis"]["range"]
    south, north = geo["lataxis"]["range"]
    return (north - south) / ((east - west) * math.cos(math.radians((north + south) / 2)))


def choropleth(areas: list[Area], *, colorbar_title: str = "", highlight: str | None = None,
               height: int = 460, tickformat: str = "d") -> dict:
    """A map of ``areas`` coloured by value; or, with ``highlight``, that one area in accent colour.

    Clicking an area opens its ``url`` (charts.js reads it from customdata). ``tickformat`` is the
    colour bar's d3 number format: "d" for counts, "~s" for amounts (12M).
    """
    features = []
    kept = []
    for area in areas:
        if not area.geometry:
            continue
        geometry = json.loads(area.geometry)
        geometry["coordinates"] = _round(geometry["coordinates"])
        features.append({"type": "Feature", "id": area.code, "properties": {}, "geometry": geometry})
        kept.append(area)
    if highlight is not None:
        values = [1.0 if a.code == highlight else 0.0 for a in kept]
        colour = {"colorscale": HIGHLIGHT, "zmin": 0, "zmax": 1, "showscale": False}
    else:
        values = [a.value for a in kept]
        ordered = sorted(values)
        # The 95th percentile tops the scale so that one capital city does not wash out the rest.
        top = ordered[int(0.95 * (len(ordered) - 1))] if len(ordered) >= 20 else (ordered[-1] if ordered else 0)
        colour = {"colorscale": SEQUENTIAL, "zmin": 0, "zmax": top or 1, "showscale": True,
                  "colorbar": {"title": {"text": colorbar_title, "side": "top"}, "orientation": "h",
                               "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top", "len": 0.5,
                               "thickness": 10, "tickformat": tickformat}}
    trace = go.Choropleth(
        geojson={"type": "FeatureCollection", "features": features},
        featureidkey="id",
        locations=[a.code for a in kept],
        z=values,
        customdata=[a.url for a in kept],
        hovertext=[a.hover for a in kept],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"line": {"width": 0.6, "color": "#ffffff"}},
        **colour,
    )
    geo = _geo_layout(_bounds(features))
    layout = go.Layout(
        geo=geo, height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0 if highlight is not None else 50},
        dragmode=False, font=FONT, paper_bgcolor="rgba(0,0,0,0)", meta={"aspect": _aspect(geo)},
    )
    return go.Figure(data=[trace], layout=layout).to_plotly_json()


def time_series(years: list[int], values: list[float], *, y_title: str, height: int = 240) -> dict:
    trace = go.Scatter(x=years, y=values, mode="lines+markers", line={"color": "#0b3a6e", "width": 2},
                       marker={"size": 5}, hovertemplate="%{x}: %{y:,.0f}<extra></extra>")
    layout = go.Layout(
        height=height, margin={"l": 60, "r": 10, "t": 10, "b": 30}, font=FONT,
        xaxis={"tickformat": "d", "fixedrange": True}, yaxis={"title": {"text": y_title}, "fixedrange": True},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=[trace], layout=layout).to_plotly_json()


def radial_layout(nodes: list[Node], parents: dict[int, int]) -> dict[int, tuple[float, float]]:
    """Deterministic positions: the network in the centre, members on a circle, their members outside.

    Members of members sit in the angular sector of the member they belong to (``parents``), so a
    technopole's laboratories gather around it. Order is by label, so the same data gives the same
    picture.
    """
    positions: dict[int, tuple[float, float]] = {}
    level1 = sorted((n for n in nodes if n.level == 1), key=lambda n: n.label.lower())
    level2 = [n for n in nodes if n.level == 2]
    for node in nodes:
        if node.level == 0:
            positions[node.id] = (0.0, 0.0)
    if not level1:
        return positions
    sector = 2 * math.pi / len(level1)
    for i, member in enumerate(level1):
        angle = math.pi / 2 - i * sector  # clockwise from the top
        positions[member.id] = (math.cos(angle), math.sin(angle))
        children = sorted((n for n in level2 if parents.get(n.id) == member.id), key=lambda n: n.label.lower())
        for j, child in enumerate(children):
            spread = sector * 0.8
            child_angle = angle - spread / 2 + spread * (j + 0.5) / len(children)
            radius = 2.0 + 0.25 * (j % 2)
            positions[child.id] = (radius * math.cos(child_angle), radius * math.sin(child_angle))
    return positions


def _text_position(point: tuple[float, float]) -> str:
    """Labels away from the centre, so that they do not run over the edges and the central node."""
    x, y = point
    if x == 0 and y == 0:
        return "bottom center"
    if abs(y) >= abs(x):
        return "top center" if y > 0 else "bottom center"
    return "middle right" if x > 0 else "middle left"


def network_graph(nodes: list[Node], edges: list[tuple[int, int]], parents: dict[int, int],
                  height: int = 560) -> dict:
    """Members of a network as a node-link diagram; clicking a node opens its organisation."""
    positions = radial_layout(nodes, parents)
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for a, b in edges:
        if a in positions and b in positions:
            edge_x += [positions[a][0], positions[b][0], None]
            edge_y += [positions[a][1], positions[b][1], None]
    traces = [go.Scatter(x=edge_x, y=edge_y, mode="lines", line={"color": "#9aa9b8", "width": 1},
                         hoverinfo="skip", showlegend=False)]
    groups = sorted({n.group for n in nodes})
    for i, group in enumerate(groups):
        members = [n for n in nodes if n.group == group and n.id in positions]
        traces.append(go.Scatter(
            x=[positions[n.id][0] for n in members],
            y=[positions[n.id][1] for n in members],
            mode="markers+text" if len(nodes) <= LABELLED_NODES else "markers",
            name=group,
            # Members of members are named on hover only, unless they are few.
            text=[n.label if n.level < 2 or len(nodes) <= LABELLED_NODES // 2 else "" for n in members],
            textposition=[_text_position(positions[n.id]) for n in members],
            hovertext=[n.label for n in members],
            hovertemplate="%{hovertext}<extra>" + group + "</extra>",
            customdata=[n.url for n in members],
            marker={"size": [22 if n.level == 0 else 15 if n.level == 1 else 10 for n in members],
                    "color": KIND_COLOURS[i % len(KIND_COLOURS)], "line": {"width": 1, "color": "#ffffff"}},
        ))
    axis = {"visible": False, "fixedrange": True}
    layout = go.Layout(
        height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, font=FONT, xaxis=axis,
        yaxis={**axis, "scaleanchor": "x"}, legend={"orientation": "h", "y": -0.02},
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", hovermode="closest",
    )
    return go.Figure(data=traces, layout=layout).to_plotly_json()
