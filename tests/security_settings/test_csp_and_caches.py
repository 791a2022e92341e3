"""The Content Security Policy header, templates without inline script, and the shared cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import ris3hub
from ris3hub.security.caches import cache_settings
from ris3hub.security.checks import check_rate_limit_cache

TEMPLATES = sorted(Path(ris3hub.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/regions/", "/api/docs", "/admin/login/"])
def test_policy_header(client, url):
    policy = _policy(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert "'unsafe-eval'" not in str(policy)


def test_templates_have_no_inline_script_or_event_handler():
    assert TEMPLATES
    problems = []
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        problems += [f"{template}: {m.group(0)}" for m in INLINE_SCRIPT.finditer(text)]
        problems += [f"{template}: {m.group(0)}" for m in HANDLER.finditer(text)]
        if "javascript:" in text:
            problems.append(f"{template}: javascript: URL")
    assert not problems


@pytest.mark.parametrize(("url", "backend"), [
    ("", "django.core.cache.backends.db.DatabaseCache"),
    ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
    ("file:///var/cache/ris3hub", "django.core.cache.backends.filebased.FileBasedCache"),
])
def test_cache_url(url, backend):
    assert cache_settings(url)["default"]["BACKEND"] == backend


@pytest.mark.parametrize(("url", "message"), [
    ("memcached://x", "is not one of"),
    ("file://relative/x", "absolute folder"),
    ("file:///var/../etc", "absolute folder"),
])
def test_bad_cache_url(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        cache_settings(url)


def test_redis_needs_its_package():
    try:
        import redis  # noqa: F401
    except ImportError:
        with pytest.raises(ImproperlyConfigured, match="needs the 'redis' package"):
            cache_settings("redis://127.0.0.1:6379/0")
    else:
        assert cache_settings("redis://127.0.0.1:6379/0")["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"


def test_default_cache_table_exists_and_works(db):
    from django.core.cache import cache

    cache.set("probe", 41)
    assert cache.incr("probe") == 42


def test_per_process_cache_is_reported(settings):
    settings.RATELIMIT_ENABLE = True
    settings.CACHES = cache_settings("locmem://")
    assert [w.id for w in check_rate_limit_cache(None)] == ["security.W001"]
    settings.CACHES = cache_settings("")
    assert check_rate_limit_cache(None) == []
