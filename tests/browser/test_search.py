"""Search and matchmaking on the demo, in a real browser: search with facets, describe your need,
team builder, partner regions with their map."""

import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest

from demo_build import demo_env  # tests/browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def indexed_url(live_server_url, demo_data_dir):
    """The demo server; its search index is built by the demo (built here too if it is missing)."""
    if not (demo_data_dir / "search" / "current").exists():
        env = demo_env(demo_data_dir)
        subprocess.run([sys.executable, "-m", "ris3hub.cli", "search-index", "rebuild", "--quiet"], env=env, check=True)
    return live_server_url


def test_search_need_team_and_partner_pages(page, indexed_url):
    # Search in Italian over English texts; then narrow by a facet.
    page.goto(indexed_url + "/find/")
    page.get_by_label("What are you looking for?").fill("sensore per rilevare il glutine negli alimenti")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_selector("#search-results .hit")
    assert "Glutensens" in page.locator("#search-results").inner_text() or \
        "gluten" in page.locator("#search-results").inner_text().lower()
    with page.expect_navigation(url=lambda url: "kind=spinoff" in url):
        page.locator("#facet-kind a", has_text="spin-offs").first.click()
    page.wait_for_selector("#search-results .hit")
    assert parse_qs(urlparse(page.url).query)["kind"] == ["spinoff"]
    tags = page.locator("#search-results .hit .tag").all_inner_texts()
    assert tags and set(tags) == {"spin-off"}

    # Describe a need: offers with the reasons a person can check.
    page.goto(indexed_url + "/find/need/")
    page.get_by_label("Describe your need, in Italian or English").fill(
        "Cerchiamo un partner per il riciclo dei rifiuti agricoli in nuovi materiali sostenibili")
    page.get_by_label("research to business", exact=False).check()
    page.get_by_label("Your NUTS region (for distances)").fill("ITH5")
    page.get_by_role("button", name="Find offers").click()
    page.wait_for_selector("#offers .hit")
    first = page.locator("#offers .hit").first
    assert "Matching passage" in first.inner_text()

    # Team builder: competences in, a team with its coverage table out.
    page.goto(indexed_url + "/find/team/")
    page.get_by_label("Competences needed", exact=False).fill(
        "artificial intelligence\nrobotics\nfood safety")
    page.get_by_role("button", name="Build teams").click()
    page.wait_for_selector("#team-1 table.coverage")
    rows = page.locator("#team-1 table.coverage tbody tr")
    assert rows.count() == 3
    assert page.locator("#team-1 td.covered").count() >= 2

    # Partner regions: a map drawn by charts.js, the table, the pairings marked.
    page.goto(indexed_url + "/find/partners/")
    page.get_by_label("Your NUTS region").fill("ITF3")
    page.get_by_label("Priority: a code of the region's strategy, or a text").fill("agrifood and food safety")
    page.get_by_role("button", name="Find partners").click()
    page.wait_for_selector("#partner-map[data-drawn='true']", timeout=30000)
    assert page.locator("#partner-map path").count() > 0
    assert page.locator("#partner-table tbody tr").count() >= 5
