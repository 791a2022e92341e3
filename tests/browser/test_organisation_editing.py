"""An editor edits their organisation's profile and adds equipment; a second tab's stale save is refused;
the administrator's audit page shows who changed what."""

import subprocess
import sys

import pytest

from demo_build import demo_env  # tests/browser

pytestmark = pytest.mark.browser

PASSWORD = "ris3hub-browser-pass-1"
SETUP = """
from django.contrib.auth import get_user_model
from ris3hub.accounts.models import RoleAssignment
from ris3hub.accounts.roles import Role, grant
from ris3hub.registry.models import Organisation

User = get_user_model()
org = Organisation.objects.filter(kind="laboratory").order_by("pk").first()
editor, _ = User.objects.get_or_create(username="browser-editor", defaults={"email": "editor@example.org",
                                                                              "first_name": "Elena"})
editor.set_password("%(password)s"); editor.save()
if not RoleAssignment.objects.filter(user=editor, role=Role.EDITOR, organisation=org).exists():
    grant(editor, Role.EDITOR, org)
admin, _ = User.objects.get_or_create(username="browser-admin", defaults={"email": "admin@example.org",
                                                                            "is_staff": True, "is_superuser": True})
admin.set_password("%(password)s"); admin.save()
print(org.pk)
""" % {"password": PASSWORD}


@pytest.fixture(scope="module")
def organisation_id(demo_data_dir) -> int:
    env = demo_env(demo_data_dir)
    done = subprocess.run([sys.executable, "-m", "ris3hub.cli", "manage", "shell", "-c", SETUP], env=env,
                          check=True, capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1])


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form").filter(has=page.locator("#id_password")).locator("button[type=submit]").click()


def save(page):
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")


def test_edit_profile_add_equipment_stale_tab_refused_audit_shows_it(page, browser, live_server_url,
                                                                    organisation_id):
    base = live_server_url
    org_url = f"{base}/organisations/{organisation_id}/"
    log_in(page, base, "browser-editor")
    page.goto(org_url)
    with page.expect_navigation():
        page.click("#edit-profile")
    assert page.url.endswith(f"/organisations/{organisation_id}/edit/")

    # A second tab opens the same form before the first one saves.
    other_tab = page.context.new_page()
    other_tab.goto(page.url)

    page.fill("#id_looking_for", "Industrial partners for wind-tunnel testing")
    page.fill("#id_contact_person", "Elena Verdi")
    save(page)
    assert page.url.rstrip("/").endswith(f"/organisations/{organisation_id}")
    assert "was saved" in page.locator(".messages").inner_text()
    assert "Elena Verdi" in page.locator("#contact-person").inner_text()

    with page.expect_navigation():
        page.click("#add-equipment")
    page.fill("#id_name", "Browser-test wind tunnel")
    page.select_option("#id_access", "rental")
    page.fill("#id_location", "Hall A")
    save(page)
    assert "Browser-test wind tunnel" in page.locator("#equipment").inner_text()

    other_tab.fill("#id_looking_for", "Venture capital")
    save(other_tab)
    alert = other_tab.locator(".stale").inner_text()
    assert "changed this record at" in alert and "your changes were not saved" in alert
    assert "Venture capital" in alert and "Industrial partners for wind-tunnel testing" in alert
    other_tab.goto(org_url)
    assert "Industrial partners for wind-tunnel testing" in other_tab.locator("#profile").inner_text()
    other_tab.close()

    admin_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    admin_page = admin_context.new_page()
    try:
        log_in(admin_page, base, "browser-admin")
        admin_page.goto(f"{base}/audit/?model=registry.organisation&object={organisation_id}&user=browser-editor")
        entries = admin_page.locator("#entries").inner_text()
        assert "browser-editor" in entries or "Elena" in entries
        assert "Industrial partners for wind-tunnel testing" in entries
        admin_page.goto(f"{base}/audit/registry.organisation/{organisation_id}/")
        assert "Browser-test wind tunnel" in admin_page.locator("#entries").inner_text()
    finally:
        admin_context.close()
