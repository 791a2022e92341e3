"""The one site login: sign in (name or e-mail), sign out, sign up, password change and reset, old app logins."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

PASSWORD = "a-long-pass-phrase-42"  # as in conftest.py

pytestmark = pytest.mark.django_db


def test_sign_in_with_name_or_email_and_land_on_the_account(world):
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b'name="username"' in page.content
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    other = Client()
    response = other.post("/accounts/login/", {"username": "ALICE@example.org", "password": PASSWORD,
                                               "next": "/events/"})
    assert response.status_code == 302 and response["Location"] == "/events/"


def test_a_wrong_password_and_an_outside_next_are_refused(world):
    client = Client()
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200 and b"form-error" in response.content
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD,
                                                "next": "https://evil.example.com/"})
    assert response["Location"] == "/accounts/"


def test_sign_out_is_a_post(world, as_user):
    client = as_user(world.alice)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/accounts/")["Location"].startswith("/accounts/login/?next=/accounts/")


def test_header_shows_sign_in_or_the_account(world, as_user):
    anonymous = Client().get("/organisations/").content.decode()
    assert 'href="/accounts/login/?next=/organisations/"' in anonymous and "Sign in" in anonymous
    signed = as_user(world.alice).get("/organisations/").content.decode()
    assert "Alice Rossi" in signed and "My account" in signed and 'action="/accounts/logout/"' in signed


def test_sign_up_checks_the_password_and_the_email(world):
    client = Client()
    weak = client.post("/accounts/signup/", {"username": "bruno", "email": "bruno@example.org",
                                             "password1": "123", "password2": "123"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    taken = client.post("/accounts/signup/", {"username": "bruno", "email": "ALICE@example.org",
                                              "password1": PASSWORD, "password2": PASSWORD})
    assert taken.status_code == 400 and "already exists" in taken.content.decode()
    at = client.post("/accounts/signup/", {"username": "b@x", "email": "bruno@example.org",
                                           "password1": PASSWORD, "password2": PASSWORD})
    assert at.status_code == 400 and "without" in at.content.decode()
    ok = client.post("/accounts/signup/", {"username": "bruno", "email": "bruno@example.org",
                                           "password1": PASSWORD, "password2": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/"
    bruno = get_user_model().objects.get(username="bruno")
    assert bruno.email == "bruno@example.org" and bruno.check_password(PASSWORD)
    assert client.get("/accounts/").status_code == 200


def test_password_change(world, as_user):
    client = as_user(world.alice)
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "another-long-phrase-7",
                                                   "new_password2": "another-long-phrase-7"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    world.alice.refresh_from_db()
    assert world.alice.check_password("another-long-phrase-7")


def test_password_reset_by_email(world):
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": "alice@example.org"})["Location"] == \
        "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "reset-long-phrase-9",
                                                    "new_password2": "reset-long-phrase-9"})
    assert done["Location"] == "/accounts/password/reset/done/"
    world.alice.refresh_from_db()
    assert world.alice.check_password("reset-long-phrase-9")


@pytest.mark.parametrize("app, default", [("events", "/events/"), ("monitoring", "/monitoring/rounds/"),
                                          ("consultations", "/consultations/"), ("practices", "/practices/")])
def test_the_old_app_logins_send_to_the_site_login(app, default, db):
    client = Client()
    response = client.get(f"/{app}/login/?next=/{app}/x/")
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next=%2F{app}%2Fx%2F"
    assert client.get(f"/{app}/login/")["Location"] == "/accounts/login/?next=" + default.replace("/", "%2F")
    assert client.get(f"/{app}/login/?next=https://evil.example.com/")["Location"] == \
        "/accounts/login/?next=" + default.replace("/", "%2F")
