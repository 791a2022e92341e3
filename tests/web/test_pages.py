"""Every page answers with its key content; unknown codes and ids answer 404."""

import json
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def figure(response, element_id):
    """The Plotly figure a page hands to charts.js for the element ``element_id``."""
    html = response.content.decode()
    assert f'id="{element_id}"' in html
    match = re.search(rf'<script id="{element_id}-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no json_script block for {element_id}"
    return json.loads(match.group(1))


def test_no_page_has_an_inline_script(client, web_data):
    urls = [reverse("core:home"), reverse("core:about"), reverse("core:search") + "?q=bologna",
            reverse("regions:region", args=["ITH5"]), reverse("registry:organisation", args=[web_data.lab.pk]),
            reverse("registry:network", args=[web_data.platform.pk]),
            reverse("projects:project", args=["101000001"])]
    for url in urls:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert "http://" not in re.sub(r'href="[^"]*"', "", html).replace("http://www.w3.org", ""), url


def test_home_shows_counts_search_and_a_map_of_nuts2_regions(client, web_data):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/search/"' in html
    assert html.count('name="q"') == 1  # the page's own box, not the header's as well
    assert ">7</span>" in html  # organisations
    assert "vendor/plotly/plotly.min.js" in html and "ris3hub/js/charts.js" in html
    fig = figure(response, "home-map")
    trace = fig["data"][0]
    assert trace["type"] == "choropleth"
    assert trace["locations"] == ["DE30", "ITC4", "ITH5"]
    # Organisations counted in their NUTS-2 region, sub-regions included; the platform sits in ITH5 itself.
    assert trace["z"] == [1.0, 1.0, 5.0]
    assert trace["customdata"] == ["/regions/DE30/", "/regions/ITC4/", "/regions/ITH5/"]
    assert {f["id"] for f in trace["geojson"]["features"]} == {"DE30", "ITC4", "ITH5"}


def test_home_map_of_eu_funding(client, web_data):
    fig = figure(client.get(reverse("core:home") + "?map=funding"), "home-map")
    z = dict(zip(fig["data"][0]["locations"], fig["data"][0]["z"]))
    # Bologna 1,000,000, Modena 500,000, and the lab's 600,000 counted where the lab is.
    assert z == {"DE30": 900000.0, "ITC4": 300000.0, "ITH5": 2100000.0}


def test_search_finds_organisations_projects_and_regions(client, web_data):
    response = client.get(reverse("core:search"), {"q": "bologna"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tecnopolo di Bologna" in html and "Alma Mater Studiorum" in html
    assert "/regions/ITH55/" in html
    # Accents and case do not matter.
    html = client.get(reverse("core:search"), {"q": "universita"}).content.decode()
    assert "Alma Mater Studiorum - Università di Bologna" in html
    html = client.get(reverse("core:search"), {"q": "foodnet"}).content.decode()
    assert "/projects/101000001/" in html


def test_search_without_a_query_shows_the_form(client, web_data):
    response = client.get(reverse("core:search"))
    assert response.status_code == 200
    assert response.content.decode().count('name="q"') == 1
    assert 'name="q"' in client.get(reverse("core:about")).content.decode()  # the header's box elsewhere


def test_region_page(client, web_data):
    response = client.get(reverse("regions:region", args=["ITH5"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Emilia-Romagna" in html and "NUTS 2" in html
    # Hierarchy: the breadcrumb of parents and the table of children.
    assert '<a href="/regions/IT/">' in html and '<a href="/regions/ITH/">' in html
    assert "/regions/ITH54/" in html and "/regions/ITH55/" in html
    # Organisations in the region and its sub-regions (the platform, the university, the lab, ...): 5.
    assert response.context["organisation_count"] == 5
    assert "Motori Modenesi Srl" in html
    # EU funding: Bologna 1,000,000 + the lab 600,000 (its organisation's region) + Modena 500,000.
    assert response.context["funding"]["eu_contribution"] == 2100000
    assert response.context["funding"]["projects"] == 2
    assert "FOODNET" in html and "ENGINES" in html
    # Typologies summarised over the NUTS-3 regions.
    typologies = {t.label: dict(t.values) for t in response.context["typologies"]}
    assert typologies["Urban-rural"] == {"intermediate": 1, "predominantly urban": 1}
    assert typologies["Mountain"] == {"mountain region": 2}
    # GDP per head: PPS per inhabitant, the latest year with a value.
    assert response.context["gdp"].latest == (2021, 41234)
    assert "41,234" in html
    gdp = figure(response, "gdp-chart")
    assert gdp["data"][0]["x"] == [2019, 2020, 2021]
    # The map of the region's children, each linking to its page.
    fig = figure(response, "region-map")
    assert fig["data"][0]["locations"] == ["ITH54", "ITH55"]
    assert fig["data"][0]["customdata"] == ["/regions/ITH54/", "/regions/ITH55/"]


def test_region_page_of_a_nuts3_region(client, web_data):
    response = client.get(reverse("regions:region", args=["ith55"]))  # the code in any case
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bologna" in html and "Bologna 2016" not in html
    assert "Predominantly urban" in html and "Metropolitan region" in html
    # No children: the map shows the region among its siblings, highlighted.
    fig = figure(response, "region-map")
    assert fig["data"][0]["locations"] == ["ITH54", "ITH55"]
    assert fig["data"][0]["z"] == [0.0, 1.0]
    # GDP falls back to euro per inhabitant where PPS is not published.
    assert response.context["gdp"].unit_label == "euro per inhabitant"
    assert response.context["funding"]["eu_contribution"] == 1600000


def test_region_page_of_a_country_and_a_region_without_data(client, web_data):
    response = client.get(reverse("regions:region", args=["DE"]))
    assert response.status_code == 200
    assert response.context["gdp"] is None
    response = client.get(reverse("regions:region", args=["ITC4"]))
    assert response.status_code == 200
    assert "No GDP figures for this region." in response.content.decode()


def test_organisation_page(client, web_data):
    response = client.get(reverse("registry:organisation", args=[web_data.university.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Alma Mater Studiorum", "UNIBO", "999993953", "IT80007010376", "https://www.unibo.it",
                 "The oldest university in Europe.", "Agrifood", "/regions/ITH55/", "FOODNET", "coordinator",
                 "cordis-pic: 999993953"):
        assert text in html, text
    # Partners: the organisations of the same projects, with the number of projects shared.
    partners = {p.organisation.name: p.shared_projects for p in response.context["partners"]}
    assert partners == {"Fraunhofer Institut Berlin": 1, "CIRI Agroalimentare": 1}


def test_laboratory_page_shows_memberships_competences_equipment_services(client, web_data):
    response = client.get(reverse("registry:organisation", args=[web_data.lab.pk]))
    html = response.content.decode()
    for text in ("Piattaforma Agroalimentare", "Tecnopolo di Bologna", "laboratory in technopole",
                 "pending accreditation", "Food safety", "Mass spectrometer", "Half-day slots, fee on request",
                 "mailto:booking@ciri.example.org", "shareable", "Shelf-life testing", "testing",
                 "Oil quality study", "Motori Modenesi Srl", "industrial partners", "TRL"):
        assert text in html, text


def test_network_page_draws_the_members_as_a_graph(client, web_data):
    response = client.get(reverse("registry:network", args=[web_data.platform.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tecnopolo di Bologna" in html and "CIRI Agroalimentare" in html
    fig = figure(response, "network-graph")
    nodes = {}
    for trace in fig["data"][1:]:
        for text, url, x, y in zip(trace["hovertext"], trace["customdata"], trace["x"], trace["y"]):
            nodes[text] = (url, x, y)
    assert set(nodes) == {"Piattaforma Agroalimentare", "Tecnopolo di Bologna", "CIRI Agroalimentare"}
    assert nodes["Piattaforma Agroalimentare"][1:] == (0.0, 0.0)
    # The laboratory belongs to the technopole as well: it is drawn outside, under the technopole.
    lab_x, lab_y = nodes["CIRI Agroalimentare"][1:]
    assert (lab_x ** 2 + lab_y ** 2) ** 0.5 > 1.5
    assert nodes["CIRI Agroalimentare"][0] == f"/organisations/{web_data.lab.pk}/"
    # The organisation page links to the network page.
    page = client.get(reverse("registry:organisation", args=[web_data.platform.pk])).content.decode()
    assert reverse("registry:network", args=[web_data.platform.pk]) in page


def test_network_page_of_an_organisation_without_members(client, web_data):
    response = client.get(reverse("registry:network", args=[web_data.sme.pk]))
    assert response.status_code == 200
    assert response.context["network_figure"] is None
    assert "plotly.min.js" not in response.content.decode()


def test_project_page(client, web_data):
    response = client.get(reverse("projects:project", args=["101000001"]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("FOODNET", "A network for safer food", "Food safety across Europe.", "SFS-01-2020",
                 "Food systems", "Food security", "Horizon 2020", "€\u00a03,000,000", "€\u00a02,500,000",
                 "Fraunhofer Institut Berlin", "coordinator", "Agrifood",
                 "https://cordis.europa.eu/project/id/101000001"):
        assert text in html, text
    names = [p.organisation.name for p in response.context["participations"]]
    assert names[0] == "Alma Mater Studiorum - Università di Bologna"  # the coordinator first
    fig = figure(response, "project-map")
    assert sorted(fig["data"][0]["locations"]) == ["DE30", "ITH5"]


def test_about_page_gives_the_attribution(client, db):
    html = client.get(reverse("core:about")).content.decode()
    for text in ("Source: CORDIS / Eurostat / © EuroGeographics for the administrative boundaries", "Nesta",
                 "EURITO", "knowledge-share.eu", "Art-ER"):
        assert text in html, text


@pytest.mark.parametrize("url", ["/regions/XX9/", "/organisations/999999/", "/organisations/999999/network/",
                                 "/projects/no-such-project/", "/organisations/abc/"])
def test_unknown_codes_and_ids_answer_404(client, web_data, url):
    assert client.get(url).status_code == 404


def test_a_code_of_another_nuts_version_leads_to_its_counterpart(client, web_data):
    from ris3hub.regions.models import NutsChange, Region

    # Bologna was ITD55 in NUTS 2013; the change table says it became ITH55 in 2016, kept in 2021.
    Region.objects.create(version=2013, code="ITD55", level=3, country="IT", name_latn="Bologna")
    NutsChange.objects.create(from_version=2013, from_code="ITD55", to_version=2016, to_code="ITH55")
    NutsChange.objects.create(from_version=2016, from_code="ITH55", to_version=2021, to_code="ITH55")
    response = client.get("/regions/itd55/")
    assert response.status_code == 302 and response["Location"] == "/regions/ITH55/"
    # A code of another version without a counterpart is not found.
    Region.objects.create(version=2016, code="UKZ99", level=3, country="UK", name_latn="Nowhere")
    assert client.get("/regions/UKZ99/").status_code == 404
