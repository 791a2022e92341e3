"""A NUL character in a query parameter is refused at the door, in page or API shape, naming it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_answers_422_naming_the_parameter(client):
    response = client.get("/api/indicators/", {"search": "robot\x00ics", "limit": "5"})
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["code"] == "invalid"
    assert body["errors"] == [{"loc": ["query", "search"], "message": "contains a NUL character",
                               "type": "nul_character"}]
    assert "search" in body["message"]


def test_page_answers_400_with_an_explanation(client):
    response = client.get("/organisations/", {"q": "lab\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b"NUL character in q" in response.content


def test_percent_zero_zero_that_is_not_nul_passes(client):
    """'%2500' decodes to the text '%00', which is no NUL: the page answers as usual."""
    response = client.get("/organisations/?q=%2500")
    assert response.status_code == 200
