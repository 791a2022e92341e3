"""A policy maker on the demo: from Emilia-Romagna's region page to its S3 profile, whose
opportunity scatter and domain-space network are drawn."""

import pytest

pytestmark = pytest.mark.browser


def test_region_page_leads_to_the_s3_profile_with_its_scatter_and_network(page, live_server_url):
    page.goto(live_server_url + "/regions/ITH5/")
    with page.expect_navigation(url=lambda url: url.rstrip("/").endswith("/regions/ITH5/s3")):
        page.get_by_role("link", name="S3 profile").first.click()
    assert page.url.rstrip("/").endswith("/regions/ITH5/s3")
    assert "Emilia-Romagna" in page.locator("h1").inner_text()
    for figure in ("#s3-scatter", "#s3-network", "#s3-specialisation", "#s3-map"):
        page.wait_for_selector(f"{figure}[data-drawn='true']", timeout=30000)
    # The scatter has its points and the two dashed lines that cut it into quadrants.
    assert page.locator("#s3-scatter .scatterlayer .point").count() > 5
    assert page.locator("#s3-scatter .shapelayer path").count() >= 2
    # The network has its nodes and its links.
    assert page.locator("#s3-network .scatterlayer .point").count() > 5
    assert page.locator("#s3-network .scatterlayer .js-line").count() >= 1
    # Another domain on the map: the form reloads the page with it.
    select = page.locator("select[name=domain]")
    values = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    select.select_option(values[-1])
    with page.expect_navigation(url=lambda url: f"domain={values[-1]}" in url):
        page.get_by_role("button", name="Show").click()
    assert f"domain={values[-1]}" in page.url
    page.wait_for_selector("#s3-map[data-drawn='true']", timeout=30000)
