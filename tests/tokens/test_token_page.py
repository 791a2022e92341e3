"""/tokens/: a signed-in user creates a token (sees its secret once), lists and revokes their tokens."""

import re

import pytest
from django.test import Client

from ris3hub.tokens.actions import create_token, hash_secret
from ris3hub.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get("/tokens/")
    assert response.status_code == 302 and "/tokens/" in response["Location"]


def test_create_shows_the_secret_once(client, people):
    client.force_login(people.alice)
    page = client.get("/tokens/")
    assert page.status_code == 200 and b"You have no API token yet" in page.content
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]
    created = client.post("/tokens/", {"name": "nightly sync", "scopes": ["read", "export"], "expires_days": "30"},
                          follow=True)
    assert created.redirect_chain == [("/tokens/", 302)]  # a reload does not post again
    html = created.content.decode()
    secret = re.search(r'id="token-secret"[^>]*value="(r3h_[^"]+)"', html).group(1)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_secret(secret) and token.scopes == ["read", "export"]
    assert (token.user, token.name) == (people.alice, "nightly sync")
    assert "no-store" in created["Cache-Control"]
    again = client.get("/tokens/").content.decode()
    assert secret not in again and "token-secret" not in again
    assert not any(secret in str(v) for v in client.session.values()) and token.prefix in again and "nightly sync" in again
    assert "<script" not in html and " onclick=" not in html


def test_invalid_forms_say_what_is_wrong(client, people):
    client.force_login(people.alice)
    response = client.post("/tokens/", {"name": "", "scopes": ["root"], "expires_days": "0"})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Select a valid choice" in text and "This field is required" in text
    assert not ApiToken.objects.exists()


def test_lists_only_ones_own_tokens_and_revokes(client, people):
    mine = create_token(people.alice, "mine", ["read"]).token
    theirs = create_token(people.bob, "theirs", ["read"]).token
    client.force_login(people.alice)
    page = client.get("/tokens/").content.decode()
    assert mine.prefix in page and theirs.prefix not in page
    assert client.post(f"/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.get(f"/tokens/{mine.pk}/revoke/").status_code == 405
    response = client.post(f"/tokens/{mine.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked is not None and theirs.revoked is None


def test_revoke_needs_csrf(people):
    token = create_token(people.alice, "mine", ["read"]).token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.alice)
    assert browser.post(f"/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked is None
