"""Production refuses to start with settings that would make it unsafe, and says which and why."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5  # distinct characters, as Django's security.W009 counts them


def require_secret_key(key: str) -> str:
    """``key`` if it is long and random enough for production, else ImproperlyConfigured."""
    how = ('generate one with: python -c "import secrets; print(secrets.token_urlsafe(64))"')
    if not key:
        raise ImproperlyConfigured(f"RIS3HUB_ENV=production needs RIS3HUB_SECRET_KEY: {how}")
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_CHARACTERS:
        raise ImproperlyConfigured(
            f"RIS3HUB_SECRET_KEY is too short or too regular for production ({len(key)} characters, "
            f"{len(set(key))} distinct; at least {MIN_SECRET_KEY_LENGTH} and {MIN_SECRET_KEY_CHARACTERS}): {how}")
    if key.startswith("django-insecure-") or key.startswith("ris3hub-development-key"):
        raise ImproperlyConfigured(f"RIS3HUB_SECRET_KEY is a development key: {how}")
    return key


def require_allowed_hosts(hosts: list[str]) -> list[str]:
    """``hosts`` if production may answer them, else ImproperlyConfigured."""
    if not hosts:
        raise ImproperlyConfigured("RIS3HUB_ENV=production needs RIS3HUB_ALLOWED_HOSTS: the comma-separated host "
                                   "names the server answers, e.g. ris3hub.example.org")
    return hosts
