"""Printable and importable outputs of an event: a participant's agenda (PDF, iCalendar) and the
organiser's plan by table and slot (XLSX, PDF).

Times are in the event's time zone; iCalendar events carry it (with its VTIMEZONE), so calendars
show the right hour wherever the reader is.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ris3hub.core.exports import neutralise
from ris3hub.core.pdf import Report
from ris3hub.events.checks import load_meetings
from ris3hub.events.models import Event, Meeting, Place, Registration, Slot

PLAN_COLUMNS_PER_PAGE = 6
EVENT_FOOTER = "ris3hub brokerage events"


def _tz(event: Event) -> ZoneInfo:
    return ZoneInfo(event.timezone)


def _local(value: datetime, event: Event) -> datetime:
    return value.astimezone(_tz(event))


def _others(meeting: Meeting, registration: Registration) -> list[Registration]:
    return [r for r in meeting.participants.all() if r.pk != registration.pk]


def _who(registrations: list[Registration]) -> str:
    return "; ".join(f"{r.person_name} ({r.organisation_name})" for r in registrations)


def agenda_meetings(registration: Registration) -> tuple[list[Meeting], list[Meeting]]:
    """(scheduled meetings in time order, meetings not placed yet) of a participant."""
    meetings = [m for m in load_meetings(registration.event)
                if any(r.pk == registration.pk for r in m.participants.all())]
    scheduled = sorted((m for m in meetings if m.is_scheduled), key=lambda m: m.slot.start)
    return scheduled, [m for m in meetings if not m.is_scheduled]


def contact_of(registration: Registration) -> str:
    """The partner's email where they agreed to share it with accepted meeting partners."""
    return registration.email if registration.consent_contact else ""


def agenda_pdf(registration: Registration) -> bytes:
    event = registration.event
    scheduled, waiting = agenda_meetings(registration)
    report = Report(_("Agenda of %(name)s") % {"name": registration.person_name},
                    subtitle=f"{event.name} · {registration.organisation_name}"
                             + (f" · {event.venue}" if event.venue else ""),
                    footer=EVENT_FOOTER)
    if not scheduled:
        report.paragraph(_("No meeting is placed in your agenda yet."), italic=True)
    day = None
    rows: list[list[str]] = []

    def flush():
        if rows:
            report.table([_("Time"), _("Place"), _("With"), _("Contact")], rows, widths=(26, 34, 90, 40))
            rows.clear()

    for meeting in scheduled:
        start, end = _local(meeting.slot.start, event), _local(meeting.slot.end, event)
        if start.date() != day:
            flush()
            day = start.date()
            report.heading(f"{start:%A %d %B %Y}")
        place = meeting.place.name + (f"\n{meeting.place.link}" if meeting.place.link else "")
        others = _others(meeting, registration)
        rows.append([f"{start:%H:%M}-{end:%H:%M}", place, _who(others),
                     "\n".join(filter(None, (contact_of(r) for r in others)))])
    flush()
    if waiting:
        report.heading(_("Accepted, not placed yet"))
        report.table([_("Meeting"), _("With")], [[f"#{m.pk}", _who(_others(m, registration))] for m in waiting],
                     widths=(30, 160))
    return report.output()


def agenda_ics(registration: Registration) -> bytes:
    """The participant's scheduled meetings as an iCalendar file (one VEVENT each, stable UIDs)."""
    event = registration.event
    scheduled, _waiting = agenda_meetings(registration)
    calendar = Calendar()
    calendar.add("prodid", "-//ris3hub//brokerage events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{event.name}: {registration.person_name}")
    stamp = timezone.now()
    for meeting in scheduled:
        others = _others(meeting, registration)
        item = CalendarEvent()
        item.add("uid", f"event-{event.pk}-meeting-{meeting.pk}-registration-{registration.pk}@ris3hub")
        item.add("dtstamp", stamp)
        item.add("dtstart", _local(meeting.slot.start, event))
        item.add("dtend", _local(meeting.slot.end, event))
        item.add("summary", _("Meeting with %(who)s") % {"who": ", ".join(r.organisation_name for r in others)})
        location = meeting.place.name if meeting.place.virtual else ", ".join(filter(None, (meeting.place.name,
                                                                                           event.venue)))
        item.add("location", location)
        lines = [f"{event.name}", _who(others)]
        lines += [contact for r in others if (contact := contact_of(r))]
        if meeting.place.link:
            item.add("url", meeting.place.link)
            lines.append(meeting.place.link)
        item.add("description", "\n".join(lines))
        calendar.add_component(item)
    if scheduled:  # the time zone's rules over the event's days only, not 1970-2038
        first, last = _local(scheduled[0].slot.start, event).date(), _local(scheduled[-1].slot.end, event).date()
        calendar.add_missing_timezones(first_date=first - timedelta(days=1), last_date=last + timedelta(days=1))
    return calendar.to_ical()


def _plan(event: Event) -> tuple[list[Slot], list[Place], dict[tuple[int, int], list[Meeting]], list[Meeting]]:
    slots = list(Slot.objects.filter(session__event=event).select_related("session").order_by("start"))
    places = list(event.places.all())
    cells: dict[tuple[int, int], list[Meeting]] = defaultdict(list)
    unplaced = []
    for meeting in load_meetings(event):
        if meeting.is_scheduled:
            cells[meeting.slot_id, meeting.place_id].append(meeting)
        else:
            unplaced.append(meeting)
    return slots, places, cells, unplaced


def _names(meeting: Meeting) -> str:
    return " / ".join(r.organisation_name for r in meeting.participants.all())


def _cell(value):
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def plan_xlsx(event: Event) -> bytes:
    """Sheet "Plan": slots down, places across, the meeting in each cell; sheet "Meetings": one row each."""
    slots, places, cells, unplaced = _plan(event)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Plan")[:31]
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F2")
    sheet.append([_("Time")] + [_cell(p.name + (" (" + _("virtual") + ")" if p.virtual else "")) for p in places])
    for slot in slots:
        start, end = _local(slot.start, event), _local(slot.end, event)
        row = [f"{start:%a %d %b %H:%M}-{end:%H:%M}"]
        for place in places:
            row.append(_cell("\n".join(_names(m) for m in cells.get((slot.pk, place.pk), []))))
        sheet.append(row)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, head_fill
    for row in sheet.iter_rows(min_row=2):
        row[0].font = bold
        for cell in row[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 22
    for i in range(2, len(places) + 2):
        sheet.column_dimensions[get_column_letter(i)].width = 30
    sheet.freeze_panes = "B2"

    listing = workbook.create_sheet(_("Meetings")[:31])
    listing.append([_("Meeting"), _("Day"), _("Start"), _("End"), _("Place"), _("Participants"), _("Priority"),
                    _("Locked"), _("Confirmed")])
    for cell in listing[1]:
        cell.font, cell.fill = bold, head_fill
    placed = sorted((m for ms in cells.values() for m in ms), key=lambda m: (m.slot.start, m.place.position, m.pk))
    for meeting in placed + unplaced:
        if meeting.is_scheduled:
            start, end = _local(meeting.slot.start, event), _local(meeting.slot.end, event)
            when = [start.date(), start.strftime("%H:%M"), end.strftime("%H:%M"), _cell(meeting.place.name)]
        else:
            when = [None, None, None, _("not placed")]
        listing.append([meeting.pk, *when, _cell(_who(list(meeting.participants.all()))), meeting.priority,
                        meeting.locked, meeting.confirmed])
    for letter, width in zip("ABCDEFGHI", (10, 12, 8, 8, 18, 80, 9, 8, 10), strict=True):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def plan_pdf(event: Event) -> bytes:
    """The plan as landscape tables of at most six places across, slots down; then the unplaced meetings."""
    slots, places, cells, unplaced = _plan(event)
    scheduled = sum(len(v) for v in cells.values())
    report = Report(_("Meeting plan: %(event)s") % {"event": event.name},
                    subtitle=_("%(scheduled)d meetings placed, %(unplaced)d not placed") % {
                        "scheduled": scheduled, "unplaced": len(unplaced)}
                    + (f" · {event.venue}" if event.venue else ""),
                    footer=EVENT_FOOTER, landscape=True)
    for first in range(0, len(places), PLAN_COLUMNS_PER_PAGE):
        group = places[first:first + PLAN_COLUMNS_PER_PAGE]
        if first:
            report.page_break()
        report.heading(f"{group[0].name} – {group[-1].name}" if len(group) > 1 else group[0].name)
        rows = []
        for slot in slots:
            start, end = _local(slot.start, event), _local(slot.end, event)
            rows.append([f"{start:%a %d %H:%M}-{end:%H:%M}"]
                        + ["\n".join(_names(m) for m in cells.get((slot.pk, p.pk), [])) for p in group])
        width = (277 - 30) / len(group)
        report.table([_("Time"), *(p.name for p in group)], rows, widths=(30, *([width] * len(group))))
    if unplaced:
        report.heading(_("Accepted meetings not placed"))
        report.table([_("Meeting"), _("Participants")],
                     [[f"#{m.pk}", _who(list(m.participants.all()))] for m in unplaced], widths=(30, 247))
    return report.output()
