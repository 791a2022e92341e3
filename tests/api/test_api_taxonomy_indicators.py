import pytest

pytestmark = pytest.mark.django_db


def test_schemes(client, ecosystem):
    body = client.get("/api/taxonomy/schemes").json()
    assert body["count"] == 2
    assert body["results"][0] == {"code": "er-rat", "name": "Emilia-Romagna High Technology Network",
                                  "description": "", "source": "", "concept_count": 4}


def test_concepts_as_a_tree(client, ecosystem):
    body = client.get("/api/taxonomy/schemes/er-rat/concepts").json()
    assert body["count"] == 2  # root concepts
    agrifood, mechatronics = body["results"]
    assert (agrifood["code"], mechatronics["code"]) == ("P1", "P2")
    assert agrifood["children"][0]["code"] == "P1.01"
    assert agrifood["children"][0]["children"][0] == {
        "code": "P1.01.a", "label": "Traceability", "label_it": None, "description": None, "level": 2,
        "path": "Agrifood/Food safety/Traceability", "children": [],
    }
    assert mechatronics["children"] == []
    page = client.get("/api/taxonomy/schemes/er-rat/concepts?limit=1&offset=1").json()
    assert page["count"] == 2 and [c["code"] for c in page["results"]] == ["P2"]


def test_unknown_scheme(client, ecosystem):
    response = client.get("/api/taxonomy/schemes/nope/concepts")
    assert response.status_code == 404
    assert response.json()["message"] == "no classification scheme 'nope'"


def test_indicators(client, ecosystem):
    body = client.get("/api/indicators/").json()
    assert body["count"] == 1
    indicator = body["results"][0]
    assert indicator["code"] == "nama_10r_3gdp:unit=PPS_EU27_2020_HAB"
    assert indicator["observation_count"] == 5
    assert client.get("/api/indicators/?search=gdp").json()["count"] == 1
    assert client.get("/api/indicators/?dataset=other").json()["count"] == 0


def test_observations_by_region(client, ecosystem):
    url = "/api/indicators/nama_10r_3gdp:unit=PPS_EU27_2020_HAB/observations"
    body = client.get(f"{url}?region=ITH5").json()
    assert body["count"] == 4  # ITH5 (3 years) and its NUTS-3 Bologna
    assert body["results"][0] == {"region_code": "ITH5", "nuts_version": 2021, "year": 2020, "value": 33000.0,
                                  "flags": ""}
    assert body["results"][2]["value"] is None
    assert [o["region_code"] for o in client.get(f"{url}?region=ITH5&level=2").json()["results"]] == ["ITH5"] * 3
    assert [o["region_code"] for o in client.get(f"{url}?year=2021").json()["results"]] == ["ITC4", "ITH5", "ITH55"]
    assert client.get(f"{url}?year_from=2021&year_to=2021&region=ITH5&level=2").json()["count"] == 1


def test_observations_errors(client, ecosystem):
    response = client.get("/api/indicators/nope/observations")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    url = "/api/indicators/nama_10r_3gdp:unit=PPS_EU27_2020_HAB/observations"
    assert client.get(f"{url}?year=soon").status_code == 422
    assert client.get(f"{url}?level=9").status_code == 422
