import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_region_names_emilia_romagna_with_its_nine_nuts3_children(client, ecosystem):
    response = client.get("/api/regions/ITH5")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "ITH5"
    assert body["name"] == "Emilia-Romagna"
    assert body["national_name"] == "Emilia-Romagna"
    assert (body["version"], body["level"], body["country"]) == (2021, 2, "IT")
    assert body["parent"] == {"code": "ITH", "name": "Nord-Est"}
    assert [c["code"] for c in body["children"]] == [f"ITH5{i}" for i in range(1, 10)]
    assert body["children"][4] == {"code": "ITH55", "name": "Bologna"}
    assert body["url"] == reverse("regions:region", args=["ITH5"])
    assert body["label_point"] == {"lon": 11.0, "lat": 44.5}
    assert body["geometry_url"] == "/api/regions/ITH5/geometry"
    assert set(body["typologies"]) == {"urban_rural", "metropolitan", "coastal", "mountain", "border", "island",
                                       "capital"}


def test_region_typologies_and_top_level_parent(client, ecosystem):
    bologna = client.get("/api/regions/ITH55").json()
    assert bologna["typologies"]["urban_rural"] == "Predominantly urban"
    assert bologna["typologies"]["coastal"] is None
    assert bologna["children"] == []
    assert bologna["geometry_url"] is None
    assert client.get("/api/regions/IT").json()["parent"] is None


def test_region_code_is_case_insensitive(client, ecosystem):
    assert client.get("/api/regions/ith5").json()["code"] == "ITH5"


def test_region_of_another_nuts_version(client, ecosystem):
    body = client.get("/api/regions/ITH5?version=2016").json()
    assert (body["version"], body["name"]) == (2016, "Emilia-Romagna (NUTS 2016)")
    assert body["children"] == []


def test_unknown_region_and_unknown_version(client, ecosystem):
    response = client.get("/api/regions/ITX9")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "code": "not_found", "message": "no region ITX9 in NUTS 2021",
                               "errors": []}
    assert client.get("/api/regions/ITH5?version=2013").status_code == 404  # a version with no rows here
    response = client.get("/api/regions/ITH5?version=1999")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "version"]


def test_the_21_italian_nuts2_regions(client, ecosystem):
    body = client.get("/api/regions/?country=IT&level=2&limit=500").json()
    assert body["count"] == 21
    assert len(body["results"]) == 21
    assert {r["code"] for r in body["results"]} == set(ecosystem.nuts2)
    first = body["results"][0]
    assert first == {"code": "ITC1", "version": 2021, "level": 2, "name": "Piemonte", "national_name": "Piemonte",
                     "country": "IT", "parent_code": "ITC", "url": reverse("regions:region", args=["ITC1"])}


def test_region_list_filters(client, ecosystem):
    assert client.get("/api/regions/?country=it&level=3").json()["count"] == 10
    assert [r["code"] for r in client.get("/api/regions/?q=emilia").json()["results"]] == ["ITH5", "ITH53"]
    assert [r["code"] for r in client.get("/api/regions/?q=ITH5&level=3").json()["results"]][:2] == ["ITH51", "ITH52"]
    old = client.get("/api/regions/?version=2016").json()
    assert [r["code"] for r in old["results"]] == ["ITH5"]
    assert client.get("/api/regions/?country=FR").json() == {"count": 0, "results": []}


def test_region_list_rejects_bad_filters(client, ecosystem):
    for query in ("level=7", "level=two", "country=ITA", "version=2020"):
        response = client.get(f"/api/regions/?{query}")
        assert response.status_code == 422, query
        assert response.json()["code"] == "invalid"


def test_region_geometry_is_a_geojson_feature(client, ecosystem):
    response = client.get("/api/regions/ITH5/geometry")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == "ITH5"
    assert feature["properties"]["name"] == "Emilia-Romagna"
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["geometry"]["coordinates"][0][0] == [9.2, 43.7]


def test_region_without_geometry_is_404(client, ecosystem):
    response = client.get("/api/regions/ITH55/geometry")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "gisco" in response.json()["message"]
