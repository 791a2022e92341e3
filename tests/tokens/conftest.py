"""People with and without roles, their API tokens, and a little of each app's restricted data."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from ris3hub.tokens.actions import create_token


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    User = get_user_model()
    return SimpleNamespace(
        alice=User.objects.create_user("alice", "alice@example.org", "alice-pass-123"),
        bob=User.objects.create_user("bob", "bob@example.org", "bob-pass-123"),
        admin=User.objects.create_user("boss", "boss@example.org", "boss-pass-123", is_staff=True),
    )


@pytest.fixture
def bearer():
    """Headers for the test client's calls with a token's secret."""
    return lambda secret: {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token_of():
    """A new token of ``user`` with ``scopes``: its secret."""
    return lambda user, *scopes, **kw: create_token(user, "test", scopes, **kw).secret
