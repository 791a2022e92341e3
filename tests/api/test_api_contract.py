"""What every endpoint shares: pagination, the error shape, the OpenAPI schema, the offline docs page."""

import re

import pytest
from openapi_spec_validator import validate

from ris3hub.api import api

pytestmark = pytest.mark.django_db

LISTS = ["/api/regions/", "/api/organisations/", "/api/projects/", "/api/taxonomy/schemes",
         "/api/indicators/", "/api/taxonomy/schemes/er-rat/concepts",
         "/api/indicators/nama_10r_3gdp:unit=PPS_EU27_2020_HAB/observations"]


def assert_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"ok", "code", "message", "errors"}
    assert body["ok"] is False and body["code"] == code and body["message"]
    return body


@pytest.mark.parametrize("url", LISTS)
def test_every_list_is_count_and_results(client, ecosystem, url):
    body = client.get(url).json()
    assert set(body) == {"count", "results"}
    assert body["count"] >= len(body["results"]) > 0


def test_limit_and_offset(client, ecosystem):
    url = "/api/regions/?country=IT&level=2"
    assert len(client.get(url).json()["results"]) == 21  # default limit 50
    page = client.get(f"{url}&limit=5&offset=5").json()
    assert page["count"] == 21
    assert [r["code"] for r in page["results"]] == ["ITF2", "ITF3", "ITF4", "ITF5", "ITF6"]
    last = client.get(f"{url}&limit=5&offset=20").json()
    assert (last["count"], len(last["results"])) == (21, 1)
    assert client.get(f"{url}&offset=100").json() == {"count": 21, "results": []}
    assert len(client.get("/api/regions/?limit=500").json()["results"]) == 37


def test_default_limit_is_50(client, ecosystem):
    from ris3hub.regions.models import Region

    Region.objects.bulk_create(
        Region(version=2021, code=f"FR{i:03d}"[:5], level=3, country="FR", name_latn=f"r{i}") for i in range(60)
    )
    body = client.get("/api/regions/?country=FR").json()
    assert (body["count"], len(body["results"])) == (60, 50)


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "limit=ten", "offset=-1"])
def test_bad_pagination_is_422(client, ecosystem, query):
    body = assert_error(client.get(f"/api/organisations/?{query}"), 422, "invalid")
    assert body["errors"][0]["loc"] == ["query", query.split("=")[0]]
    assert body["errors"][0]["type"]


def test_unknown_path_is_404_in_the_error_shape(client, ecosystem):
    body = assert_error(client.get("/api/nothing/here"), 404, "not_found")
    assert "/api/nothing/here" in body["message"]
    assert_error(client.post("/api/nothing"), 404, "not_found")


def test_wrong_method_is_405_in_the_error_shape(client, ecosystem):
    response = client.post("/api/regions/ITH5")
    body = assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert body["message"] == "POST is not allowed on /api/regions/ITH5; use GET"


def test_missing_final_slash_redirects(client, ecosystem):
    response = client.get("/api/regions?country=IT&level=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/regions/?country=IT&level=2"


def test_server_error_in_the_error_shape(client, ecosystem, monkeypatch):
    from ris3hub.regions import api as regions_api

    def broken(code, version):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(regions_api, "get_region", broken)
    body = assert_error(client.get("/api/regions/ITH5"), 500, "server_error")
    assert "database on fire" not in body["message"]  # no internals outside DEBUG


def test_index(client, ecosystem):
    body = client.get("/api/").json()
    assert body["docs"] == "/api/docs" and body["schema_url"] == "/api/schema"
    assert body["resources"]["organisations"] == "/api/organisations/"


def test_schema_is_valid_openapi_3_documenting_every_endpoint(client):
    response = client.get("/api/schema")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/regions/", "/api/regions/{code}", "/api/regions/{code}/geometry",
        "/api/organisations/", "/api/organisations/{id}", "/api/projects/", "/api/projects/{number}",
        "/api/taxonomy/schemes", "/api/taxonomy/schemes/{code}/concepts",
        "/api/indicators/", "/api/indicators/{code}/observations",
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            assert "200" in operation["responses"], (method, path)
            # Anything the client can get wrong (query values, typed path values, a body) has a 422.
            checked = [p for p in operation.get("parameters", [])
                       if not (p["in"] == "path" and p.get("schema", {}).get("type") == "string")]
            core = path.split("/")[2] in {"regions", "organisations", "projects", "taxonomy", "indicators"}
            if core and (checked or operation.get("requestBody")):
                assert "422" in operation["responses"], (method, path)
    list_params = {p["name"] for p in schema["paths"]["/api/organisations/"]["get"]["parameters"]}
    assert list_params == {"search", "kind", "region", "country", "is_sme", "limit", "offset"}
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"ok", "code", "message", "errors"}
    # Every route the API serves is in the schema, except the catch-all 404.
    served = {str(p.pattern) for p in api.urls[0]} - {"schema", "docs", "", "<path:rest>"}
    assert len(served) == len(schema["paths"]) - 1  # "" (the index) is the one path not in `served`


def test_docs_page_works_offline(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    external = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", html)
    assert not external, (
        f"/api/docs loads {external} from the network: put 'ninja' in INSTALLED_APPS so that "
        "django-ninja serves Swagger UI from its own static files"
    )
    assert not re.search(r"https?://", html)
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        if hasattr(served, "streaming_content"):
            b"".join(served.streaming_content)
        served.close()


def test_docs_api_md_describes_every_endpoint(client, ecosystem):
    from ris3hub.conf import REPO_ROOT

    text = (REPO_ROOT / "docs" / "api.md").read_text()
    schema = client.get("/api/schema").json()
    for path, operations in schema["paths"].items():
        for method in operations if path != "/api/" else ():
            assert f"`{method.upper()} {path}`" in text, f"{method.upper()} {path}"
    # The examples in the text are what the API answers.
    body = client.get("/api/organisations/?limit=1000").json()
    assert f'"message": "{body["message"]}"' in text
    page = client.get("/api/regions/?country=IT&level=2&limit=10&offset=20").json()
    assert '{"count": 21, "results": [{"code": "ITI4"' in text and page["results"][0]["code"] == "ITI4"
    assert client.get("/api/regions/ITH5").json()["url"] == "/regions/ITH5/"
    assert "`/regions/ITH5/`" in text
