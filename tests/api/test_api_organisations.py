import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def names(response):
    """The names in a list response, as a set: the order of names depends on the database's collation."""
    assert response.status_code == 200, response.content
    return {o["name"] for o in response.json()["results"]}


def test_organisation_detail(client, ecosystem):
    unibo = ecosystem.unibo
    body = client.get(f"/api/organisations/{unibo.pk}").json()
    assert body["id"] == unibo.pk
    assert body["name"] == "Alma Mater Studiorum - Università di Bologna"
    assert (body["kind"], body["pic"], body["vat"]) == ("university", "999976305", "IT01131710376")
    assert body["region"] == {"code": "ITH55", "name": "Bologna"}
    assert body["url"] == reverse("registry:organisation", args=[unibo.pk])
    assert (body["short_name"], body["city"], body["country"]) == ("UNIBO", "Bologna", "IT")
    assert body["website"] == "https://www.unibo.it"
    assert body["external_ids"] == [{"source": "cordis-pic", "value": "999976305"}]
    assert body["domains"] == [{"scheme": "er-rat", "code": "P1.01", "label": "Food safety"}]
    assert body["participation_count"] == 1
    assert body["trl"] is None


def test_organisation_networks_competences_equipment_services(client, ecosystem):
    lab = client.get(f"/api/organisations/{ecosystem.lab.pk}").json()
    assert lab["memberships"] == [{
        "kind": "lab_in_technopole", "status": "accredited", "start": "2019-01-01", "end": None,
        "network": {"id": ecosystem.technopole.pk, "name": "Tecnopolo di Bologna",
                    "url": reverse("registry:organisation", args=[ecosystem.technopole.pk])},
    }]
    assert lab["competences"] == [{"name": "Robotics", "description": "Industrial robots",
                                   "concepts": [{"scheme": "er-rat", "code": "P1.01", "label": "Food safety"}]}]
    assert lab["equipment"][0]["name"] == "3D printer"
    assert lab["equipment"][0]["access"] == "rental"
    assert lab["services"] == [{"category": "testing", "name": "Material testing", "description": ""}]
    assert lab["trl"] == 6
    technopole = client.get(f"/api/organisations/{ecosystem.technopole.pk}").json()
    assert [m["member"]["name"] for m in technopole["members"]] == ["Modena Mechatronics Lab"]


def test_unknown_organisation_is_404_and_bad_id_is_422(client, ecosystem):
    response = client.get("/api/organisations/999999")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "code": "not_found", "message": "no organisation with id 999999",
                               "errors": []}
    response = client.get("/api/organisations/abc")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "id"]


def test_organisation_list_item_shape(client, ecosystem):
    body = client.get("/api/organisations/?search=milano robotics").json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "id": ecosystem.sme.pk, "name": "Milano Robotics Srl", "url": reverse("registry:organisation", args=[ecosystem.sme.pk]),
        "short_name": "", "kind": "company", "is_sme": True, "pic": "912345678", "vat": "IT12345678901",
        "city": "Milano", "country": "IT", "region": {"code": "ITC4C", "name": "Milano"},
    }


def test_region_filter_includes_sub_regions(client, ecosystem):
    assert names(client.get("/api/organisations/?region=ITH5")) == {
        "Alma Mater Studiorum - Università di Bologna", "ART-ER", "Modena Mechatronics Lab", "Tecnopolo di Bologna",
    }
    assert names(client.get("/api/organisations/?region=ith55")) == {
        "Alma Mater Studiorum - Università di Bologna", "Tecnopolo di Bologna",
    }
    assert client.get("/api/organisations/?region=IT").json()["count"] == 6


def test_organisation_filters(client, ecosystem):
    assert names(client.get("/api/organisations/?search=bologna&kind=technopole")) == {"Tecnopolo di Bologna"}
    assert names(client.get("/api/organisations/?search=999976305")) == {
        "Alma Mater Studiorum - Università di Bologna"}
    assert names(client.get("/api/organisations/?country=fr")) == {"Laboratoire de Lyon"}
    assert names(client.get("/api/organisations/?is_sme=true")) == {"Milano Robotics Srl"}
    assert names(client.get("/api/organisations/?is_sme=false")) == {"Grande Impresa SpA"}
    assert names(client.get("/api/organisations/?kind=company&region=ITC4")) == {
        "Grande Impresa SpA", "Milano Robotics Srl"}
    assert client.get("/api/organisations/").json()["count"] == 7


def test_organisation_filters_reject_bad_values(client, ecosystem):
    for query, field in [("kind=spaceship", "kind"), ("is_sme=maybe", "is_sme"), ("region=IT-H5", "region"),
                         ("country=ITA", "country"), ("limit=501", "limit")]:
        response = client.get(f"/api/organisations/?{query}")
        assert response.status_code == 422, query
        body = response.json()
        assert body["ok"] is False and body["code"] == "invalid"
        assert body["errors"][0]["loc"] == ["query", field]
        assert field in body["message"]
