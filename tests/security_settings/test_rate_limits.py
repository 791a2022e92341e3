"""Rate limits on search, matchmaking and the API: 429 with Retry-After, as a page or the API's error shape."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

LOW = {"search": "2/m", "matching": "1/m", "api": "3/m"}


@pytest.fixture
def limited(db):
    cache.clear()
    with override_settings(RATELIMIT_ENABLE=True, RIS3HUB_RATE_LIMIT_RATES=LOW):
        yield
    cache.clear()


@pytest.mark.parametrize("url", ["/search/?q=energy", "/find/?q=energy"])
def test_search_pages_answer_429_past_the_limit(client, limited, url):
    for _ in range(2):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Content-Type"].startswith("text/html")
    assert "Too many requests" in response.content.decode()


def test_search_pages_share_one_count(client, limited):
    client.get("/search/?q=a")
    client.get("/find/?q=b")
    assert client.get("/search/?q=c").status_code == 429


@pytest.mark.parametrize("url", ["/find/need/?text=sensors", "/find/team/", "/find/partners/"])
def test_matchmaking_pages_are_limited(client, limited, url):
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_api_answers_its_error_shape(client, limited):
    for _ in range(3):
        assert client.get("/api/regions/").status_code == 200
    response = client.get("/api/regions/")
    assert response.status_code == 429
    assert response["Retry-After"]
    body = response.json()
    assert body["ok"] is False and body["code"] == "rate_limited"
    assert "600" not in body["message"] and "at most 3 api requests a minute" in body["message"]


def test_api_search_counts_as_api_and_search(client, limited):
    client.get("/api/search/?q=a")
    client.get("/api/search/?q=b")
    response = client.get("/api/search/?q=c")
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def test_other_pages_are_not_limited(client, limited):
    for _ in range(6):
        assert client.get("/").status_code == 200
        assert client.get("/regions/").status_code == 200


def test_each_address_and_user_has_its_own_count(client, limited):
    for _ in range(2):
        client.get("/search/?q=x", REMOTE_ADDR="192.0.2.1")
    assert client.get("/search/?q=x", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/search/?q=x", REMOTE_ADDR="192.0.2.2").status_code == 200
    client.force_login(get_user_model().objects.create_user("reader"))
    assert client.get("/search/?q=x", REMOTE_ADDR="192.0.2.1").status_code == 200  # counted as the user now


def test_switched_off(client, db):
    cache.clear()
    with override_settings(RATELIMIT_ENABLE=False, RIS3HUB_RATE_LIMIT_RATES=LOW):
        for _ in range(5):
            assert client.get("/search/?q=x").status_code == 200


def test_declared_defaults(monkeypatch):
    from ris3hub.security import rates

    monkeypatch.delenv("RIS3HUB_RATE_LIMIT_SEARCH", raising=False)
    monkeypatch.delenv("RIS3HUB_RATE_LIMIT_API", raising=False)
    assert rates.rate("RIS3HUB_RATE_LIMIT_SEARCH") == "60/m"
    assert rates.rate("RIS3HUB_RATE_LIMIT_API") == "600/m"
    monkeypatch.setenv("RIS3HUB_RATE_LIMITS", "off")
    assert rates.switch("RIS3HUB_RATE_LIMITS") is False


def test_openapi_schema_documents_the_limits(client, db):
    schema = client.get("/api/schema").json()
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert operations
    for path, method, operation in operations:
        limited = operation["responses"]["429"]
        assert limited["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
        assert "Retry-After" in limited["headers"], path
        if method in {"post", "put", "patch"}:
            assert "413" in operation["responses"], (method, path)


def test_the_page_speaks_the_readers_language(client, limited, settings):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    with translation.override("en"):  # the middleware leaves the page's language active in this thread
        client.get("/search/?q=a")
        client.get("/search/?q=a")
        html = client.get("/search/?q=a").content.decode()
    assert "Troppe richieste" in html and "2 richieste al minuto" in html
