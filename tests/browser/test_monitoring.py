"""A laboratory fills in its periodic report on the demo, uploads a bad spreadsheet and sees the errors
(nothing stored), and the strategy's dashboard draws its charts."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from demo_build import demo_env  # tests/browser

pytestmark = pytest.mark.browser

LAB = "t3lab"  # a laboratory of the High Technology Network in the demo registry (its registry reference)
PASSWORD = "ris3hub-demo"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def monitoring_demo(demo_data_dir):
    """The demo monitoring framework, its reporting round and users, in the database the live server serves."""
    env = demo_env(demo_data_dir)
    subprocess.run([sys.executable, "-m", "ris3hub.cli", "monitoring", "demo"], env=env, check=True,
                   capture_output=True, text=True)


def log_in(page, base, username):
    page.goto(f"{base}/monitoring/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")


def test_fill_a_report_and_upload_a_bad_spreadsheet(page, live_server_url, monitoring_demo):
    log_in(page, live_server_url, LAB)
    assert page.url.endswith("/monitoring/rounds/")
    with page.expect_navigation():
        page.click("main table a")  # the open round: a member is taken to its own report
    assert "T3LAB" in page.locator("h1").inner_text()

    page.get_by_label("Research contracts signed with companies").fill("3")
    page.get_by_label("Revenue from companies (EUR)").fill("120000.50")
    page.get_by_label("Research staff (full-time equivalent)").fill("12.5")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_selector(".message-success")
    assert "Draft saved." in page.locator(".messages").inner_text()
    assert "saved on the web" in page.locator("#history").inner_text()

    # The template has the laboratory's row with its draft; a wrong number and a stranger's row in it.
    with page.expect_download() as download:
        page.locator("#upload-title ~ p a").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook["Report"]
    assert sheet["C1"].value == "research_contracts" and sheet["C2"].value == 3
    lab_id = sheet["A2"].value
    sheet["C2"] = "many"
    sheet["D2"] = "12.000,50"
    sheet.append([lab_id + 100000, "Somebody else", 1, 2, 3])
    bad = io.BytesIO()
    workbook.save(bad)
    page.set_input_files("#id_file", files=[{"name": "report.xlsx", "buffer": bad.getvalue(), "mimeType": XLSX}])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("#upload-errors")
    errors = page.locator("#upload-errors").inner_text()
    assert "The spreadsheet was not saved: 3 problems." in errors
    assert "C (research_contracts)" in errors and "'many' is not a whole number" in errors
    assert "D (revenue_companies)" in errors and "'12.000,50' is not a number" in errors
    assert "has no report in this round that you may fill" in errors
    rows = page.locator("#upload-errors tbody tr")
    assert rows.count() == 3 and rows.first.locator("td").nth(2).inner_text() == "2"

    # Nothing of the bad file was stored: the draft is as it was.
    page.goto(page.url)  # the upload's address takes a reload back to the report
    assert page.get_by_label("Research contracts signed with companies").input_value() == "3"
    assert page.get_by_label("Revenue from companies (EUR)").input_value() == "120000.5"
    assert "uploaded a spreadsheet" not in page.locator("#history").inner_text()


def test_dashboard_draws_progress_charts(page, live_server_url, monitoring_demo):
    page.goto(f"{live_server_url}/monitoring/")
    with page.expect_navigation():
        page.click("main a[href^='/monitoring/strategies/']")
    assert "Monitoring framework" in page.locator(".subtitle").inner_text()
    page.wait_for_selector("[data-figure][data-drawn='true']", timeout=20000)
    assert page.locator(".indicator-card").count() >= 8
    assert page.locator(".status-out_of_reach").count() + page.locator(".status-on_track").count() + \
        page.locator(".status-reached").count() >= 1

