"""Agenda PDF and iCalendar, organiser plan XLSX and PDF."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from ris3hub.events import exports
from ris3hub.events.models import Meeting, Slot

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def planned(brokerage, meet):
    """Two placed meetings of the dairy (09:20 at Table 2, afternoon online with Vision AI), one unplaced."""
    morning = list(Slot.objects.filter(session=brokerage.morning).order_by("start"))
    afternoon = list(Slot.objects.filter(session=brokerage.afternoon).order_by("start"))
    radar = meet(brokerage.food, brokerage.radar)
    online = meet(brokerage.ai, brokerage.food)
    waiting = meet(brokerage.food, brokerage.lab)
    Meeting.objects.filter(pk=radar.pk).update(slot=morning[1], place=brokerage.tables[1])
    Meeting.objects.filter(pk=online.pk).update(slot=afternoon[0], place=brokerage.room)
    return radar, online, waiting


def test_agenda_ics_parses_and_has_the_right_times(brokerage, planned):
    radar, online, _waiting = planned
    calendar = Calendar.from_ical(exports.agenda_ics(brokerage.food))
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 2
    first, second = events
    assert first.decoded("dtstart") == datetime(2026, 3, 12, 9, 20, tzinfo=ROME)
    assert first.decoded("dtend") == datetime(2026, 3, 12, 9, 40, tzinfo=ROME)
    assert first.decoded("dtstart").utcoffset().total_seconds() == 3600
    assert str(first["summary"]) == "Meeting with Deep Radars Srl"
    assert str(first["location"]) == "Table 2, Tecnopolo di Bologna"
    assert str(first["uid"]) == (f"event-{brokerage.event.pk}-meeting-{radar.pk}-registration-"
                                 f"{brokerage.food.pk}@ris3hub")
    assert second.decoded("dtstart") == datetime(2026, 3, 12, 14, 0, tzinfo=ROME)
    assert str(second["url"]) == "https://meet.example.org/room-1"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Rome"]


def test_agenda_ics_of_a_partner_shows_the_shared_email_only(brokerage, planned):
    radar_side = Calendar.from_ical(exports.agenda_ics(brokerage.radar))
    (event,) = radar_side.walk("VEVENT")
    assert "food@example.org" in str(event["description"])  # the dairy shares its email
    food_side = Calendar.from_ical(exports.agenda_ics(brokerage.food))
    assert all("radar@example.org" not in str(e["description"]) for e in food_side.walk("VEVENT"))


def test_agenda_pdf(brokerage, planned):
    pdf = exports.agenda_pdf(brokerage.food)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 3000


def test_plan_xlsx_has_meetings_in_their_cells(brokerage, planned):
    radar, online, waiting = planned
    workbook = load_workbook(io.BytesIO(exports.plan_xlsx(brokerage.event)))
    plan = workbook["Plan"]
    header = [c.value for c in plan[1]]
    assert header == ["Time", "Table 1", "Table 2", "Table 3", "Virtual room 1 (virtual)"]
    rows = {row[0]: row[1:] for row in plan.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 5 + 3
    assert rows["Thu 12 Mar 09:20-09:40"][1] == "Caseificio Emiliano Spa / Deep Radars Srl"
    assert rows["Thu 12 Mar 14:00-14:20"][3] == "Caseificio Emiliano Spa / Vision AI Srl"
    listing = list(workbook["Meetings"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in listing] == [radar.pk, online.pk, waiting.pk]
    assert listing[0][2:5] == ("09:20", "09:40", "Table 2") and listing[2][4] == "not placed"


def test_plan_xlsx_neutralises_formulas(brokerage, meet):
    brokerage.mech.organisation_name = "=HYPERLINK(\"http://evil\")"
    brokerage.mech.save()
    meeting = meet(brokerage.food, brokerage.mech)
    Meeting.objects.filter(pk=meeting.pk).update(slot=Slot.objects.filter(session=brokerage.morning).first(),
                                                 place=brokerage.tables[0])
    plan = load_workbook(io.BytesIO(exports.plan_xlsx(brokerage.event)))["Plan"]
    values = [c.value for row in plan.iter_rows() for c in row if c.value]
    assert not any(str(v).startswith("=") for v in values)


def test_plan_pdf(brokerage, planned):
    pdf = exports.plan_pdf(brokerage.event)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 3000
