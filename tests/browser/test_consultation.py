"""A person answers the demo consultation through its public link, first forgetting the consent box;
then reads a good practice, signed out, without its restricted fields."""

import subprocess
import sys

import pytest

from demo_build import demo_env  # tests/browser

from ris3hub.consultation.demo import SLUG

pytestmark = pytest.mark.browser


def manage_shell(data_dir, code: str) -> str:
    env = demo_env(data_dir)
    result = subprocess.run([sys.executable, "-m", "ris3hub.cli", "manage", "shell", "-c", code], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def demo_content(demo_data_dir):
    """The demo consultation and good practices in the demo database (idempotent)."""
    manage_shell(demo_data_dir, "from ris3hub.consultation.demo import build_demo as c; "
                                "from ris3hub.practices.demo import build_demo as p; "
                                "p(progress=False); c(progress=False)")
    return demo_data_dir


def responses(data_dir) -> int:
    out = manage_shell(data_dir, "from ris3hub.consultation.models import Response; "
                                 f"print('responses', Response.objects.filter(consultation__slug='{SLUG}').count())")
    return int(out.split("responses")[-1].strip())


def test_answer_the_consultation_by_its_link_with_consent(page, live_server_url, demo_content):
    before = responses(demo_content)
    page.goto(f"{live_server_url}/consultations/{SLUG}/")
    assert "what comes first" in page.locator("h1").inner_text()
    page.locator("textarea").first.fill("Più laboratori aperti alle PMI e bandi più semplici per le startup.")
    page.get_by_label("SME", exact=True).check()
    # With the Emilia-Romagna strategy in the demo, its priorities are ranked too.
    rankings = page.locator(".ranking-row select")
    for i in range(rankings.count()):
        rankings.nth(i).select_option(index=i + 1)
    page.get_by_role("button", name="Send my answers").click()
    # The browser itself holds the form back: the consent box is required (the server refuses too,
    # tests/consultation/test_consultation_pages.py).
    assert page.eval_on_selector("#id_consent", "box => box.validationMessage")
    assert page.url.endswith(f"/consultations/{SLUG}/")
    assert responses(demo_content) == before
    assert "Più laboratori" in page.locator("textarea").first.input_value()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"**/consultations/{SLUG}/thanks/")
    assert "recorded, with your consent" in page.locator("main").inner_text()
    assert responses(demo_content) == before + 1


def test_a_good_practice_hides_its_contacts_from_visitors(page, live_server_url, demo_content):
    page.goto(f"{live_server_url}/practices/")
    page.locator("#id_q").fill("laboratories accreditation")
    with page.expect_navigation(url=lambda url: "q=laboratories" in url):
        page.locator("aside form button[type=submit]").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Emilia-Romagna High Technology Network").click()
    main = page.locator("main").inner_text()
    assert "Evidence of success" in main and "Similar practices" in main
    assert "practices@example.org" not in main
    assert "shown to signed-in users" in main
