"""The workshop calendar as iCalendar (RFC 5545), with the icalendar package."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.utils import timezone
from icalendar import Calendar, Event, vUri

from ris3hub.practices.models import Workshop

PRODID = "-//ris3hub//good practices workshops//EN"


def workshops_ics(workshops: Iterable[Workshop], base_url: str, name: str = "ris3hub workshops") -> bytes:
    """One VEVENT a workshop: UID stable across exports, times in UTC, place or online link."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for workshop in workshops:
        event = Event()
        event.add("uid", f"workshop-{workshop.pk}@ris3hub")
        event.add("dtstamp", stamp)
        event.add("dtstart", workshop.starts.astimezone(UTC))
        event.add("dtend", workshop.ends.astimezone(UTC))
        event.add("summary", workshop.title)
        description = workshop.description
        if workshop.online_url:
            description = f"{description}\n\nOnline: {workshop.online_url}".strip()
        if description:
            event.add("description", description)
        event.add("location", workshop.place or workshop.online_url)
        event.add("url", vUri(base_url.rstrip("/") + workshop.get_absolute_url()))
        calendar.add_component(event)
    return calendar.to_ical()
