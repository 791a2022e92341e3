"""Creating, using, expiring and revoking API tokens (ris3hub.tokens.actions)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ris3hub.tokens import actions
from ris3hub.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def test_create_returns_the_secret_once_and_stores_only_its_hash(people):
    new = actions.create_token(people.alice, "nightly sync", ["write", "read", "read"], expires_days=90)
    token = ApiToken.objects.get()
    assert new.secret.startswith("r3h_") and len(new.secret) > 40
    assert token.prefix == new.secret[:12] and token.prefix.startswith("r3h_")
    assert token.key_hash == hashlib.sha256(new.secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert new.secret not in stored and new.secret[12:] not in stored
    assert token.scopes == ["read", "write"]  # known order, no duplicates
    assert timedelta(days=89, hours=23) < token.expires - token.created <= timedelta(days=90)
    assert (token.last_used, token.revoked, token.status) == (None, None, "active")
    assert actions.find_token(new.secret) == token


def test_two_tokens_never_share_a_secret_or_prefix(people):
    first = actions.create_token(people.alice, "a", ["read"])
    second = actions.create_token(people.alice, "b", ["read"])
    assert first.secret != second.secret and first.token.prefix != second.token.prefix


@pytest.mark.parametrize("scopes, message", [
    ([], "at least one scope"),
    (["read", "admin"], "unknown scope(s) 'admin'"),
])
def test_scopes_are_checked(people, scopes, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        actions.create_token(people.alice, "x", scopes)
    assert not ApiToken.objects.exists()


def test_name_and_expiry_are_checked(people):
    with pytest.raises(ValidationError, match="name"):
        actions.create_token(people.alice, "  ", ["read"])
    with pytest.raises(ValidationError, match="between 1 and 3650"):
        actions.create_token(people.alice, "x", ["read"], expires_days=0)
    people.bob.is_active = False
    people.bob.save()
    with pytest.raises(ValidationError, match="disabled"):
        actions.create_token(people.bob, "x", ["read"])


def test_unknown_or_malformed_secrets_find_nothing(people):
    secret = actions.create_token(people.alice, "x", ["read"]).secret
    assert actions.find_token(secret + "x") is None
    assert actions.find_token(secret[4:]) is None
    assert actions.find_token("") is None
    assert actions.find_token("r3h_" + "a" * 5000) is None


def test_revoke_keeps_the_first_date(people):
    token = actions.create_token(people.alice, "x", ["read"]).token
    actions.revoke_token(token)
    first = ApiToken.objects.get().revoked
    assert first is not None and "revoked on" in token.refusal()
    actions.revoke_token(ApiToken.objects.get())
    assert ApiToken.objects.get().revoked == first
    assert ApiToken.objects.get().status == "revoked"


def test_expiry(people):
    token = actions.create_token(people.alice, "x", ["read"], expires_days=1).token
    assert token.refusal() is None
    later = timezone.now() + timedelta(days=1, seconds=1)
    assert token.is_expired(later) and "expired on" in token.refusal(later)


def test_last_used_is_written_at_most_once_a_minute(people, django_assert_num_queries):
    token = actions.create_token(people.alice, "x", ["read"]).token
    now = timezone.now()
    actions.note_use(token, now)
    assert ApiToken.objects.get().last_used == now
    with django_assert_num_queries(0):
        actions.note_use(token, now + timedelta(seconds=30))
    actions.note_use(token, now + timedelta(minutes=2))
    assert ApiToken.objects.get().last_used == now + timedelta(minutes=2)
