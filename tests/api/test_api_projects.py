import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def numbers(response):
    assert response.status_code == 200, response.content
    return [p["number"] for p in response.json()["results"]]


def test_projects_of_a_region_include_its_sub_regions(client, ecosystem):
    assert numbers(client.get("/api/projects/?region=ITH5")) == ["101000001", "600001"]
    assert numbers(client.get("/api/projects/?region=ITH54")) == ["600001"]
    assert numbers(client.get("/api/projects/?region=ITC4")) == ["101000001"]
    assert numbers(client.get("/api/projects/?region=ITF")) == []


def test_project_filters(client, ecosystem):
    assert numbers(client.get("/api/projects/?framework=FP7")) == ["600001"]
    assert numbers(client.get("/api/projects/?search=agrifood")) == ["101000001"]
    assert numbers(client.get("/api/projects/?search=101100002")) == ["101100002"]
    assert numbers(client.get(f"/api/projects/?organisation={ecosystem.french.pk}")) == ["101100002"]
    body = client.get("/api/projects/").json()
    assert body["count"] == 3
    assert numbers(client.get("/api/projects/")) == ["101100002", "101000001", "600001"]  # newest first


def test_project_list_item(client, ecosystem):
    item = client.get("/api/projects/?search=AGRIBOT").json()["results"][0]
    assert item == {
        "number": "101000001", "framework": "H2020", "acronym": "AGRIBOT", "title": "Robots for agrifood",
        "start": "2021-03-01", "end": "2024-02-28", "total_cost": 2500000.0, "eu_contribution": 2000000.5,
        "url": reverse("projects:project", args=["101000001"]),
    }


def test_project_detail(client, ecosystem):
    body = client.get("/api/projects/101000001").json()
    assert body["programme"] == {"code": "H2020", "name": "Horizon 2020"}
    assert body["source_url"] == "https://cordis.europa.eu/project/id/101000001"
    assert body["concepts"] == [{"scheme": "er-rat", "code": "P1", "label": "Agrifood"}]
    coordinator, partner = body["participations"]
    assert coordinator["role"] == "coordinator"
    assert coordinator["organisation"]["id"] == ecosystem.unibo.pk
    assert coordinator["region"] == {"code": "ITH55", "name": "Bologna"}
    assert coordinator["eu_contribution"] == 1200000.0
    assert partner["organisation"]["name"] == "Milano Robotics Srl"
    lyon = client.get("/api/projects/101100002").json()
    assert lyon["participations"][0]["region"] is None
    assert lyon["programme"] is None and lyon["call"] is None


def test_unknown_project_and_bad_filters(client, ecosystem):
    response = client.get("/api/projects/42")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    for query, field in [("region=!!", "region"), ("organisation=x", "organisation"), ("limit=-5", "limit")]:
        response = client.get(f"/api/projects/?{query}")
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["loc"] == ["query", field]
