"""Login throttling (django-axes): N failures for one user name from one address lock that pair out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, reverse

from ris3hub.security.clientip import client_ip, client_key

PASSWORD = "s3cret-pass"


def _login_urls() -> list[str]:
    urls = ["/admin/login/"]
    try:
        urls.append(reverse("accounts:login"))
    except NoReverseMatch:  # the site login is another change; it is throttled the same way once it exists
        pass
    return urls


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ada", "ada@example.org", PASSWORD, is_staff=True)


def _post(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", _login_urls())
@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=timedelta(minutes=15))
def test_lockout_after_the_failure_limit(client, user, url):
    for _ in range(2):
        assert _post(client, url, "ada", "wrong").status_code == 200  # the form again, with its error
    locked = _post(client, url, "ada", "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "Too many failed logins" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # the right password does not help while locked out
    assert _post(client, url, "ada", PASSWORD).status_code == 429
    # the lock is for this user name from this address only
    assert _post(client, url, "ada", PASSWORD, address="198.51.100.9").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=timedelta(minutes=15))
def test_cool_off_ends_the_lockout(client, user):
    from axes.models import AccessAttempt

    for _ in range(2):
        _post(client, "/admin/login/", "ada", "wrong")
    assert _post(client, "/admin/login/", "ada", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert _post(client, "/admin/login/", "ada", PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_success_resets_the_count(client, user):
    for _ in range(2):
        _post(client, "/admin/login/", "ada", "wrong")
    assert _post(client, "/admin/login/", "ada", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        assert _post(client, "/admin/login/", "ada", "wrong").status_code == 200


def test_code_on_the_server_can_still_authenticate_without_a_request(client, user):
    """Django's test client and shells call authenticate() with no request: not throttled, not broken
    (also on PostgreSQL, whose inet column refuses an address the request does not have)."""
    assert client.login(username="ada", password=PASSWORD)
    assert not client.login(username="ada", password="wrong")
    client.logout()
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_settings_declare_the_limits():
    from django.conf import settings

    assert settings.AUTHENTICATION_BACKENDS[0] == "ris3hub.security.login_throttle.LoginThrottleBackend"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_client_address_behind_a_proxy_is_the_last_forwarded_one(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.10")
    settings.RIS3HUB_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"
    settings.RIS3HUB_BEHIND_PROXY = True
    assert client_ip(request) == "192.0.2.10"  # the entry our proxy wrote, not the one the client made up
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8::1")
    request.user = None
    assert client_key(request) == "ip:2001:db8::"
    request.META["REMOTE_ADDR"] = "not an address"
    assert client_ip(request) is None
    assert client_key(request) == "ip:unknown"


@override_settings(AXES_FAILURE_LIMIT=1)
def test_lockout_page_offers_a_password_reset(client, user):
    html = _post(client, "/admin/login/", "ada", "wrong").content.decode()
    assert reverse("accounts:password_reset") in html
