"""A person on the demo: home page, search for an organisation, a region page with its map."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_search_an_organisation_and_open_a_region_with_its_map(page, live_server_url):
    page.goto(live_server_url + "/")
    page.get_by_role("searchbox").first.fill("Bologna")
    with page.expect_navigation(url=re.compile(r"/search/\?q=Bologna")):
        page.keyboard.press("Enter")
    results = page.locator("main")
    assert "ALMA MATER STUDIORUM" in results.inner_text().upper()

    page.goto(live_server_url + "/regions/ITH5/")
    assert "Emilia-Romagna" in page.locator("h1").inner_text()
    region_map = page.locator("#region-map")
    region_map.wait_for(state="visible")
    # Plotly draws the region's shapes as SVG paths once the map has rendered.
    page.wait_for_selector("#region-map path", timeout=20000)
    assert page.locator("#region-map path").count() > 0


def test_home_map_links_to_regions(page, live_server_url):
    page.goto(live_server_url + "/")
    page.wait_for_selector("main svg path", timeout=20000)
    assert re.search(r"\d", page.locator("main").inner_text())
