"""A signed-in user creates an API token on /tokens/, copies the secret shown once, calls the API with it,
then revokes it and the API refuses it."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from demo_build import demo_env  # tests/browser

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = "token-user", "token-user-pass-2026"


@pytest.fixture(scope="module")
def token_user(demo_data_dir):
    env = demo_env(demo_data_dir)
    code = ("from django.contrib.auth import get_user_model; U = get_user_model(); "
            f"U.objects.filter(username='{USERNAME}').exists() or "
            f"U.objects.create_user('{USERNAME}', 'token-user@example.org', '{PASSWORD}')")
    result = subprocess.run([sys.executable, "-m", "ris3hub.cli", "manage", "shell", "-c", code], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return USERNAME


def call_api(url: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_create_use_and_revoke_a_token(page, live_server_url, token_user):
    base = live_server_url
    page.goto(f"{base}/tokens/")  # sends an anonymous visitor to sign in, then back
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation(url=f"{base}/tokens/"):
        page.click("main form.stacked-form button[type=submit]")
    assert page.locator("text=You have no API token yet").is_visible()

    page.fill("#id_name", "nightly sync")
    page.check("input[name=scopes][value=write]")
    with page.expect_navigation():
        page.click("text=Create token")
    secret = page.input_value("#token-secret")
    assert secret.startswith("r3h_")
    assert page.locator("text=shown only this once").is_visible()
    row = page.locator("table.data-table tbody tr", has_text="nightly sync")
    assert "read, write" in row.inner_text() and "active" in row.inner_text()

    status, body = call_api(f"{base}/api/regions/?country=IT&level=2", secret)
    assert status == 200 and "count" in body

    page.reload()  # the secret is gone for good
    assert page.locator("#token-secret").count() == 0
    assert secret not in page.content()

    with page.expect_navigation():
        page.click("button[aria-label='Revoke nightly sync']")
    assert page.locator("text=is revoked").is_visible()
    assert "revoked" in page.locator("table.data-table tbody tr", has_text="nightly sync").inner_text()
    status, body = call_api(f"{base}/api/regions/", secret)
    assert status == 401 and body["code"] == "invalid_token" and "revoked" in body["message"]
