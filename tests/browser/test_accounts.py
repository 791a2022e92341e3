"""A person signs up, asks to act for a laboratory, the coordinator of its network approves on the requests
page, and the person downloads their data with the new role in it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from demo_build import demo_env  # tests/browser

pytestmark = pytest.mark.browser

PASSWORD = "a-long-pass-phrase-42"


def _cli(demo_data_dir, *args: str) -> str:
    env = demo_env(demo_data_dir)
    return subprocess.run([sys.executable, "-m", "ris3hub.cli", *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def sign_up(page, base, username):
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")
    assert page.url.endswith("/accounts/")


def sign_out(page):
    with page.expect_navigation():
        page.click(".account-links button")


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")


def test_sign_up_request_approve_and_download(page, live_server_url, demo_data_dir):
    base = live_server_url
    network, member, member_name = _cli(demo_data_dir, "manage", "shell", "-c", (
        "from ris3hub.registry.models import Membership; m = Membership.objects.select_related('member')"
        ".order_by('pk').first(); print(m.network_id, m.member_id, m.member.name, sep='|')")).strip().splitlines()[-1].split("|")
    # (the last line: Django's shell may first say how many objects it imported automatically)

    sign_up(page, base, "net-coordinator")
    sign_out(page)
    _cli(demo_data_dir, "roles", "grant", "net-coordinator", "coordinator", network)

    sign_up(page, base, "lab-person")
    assert "Registered user" in page.locator("#roles").inner_text()
    page.fill("#id_organisation", member)
    page.fill("#id_message", "I run the laboratory")
    with page.expect_navigation():
        page.click("#roles button[type=submit]")
    assert "pending" in page.locator("#my-requests").inner_text()
    sign_out(page)

    sign_in(page, base, "net-coordinator")
    page.goto(f"{base}/accounts/requests/")
    item = page.locator("#pending-requests li", has_text="lab-person")
    assert "I run the laboratory" in item.inner_text()
    with page.expect_navigation():
        item.get_by_role("button", name="Approve").click()
    assert "is now an editor" in page.locator(".messages").inner_text()
    sign_out(page)

    sign_in(page, base, "lab-person")
    assert page.url.endswith("/accounts/")
    assert member_name in page.locator("#roles").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["username"] == "lab-person"
    assert data["roles"][0]["role"] == "editor" and str(data["roles"][0]["organisation_id"]) == member
    assert data["editor_requests"][0]["status"] == "approved"
