"""The S3 profile page, its CSV downloads, the printable report (HTML and PDF) and the API."""

import csv
import io
import json

import pytest
from django.test import Client

from ris3hub.analytics import cache

FIGURES = ["s3-specialisation", "s3-scatter", "s3-network", "s3-map", "s3-trends", "s3-peers"]


@pytest.fixture
def client():
    return Client()


def figure(response, name: str) -> dict:
    """The Plotly figure handed to charts.js in the page's json_script block."""
    html = response.content.decode()
    start = html.index(f'<script id="{name}-data" type="application/json">') + len(f'<script id="{name}-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def rows(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_the_region_page_links_to_its_s3_profile(client, s3_panel):
    response = client.get("/regions/ITH5/")
    assert response.status_code == 200
    assert 'href="/regions/ITH5/s3/"' in response.content.decode()


@pytest.mark.django_db
def test_the_profile_page_draws_every_chart(client, s3_panel):
    response = client.get("/regions/ITH5/s3/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emilia-Romagna" in html
    for name in FIGURES:
        assert f'data-figure="{name}-data"' in html, name
    # EURITO is the default scheme where its files are loaded: 7 topics in 4 NUTS-2 regions.
    bars = figure(response, "s3-specialisation")["data"][0]
    assert len(bars["x"]) == 7 and max(bars["x"]) == bars["x"][-1]  # highest RCA on top
    scatter = figure(response, "s3-scatter")
    points = sum(len(trace["x"]) for trace in scatter["data"])
    assert points == 7  # every domain, candidates by quadrant and the ones held already
    assert len(scatter["layout"]["shapes"]) == 2  # the two lines that cut the quadrants
    network = figure(response, "s3-network")
    assert sum(len(t["x"]) for t in network["data"][1:]) == 7 and network["data"][0]["mode"] == "lines"
    regions_on_map = figure(response, "s3-map")["data"][0]["locations"]
    assert set(regions_on_map) == {"ITH5", "ITC4", "DE30", "FR10"}
    trends = figure(response, "s3-trends")
    assert "Deep preprints" in [t["name"] for t in trends["data"]]  # Emilia-Romagna's fast-growing topic
    assert len(figure(response, "s3-peers")["data"][0]["y"]) == 4  # the region and its three peers
    # The declared priority on "deep" and "ai" is set against the evidence; Tourism is not linked here.
    assert "Digitalisation" in html and "Linked to no domain of this matrix:" in html


@pytest.mark.django_db
def test_another_scheme_weight_and_map_domain(client, s3_panel):
    response = client.get("/regions/ITH5/s3/", {"scheme": "eurito", "domain": "bio"})
    assert response.status_code == 200
    assert "RCA in Bio preprints" in response.content.decode()
    # Two domains of CORDIS thematic priorities are too few to measure anything: said, not a 500.
    response = client.get("/regions/ITH5/s3/", {"scheme": "thematic", "weight": "eu"})
    assert response.status_code == 200
    assert "at least 3 of each" in response.content.decode()


@pytest.mark.django_db
def test_an_older_code_leads_to_the_profile_of_its_region(client, s3_panel):
    response = client.get("/regions/ITD5/s3/", {"scheme": "eurito"})
    assert response.status_code == 302 and response["Location"] == "/regions/ITH5/s3/?scheme=eurito"
    assert client.get("/regions/XX9/s3/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("chart, columns", [
    ("specialisation", ["region", "domain", "label", "value", "rca", "specialised", "density", "complexity_pci"]),
    ("opportunities", ["rank", "domain", "label", "rca", "relatedness_density", "complexity_pci", "cog", "quadrant"]),
    ("network", ["domain_1", "label_1", "domain_2", "label_2", "proximity"]),
    ("map", ["region", "domain", "rca", "value"]),
    ("trends", ["domain", "label", "year", "region_value", "growth", "growth_se", "growth_low", "growth_high",
                "acceleration", "excess_growth", "emerging", "overall_growth", "overall_emerging"]),
    ("peers", ["rank", "region", "name", "similarity", "gdp_pps_per_head_to_eu", "cohesion_category"]),
    ("strategy", ["priority", "title", "domains", "mean_rca", "mean_relatedness_density", "mean_complexity_pci",
                  "mean_growth", "evidence", "flags"]),
])
def test_every_chart_downloads_as_csv(client, s3_panel, chart, columns):
    response = client.get("/regions/ITH5/s3/", {"download": chart})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"-{chart}-" in response["Content-Disposition"]
    table = rows(response)
    assert list(table[0]) == columns


@pytest.mark.django_db
def test_downloaded_values(client, s3_panel):
    specialisation = {r["domain"]: r for r in rows(client.get("/regions/ITH5/s3/", {"download": "specialisation"}))}
    # Emilia-Romagna's "deep" preprints: 2 * 3**y for y = 0..3; its "ai" ones, 40 + y, are over half of
    # all "ai" preprints (166 of 308), far above its share of all preprints: specialised.
    assert float(specialisation["deep"]["value"]) == 80.0
    assert float(specialisation["ai"]["value"]) == 166.0
    assert specialisation["ai"]["specialised"] == "true"
    opportunities = rows(client.get("/regions/ITH5/s3/", {"download": "opportunities"}))
    assert [int(r["rank"]) for r in opportunities] == list(range(1, len(opportunities) + 1))
    assert all(float(r["rca"]) < 1 for r in opportunities)
    assert {r["domain"] for r in opportunities}.isdisjoint(d for d, r in specialisation.items()
                                                          if r["specialised"] == "true")
    map_rows = rows(client.get("/regions/ITH5/s3/", {"download": "map", "domain": "deep"}))
    assert {r["region"] for r in map_rows} == {"ITH5", "ITC4", "DE30", "FR10"}
    strategy = rows(client.get("/regions/ITH5/s3/", {"download": "strategy"}))
    assert strategy[0]["priority"] == "S8" and strategy[0]["evidence"] == "none"
    assert strategy[1]["priority"] == "T06" and strategy[1]["domains"] == "ai; deep"
    assert client.get("/regions/ITH5/s3/", {"download": "nothing"}).status_code == 404


@pytest.mark.django_db
def test_printable_report_in_html_and_pdf(client, s3_panel):
    response = client.get("/regions/ITH5/s3/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('src="data:image/png;base64,') == 4  # specialisation, scatter, network, trends
    assert "@media print" in client.get("/static/analytics/s3.css").getvalue().decode()
    pdf = client.get("/regions/ITH5/s3/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_italian_profile(client, s3_panel):
    client.cookies["django_language"] = "it"
    response = client.get("/regions/ITH5/s3/")
    assert response.status_code == 200
    assert "Digitalizzazione" in response.content.decode()


@pytest.mark.django_db
def test_the_api(client, s3_panel):
    response = client.get("/api/s3/regions/ITH5/opportunities")
    assert response.status_code == 200
    document = response.json()
    assert document["scheme"] == "eurito" and document["regions"] == 4 and document["domains"] == 7
    assert set(document["opportunities"][0]) == {"rank", "domain", "label", "rca", "relatedness_density",
                                                 "complexity", "cog", "quadrant", "quadrant_label"}
    specialisation = client.get("/api/s3/regions/ITH5/specialisation").json()
    assert specialisation[0]["rca"] == max(d["rca"] for d in specialisation)
    missing = client.get("/api/s3/regions/XX9/opportunities")
    assert missing.status_code == 404 and missing.json()["ok"] is False
    schemes = {s["code"]: s["has_data"] for s in client.get("/api/s3/schemes").json()}
    assert schemes == {"eurito": True, "thematic": True, "euroscivoc": True, "topic": True}


@pytest.mark.django_db
def test_the_profile_answers_fast_once_the_matrix_is_cached(client, s3_panel, django_assert_max_num_queries):
    client.get("/regions/ITH5/s3/")
    with django_assert_max_num_queries(30):
        assert client.get("/regions/ITC4/s3/").status_code == 200
    assert cache._store  # the panel, the measures, trends, peers, network and map are kept
