"""The figures behind the maps and the network graph."""

import json

import pytest

from ris3hub.core import charts


def area(code, west, south, value=1.0):
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1], [west, south]]
    return charts.Area(code, json.dumps({"type": "Polygon", "coordinates": [ring]}), value, code, f"/regions/{code}/")


def test_choropleth_rounds_coordinates_and_links_areas():
    fig = charts.choropleth([area("ITH5", 10.123456, 44.987654, 3), area("ITH4", 12, 45, 1)],
                            colorbar_title="Organisations")
    trace = fig["data"][0]
    assert trace["locations"] == ["ITH5", "ITH4"]
    assert trace["customdata"] == ["/regions/ITH5/", "/regions/ITH4/"]
    assert trace["geojson"]["features"][0]["geometry"]["coordinates"][0][0] == [10.123, 44.988]
    assert trace["zmax"] == 3
    geo = fig["layout"]["geo"]
    assert geo["visible"] is False
    assert geo["lonaxis"]["range"][0] < 10.123 and geo["lonaxis"]["range"][1] > 13


def test_choropleth_skips_areas_without_shape_and_highlights_one():
    areas = [area("ITH55", 11, 44), area("ITH54", 10, 44), charts.Area("ITH59", "", 0, "", "/regions/ITH59/")]
    trace = charts.choropleth(areas, highlight="ITH55")["data"][0]
    assert trace["locations"] == ["ITH55", "ITH54"]
    assert trace["z"] == [1.0, 0.0]
    assert trace["showscale"] is False


def test_outermost_regions_are_drawn_but_do_not_set_the_view():
    fig = charts.choropleth([area("FR10", 2, 48), area("FRY1", -61, 16), area("PT30", -17, 32)])
    assert len(fig["data"][0]["locations"]) == 3
    west, east = fig["layout"]["geo"]["lonaxis"]["range"]
    assert west > 0 and east < 4


def test_the_top_of_the_colour_scale_ignores_the_largest_outliers():
    areas = [area(f"R{i:02d}", i % 10, i // 10, value=float(i)) for i in range(40)] + [area("BIG", 0, 5, 10000)]
    assert charts.choropleth(areas)["data"][0]["zmax"] == 38.0


def test_radial_layout_is_deterministic_and_puts_members_of_members_outside():
    nodes = [charts.Node(1, "Platform", "platform", "/o/1/", 0), charts.Node(2, "Technopole B", "t", "/o/2/", 1),
             charts.Node(3, "Technopole A", "t", "/o/3/", 1), charts.Node(4, "Lab", "lab", "/o/4/", 2)]
    positions = charts.radial_layout(nodes, {4: 2})
    assert positions == charts.radial_layout(list(reversed(nodes)), {4: 2})
    assert positions[1] == (0.0, 0.0)
    assert positions[3] == pytest.approx((0.0, 1.0))  # the first member by name at the top
    radius = lambda p: (p[0] ** 2 + p[1] ** 2) ** 0.5  # noqa: E731
    assert abs(radius(positions[2]) - 1) < 1e-9 and radius(positions[4]) >= 2


def test_network_graph_has_one_trace_of_edges_and_one_per_kind():
    nodes = [charts.Node(1, "Cluster", "cluster", "/o/1/", 0), charts.Node(2, "Firm", "company", "/o/2/", 1)]
    fig = charts.network_graph(nodes, [(2, 1)], {})
    assert fig["data"][0]["mode"] == "lines"
    assert [t["name"] for t in fig["data"][1:]] == ["cluster", "company"]
