"""An organiser on the demo brokerage day: drag a meeting on the grid, run the scheduler, see the plan."""

import re

import pytest

pytestmark = pytest.mark.browser


def log_in(page, base, username, password="ris3hub-demo"):
    page.goto(f"{base}/events/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_organiser_drags_a_meeting_and_runs_the_scheduler(page, live_server_url, demo_event):
    log_in(page, live_server_url, "organiser")
    page.goto(f"{live_server_url}/events/{demo_event}/organiser/grid/")
    assert page.locator("#meeting-grid").is_visible()
    assert page.locator(".grid-cell .meeting-card").count() == 0
    card = page.locator("#tray .meeting-card[data-virtual='0']").first
    meeting = card.get_attribute("data-meeting")
    cell = page.locator("#meeting-grid tbody tr:not(.session-row)").first.locator("td.grid-cell").first
    slot, place = cell.get_attribute("data-slot"), cell.get_attribute("data-place")

    card.drag_to(cell)
    target = f"td[data-slot='{slot}'][data-place='{place}']"
    page.wait_for_selector(f"{target} #meeting-{meeting}")
    assert "locked" in page.locator(f"#meeting-{meeting}").get_attribute("class")

    page.click("#run-scheduler")
    page.wait_for_selector(".message-success")
    assert re.search(r"Scheduled \d+ of \d+ meetings \(upper bound \d+", page.locator(".messages").inner_text())
    placed = page.locator(".grid-cell .meeting-card").count()
    assert placed > 40
    assert page.locator(f"{target} #meeting-{meeting}").count() == 1  # the locked meeting stayed
    assert page.locator("[data-stat='upper-bound']").inner_text().strip() != ""
    assert page.locator("#conflicts").count() == 0

    # A second meeting into the same table at the same time is refused, with the reason on the page.
    other = page.locator(".grid-cell .meeting-card").nth(1)
    other.drag_to(page.locator(target))
    message = page.locator("#grid-message")
    message.wait_for(state="visible")
    assert "cannot go to" in message.inner_text()


def test_participant_sees_the_agenda_and_not_the_grid(page, live_server_url, demo_event):
    log_in(page, live_server_url, "giulia.rossi.1@ris3hub.example")
    page.goto(f"{live_server_url}/events/{demo_event}/agenda/")
    assert "My agenda" in page.locator("h1").inner_text()
    response = page.goto(f"{live_server_url}/events/{demo_event}/organiser/grid/")
    assert response.status == 403
    page.goto(f"{live_server_url}/events/{demo_event}/marketplace/")
    assert page.locator(".recommendations .person").count() > 0
