"""The REST API as anonymous, with API tokens of each scope and with the site's session: restricted
endpoints of each app, scope refusals, CSRF for sessions only, bad tokens everywhere."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ris3hub.accounts import roles
from ris3hub.consultation import actions as consultation_actions
from ris3hub.events import actions as event_actions
from ris3hub.practices import actions as practice_actions
from ris3hub.search.models import GraduateProfile
from ris3hub.tokens.actions import create_token, revoke_token
from ris3hub.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"ok", "code", "message", "errors"} and body["ok"] is False
    assert body["code"] == code, body
    return body["message"]


@pytest.fixture
def event(people):
    return event_actions.do_create_event("Brokerage day", "brokerage-day", organisers=[people.alice])


# --- who the caller is ---------------------------------------------------------------------------

def test_anonymous_is_told_how_to_authenticate(client, event):
    message = error(client.get("/api/events/brokerage-day/meetings"), 401, "unauthorized")
    assert "Authorization: Bearer" in message and "/tokens/" in message


@pytest.mark.parametrize("mangle, reason", [
    (lambda s: s + "x", "not valid"),
    (lambda s: "r3h_nothing", "not valid"),
    (lambda s: "", "not valid"),
])
def test_unknown_tokens_are_refused_on_every_endpoint(client, people, token_of, bearer, mangle, reason):
    secret = mangle(token_of(people.alice, "read"))
    for url in ("/api/events/x/meetings", "/api/regions/", "/api/"):
        assert reason in error(client.get(url, **bearer(secret)), 401, "invalid_token")


def test_revoked_expired_and_disabled_tokens_say_why(client, people, token_of, bearer, event):
    revoked = create_token(people.alice, "old", ["read"])
    revoke_token(revoked.token)
    assert "was revoked on" in error(client.get("/api/regions/", **bearer(revoked.secret)), 401, "invalid_token")
    expired = create_token(people.alice, "short", ["read"], expires_days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    assert "expired on" in error(client.get("/api/events/brokerage-day/meetings", **bearer(expired.secret)),
                                 401, "invalid_token")
    disabled = token_of(people.bob, "read")
    people.bob.is_active = False
    people.bob.save()
    assert "disabled" in error(client.get("/api/regions/", **bearer(disabled)), 401, "invalid_token")


def test_public_data_needs_no_token_and_takes_a_valid_one(client, people, token_of, bearer):
    assert client.get("/api/regions/").status_code == 200
    secret = token_of(people.bob, "read")
    assert client.get("/api/regions/", **bearer(secret)).status_code == 200
    assert ApiToken.objects.get().last_used is not None


# --- events: organisers only ------------------------------------------------------------------------

def test_event_meetings_anonymous_token_session(client, people, token_of, bearer, event):
    url = "/api/events/brokerage-day/meetings"
    error(client.get(url), 401, "unauthorized")
    assert client.get(url, **bearer(token_of(people.alice, "read"))).json() == []
    message = error(client.get(url, **bearer(token_of(people.alice, "write"))), 403, "insufficient_scope")
    assert "'read' scope" in message
    error(client.get(url, **bearer(token_of(people.bob, "read"))), 403, "forbidden")  # not an organiser
    client.force_login(people.alice)
    assert client.get(url).json() == []


def test_event_writes_need_the_write_scope(client, people, token_of, bearer, event):
    url = "/api/events/brokerage-day/meetings/999/lock"
    body = {"locked": True}
    error(client.post(url, body, content_type="application/json"), 401, "unauthorized")
    reader = bearer(token_of(people.alice, "read", "export"))
    assert "'write' scope" in error(client.post(url, body, content_type="application/json", **reader),
                                    403, "insufficient_scope")
    writer = bearer(token_of(people.alice, "write"))
    # Past authentication and scope: the meeting does not exist.
    assert "no meeting 999" in error(client.post(url, body, content_type="application/json", **writer),
                                     404, "not_found")
    error(client.post(url, body, content_type="application/json", **bearer(token_of(people.bob, "write"))),
          403, "forbidden")


def test_sessions_need_csrf_on_writes_tokens_do_not(people, token_of, bearer, event):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.alice)
    url = "/api/events/brokerage-day/meetings/999/lock"
    assert "X-CSRFToken" in error(browser.post(url, {"locked": True}, content_type="application/json"),
                                  403, "csrf_failed")
    browser.get("/tokens/")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    error(browser.post(url, {"locked": True}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf),
          404, "not_found")
    program = Client(enforce_csrf_checks=True)
    error(program.post(url, {"locked": True}, content_type="application/json",
                       **bearer(token_of(people.alice, "write"))), 404, "not_found")


def test_a_draft_event_is_seen_by_its_organisers_token_with_read(client, people, token_of, bearer, event):
    event.published = False
    event.save()
    error(client.get("/api/events/brokerage-day"), 404, "not_found")
    assert client.get("/api/events/brokerage-day", **bearer(token_of(people.alice, "read"))).status_code == 200
    error(client.get("/api/events/brokerage-day", **bearer(token_of(people.alice, "write"))), 404, "not_found")


# --- consultations: results for those who manage them ------------------------------------------------

def test_consultation_themes(client, people, token_of, bearer):
    consultation = consultation_actions.create_consultation("Strategy 2027", slug="strategy-2027")
    question = consultation_actions.add_question(consultation, "What is missing?")
    consultation_actions.publish(consultation)
    url = f"/api/consultations/strategy-2027/questions/{question.pk}/themes"
    error(client.get(url), 401, "unauthorized")
    error(client.get(url, **bearer(token_of(people.bob, "read"))), 403, "forbidden")
    error(client.get(url, **bearer(token_of(people.admin, "write"))), 403, "insufficient_scope")
    assert client.get(url, **bearer(token_of(people.admin, "read"))).json()["answers"] == 0
    roles.grant(people.bob, roles.Role.ANALYST)
    assert client.get(url, **bearer(token_of(people.bob, "read"))).status_code == 200
    client.force_login(people.admin)
    assert client.get(url).status_code == 200


# --- search: graduates are people ---------------------------------------------------------------------

def test_talent_is_for_analysts(client, people, token_of, bearer):
    GraduateProfile.objects.create(name="Chiara Verdi", degree="MSc Physics")
    error(client.get("/api/search/talent"), 401, "unauthorized")
    error(client.get("/api/search/talent", **bearer(token_of(people.bob, "read"))), 403, "forbidden")
    roles.grant(people.bob, roles.Role.ANALYST)
    error(client.get("/api/search/talent", **bearer(token_of(people.bob, "export"))), 403, "insufficient_scope")
    assert client.get("/api/search/talent", **bearer(token_of(people.bob, "read"))).status_code == 200


# --- practices: restricted fields for signed-in readers ----------------------------------------------

def test_practice_restricted_fields(client, people, token_of, bearer):
    practice_actions.create_practice("Technopoles", "Research buildings.", slug="technopoles",
                                     author_name="Demo editor", author_email="editor@example.org")
    url = "/api/practices/technopoles"
    assert client.get(url).json()["author_email"] is None
    assert client.get(url, **bearer(token_of(people.bob, "write"))).json()["restricted"] is True
    assert client.get(url, **bearer(token_of(people.bob, "read"))).json()["author_name"] == "Demo editor"
    client.force_login(people.bob)
    assert client.get(url).json()["restricted"] is False


# --- exports: the export scope ---------------------------------------------------------------------------

def test_exports_need_the_export_scope(client, people, token_of, bearer):
    from ris3hub.registry.models import Organisation

    Organisation.objects.create(name="=HYPERLINK(\"http://evil\")", country="IT")
    Organisation.objects.create(name="Tecnopolo di Bologna", country="IT")
    url = "/api/exports/organisations?format=csv&q=tecnopolo"
    error(client.get(url), 401, "unauthorized")
    error(client.get(url, **bearer(token_of(people.bob, "read", "write"))), 403, "insufficient_scope")
    response = client.get(url, **bearer(token_of(people.bob, "export")))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Tecnopolo di Bologna" in text and "HYPERLINK" not in text  # the page's filter applied
    everything = client.get("/api/exports/organisations", **bearer(token_of(people.bob, "export")))
    assert "'=HYPERLINK" in b"".join(everything.streaming_content).decode("utf-8-sig")
    xlsx = client.get("/api/exports/regions?format=xlsx", **bearer(token_of(people.bob, "export")))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    error(client.get("/api/exports/people", **bearer(token_of(people.bob, "export"))), 422, "invalid")
    error(client.get("/api/exports/organisations?format=pdf", **bearer(token_of(people.bob, "export"))),
          422, "invalid")


def test_openapi_declares_the_security_schemes(client):
    schema = client.get("/api/schema").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer", "description": schemes["BearerToken"]
                                      ["description"]}
    assert schemes["SessionCookie"]["in"] == "cookie"
    operation = schema["paths"]["/api/events/{slug}/meetings/{meeting_id}/move"]["post"]
    assert operation["security"] == [{"BearerToken": []}, {"SessionCookie": []}]
    assert "security" not in schema["paths"]["/api/regions/"]["get"]


# --- organisations: contacts by role, with a token only with read ------------------------------------

def test_organisation_contacts(client, people, token_of, bearer):
    from ris3hub.registry.models import Organisation

    lab = Organisation.objects.create(name="T3 Lab", country="IT", contact_person="Anna Russo",
                                      contact_email="anna@t3lab.example")
    roles.grant(people.alice, roles.Role.EDITOR, lab)
    url = f"/api/organisations/{lab.pk}"
    assert client.get(url).json()["contact"] is None
    assert client.get(url, **bearer(token_of(people.bob, "read"))).json()["contact"] is None  # no role
    assert client.get(url, **bearer(token_of(people.alice, "write"))).json()["contact"] is None  # no read scope
    contact = client.get(url, **bearer(token_of(people.alice, "read"))).json()["contact"]
    assert contact["email"] == "anna@t3lab.example"
