"""Production settings: `ris3hub manage check --deploy` is clean, and unsafe settings stop startup."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest


def _run(tmp_path, *args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RIS3HUB_SECRET_KEY",
                                                            "RIS3HUB_ALLOWED_HOSTS", "RIS3HUB_DEBUG"}}
    env.update({"RIS3HUB_ENV": "production", "RIS3HUB_DATA_DIR": str(tmp_path), **env_overrides})
    env.pop("RIS3HUB_RATE_LIMITS", None)  # production as it ships: rate limits on
    return subprocess.run([sys.executable, "-m", "ris3hub.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _run(tmp_path, "manage", "check", "--deploy", "--fail-level", "WARNING",
                  RIS3HUB_SECRET_KEY=secrets.token_urlsafe(64), RIS3HUB_ALLOWED_HOSTS="example.org")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "ERROR" not in output


@pytest.mark.parametrize(("key", "hosts", "message"), [
    ("", "example.org", "needs RIS3HUB_SECRET_KEY"),
    ("short-key", "example.org", "too short"),
    ("a" * 60, "example.org", "too short or too regular"),
    ("ris3hub-development-key-not-for-production" + "x1y2z3" * 5, "example.org", "development key"),
    (secrets.token_urlsafe(64), "", "needs RIS3HUB_ALLOWED_HOSTS"),
    (secrets.token_urlsafe(64), " , ", "needs RIS3HUB_ALLOWED_HOSTS"),
], ids=["no-key", "short-key", "regular-key", "development-key", "no-hosts", "blank-hosts"])
def test_unsafe_production_settings_stop_startup_with_a_message(tmp_path, key, hosts, message):
    result = _run(tmp_path, "manage", "check", RIS3HUB_SECRET_KEY=key, RIS3HUB_ALLOWED_HOSTS=hosts)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "ris3hub.sqlite3").exists(), "nothing may start, not even migrations"


def test_wrong_security_setting_is_named(tmp_path):
    result = _run(tmp_path, "manage", "check", RIS3HUB_ENV="development", RIS3HUB_RATE_LIMIT_SEARCH="fast")
    assert result.returncode != 0
    assert "RIS3HUB_RATE_LIMIT_SEARCH='fast' is not a rate" in result.stderr


def test_production_headers(tmp_path):
    """The settings module as production reads it: secure cookies, HSTS, referrer and opener policies."""
    code = ("import json, ris3hub.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
            "'DEBUG','SECURE_SSL_REDIRECT','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS',"
            "'SECURE_REFERRER_POLICY','SECURE_CROSS_ORIGIN_OPENER_POLICY','X_FRAME_OPTIONS','ALLOWED_HOSTS',"
            "'SECURE_PROXY_SSL_HEADER']}))")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"RIS3HUB_ENV": "production", "RIS3HUB_DATA_DIR": str(tmp_path), "RIS3HUB_DEBUG": "1",
                "RIS3HUB_SECRET_KEY": secrets.token_urlsafe(64), "RIS3HUB_ALLOWED_HOSTS": "example.org",
                "RIS3HUB_BEHIND_PROXY": "1"})
    import json

    values = json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                       check=True).stdout)
    assert values == {
        "DEBUG": False, "SECURE_SSL_REDIRECT": True, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin", "X_FRAME_OPTIONS": "DENY",
        "ALLOWED_HOSTS": ["example.org"], "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
