"""Passwords are hashed with Argon2id; older hashes still check and are upgraded on login."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


def test_real_settings_hash_with_argon2_first():
    real = importlib.import_module("ris3hub.settings")  # the module, not the tests' fast override
    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in real.PASSWORD_HASHERS[1:]


def test_argon2_hash_is_argon2id():
    encoded = Argon2PasswordHasher().encode("correct horse", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("correct horse", encoded)


@pytest.mark.django_db
def test_old_pbkdf2_password_is_upgraded_to_argon2_on_login(client, settings):
    from django.contrib.auth import get_user_model

    real = importlib.import_module("ris3hub.settings")
    settings.PASSWORD_HASHERS = real.PASSWORD_HASHERS
    hasher = PBKDF2PasswordHasher()
    user = get_user_model().objects.create(username="old", is_staff=True, password=hasher.encode("s3cret-pass", hasher.salt()))
    response = client.post("/admin/login/", {"username": "old", "password": "s3cret-pass", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
