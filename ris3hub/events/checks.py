"""Where a meeting may go: participants' availability, busy participants, full places, room kinds.

The same rules as the scheduling engine's, said in words a person can act on, for moving one meeting
by hand (:func:`check_slot_free`) and for showing what is wrong with the current plan
(:func:`schedule_conflicts`).

Availability: a participant on site attends the on-site and hybrid sessions, one online the online
and hybrid sessions, and only the sessions they chose if they chose some. A meeting is virtual as
soon as one participant attends online; virtual meetings go to virtual rooms, the others to tables.
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ris3hub.events.models import Event, Meeting, Place, Registration, Session, Slot

MODES_BY_ATTENDANCE = {
    Registration.Attendance.ONSITE: {Session.Mode.ONSITE, Session.Mode.HYBRID},
    Registration.Attendance.ONLINE: {Session.Mode.ONLINE, Session.Mode.HYBRID},
}


def slot_label(slot: Slot, event: Event | None = None) -> str:
    tz = ZoneInfo((event or slot.session.event).timezone)
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    return f"{start:%a %d %b %H:%M}-{end:%H:%M}"


def available_session_ids(registration: Registration, sessions: list[Session]) -> set[int]:
    """The sessions ``registration`` attends (``sessions``: the event's, with ``registration.sessions`` prefetched
    or not)."""
    chosen = {s.pk for s in registration.sessions.all()}
    modes = MODES_BY_ATTENDANCE[registration.attendance]
    return {s.pk for s in sessions if s.mode in modes and (not chosen or s.pk in chosen)}


def unavailability(registration: Registration, slot: Slot) -> str | None:
    """Why ``registration`` cannot meet in ``slot``; None when they can."""
    session = slot.session
    if session.mode not in MODES_BY_ATTENDANCE[registration.attendance]:
        return _("%(who)s attends %(attendance)s and the session “%(session)s” is %(mode)s") % {
            "who": registration, "attendance": registration.get_attendance_display(),
            "session": session.name, "mode": session.get_mode_display()}
    chosen = {s.pk for s in registration.sessions.all()}
    if chosen and session.pk not in chosen:
        return _("%(who)s does not attend the session “%(session)s”") % {"who": registration, "session": session.name}
    return None


def place_mismatch(meeting: Meeting, place: Place) -> str | None:
    if meeting.is_virtual and not place.virtual:
        online = [str(r) for r in meeting.participants.all() if r.attendance == Registration.Attendance.ONLINE]
        return _("%(who)s attends online: the meeting needs a virtual room, not %(place)s") % {
            "who": ", ".join(online), "place": place.name}
    if not meeting.is_virtual and place.virtual:
        return _("every participant is on site: the meeting needs a table, not the virtual room %(place)s") % {
            "place": place.name}
    return None


def check_slot_free(meeting: Meeting, slot: Slot, place: Place) -> list[str]:
    """What stops ``meeting`` from going to ``slot`` at ``place``; empty when it can go there."""
    event = meeting.event
    if slot.session.event_id != event.pk or place.event_id != event.pk:
        return [_("the slot and the place must belong to the meeting's event")]
    problems = []
    participants = list(meeting.participants.prefetch_related("sessions"))
    for registration in participants:
        reason = unavailability(registration, slot)
        if reason:
            problems.append(reason)
    mismatch = place_mismatch(meeting, place)
    if mismatch:
        problems.append(mismatch)
    others = (Meeting.objects.filter(slot=slot).exclude(pk=meeting.pk)
              .select_related("place").prefetch_related("participants"))
    ids = {r.pk for r in participants}
    at_place = 0
    for other in others:
        busy = [r for r in other.participants.all() if r.pk in ids]
        for registration in busy:
            problems.append(_("%(who)s already has meeting #%(other)s at %(when)s (%(place)s)") % {
                "who": registration, "other": other.pk, "when": slot_label(slot, event),
                "place": other.place.name if other.place else _("no place")})
        if other.place_id == place.pk:
            at_place += 1
    if at_place >= place.capacity:
        problems.append(_("%(place)s already holds %(count)d meeting(s) at %(when)s: its capacity is %(capacity)d") % {
            "place": place.name, "count": at_place, "when": slot_label(slot, event), "capacity": place.capacity})
    if meeting.slot_id is None:
        for registration in participants:
            scheduled = registration.meetings.filter(slot__isnull=False).exclude(pk=meeting.pk).count()
            if scheduled >= registration.meeting_limit():
                problems.append(_("%(who)s already has %(count)d scheduled meetings, their maximum") % {
                    "who": registration, "count": scheduled})
    return problems


def load_meetings(event: Event) -> list[Meeting]:
    """The event's meetings with what the checks, the grid and the exports read of them."""
    participants = Registration.objects.select_related("event", "participation_type").prefetch_related("sessions")
    return list(Meeting.objects.filter(event=event).select_related("slot__session__event", "place", "request")
                .prefetch_related(Prefetch("participants", queryset=participants)))


def schedule_conflicts(event: Event, meetings: list[Meeting] | None = None) -> dict[int, list[str]]:
    """Every scheduled meeting that breaks a rule in the current plan, with the reasons.

    ``meetings``: the event's meetings as :func:`load_meetings` reads them (read here when not given).
    """
    if meetings is None:
        meetings = load_meetings(event)
    problems: dict[int, list[str]] = defaultdict(list)
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    scheduled_count: dict[int, int] = defaultdict(int)
    for meeting in meetings:
        if not meeting.is_scheduled:
            continue
        by_slot[meeting.slot_id].append(meeting)
        for registration in meeting.participants.all():
            scheduled_count[registration.pk] += 1
            reason = unavailability(registration, meeting.slot)
            if reason:
                problems[meeting.pk].append(reason)
        mismatch = place_mismatch(meeting, meeting.place)
        if mismatch:
            problems[meeting.pk].append(mismatch)
    for slot_meetings in by_slot.values():
        seen: dict[int, Meeting] = {}
        per_place: dict[int, list[Meeting]] = defaultdict(list)
        for meeting in slot_meetings:
            per_place[meeting.place_id].append(meeting)
            for registration in meeting.participants.all():
                first = seen.setdefault(registration.pk, meeting)
                if first is not meeting:
                    for a, b in ((meeting, first), (first, meeting)):
                        problems[a.pk].append(_("%(who)s is also in meeting #%(other)s at the same time") % {
                            "who": registration, "other": b.pk})
        for place_meetings in per_place.values():
            place = place_meetings[0].place
            if len(place_meetings) > place.capacity:
                for meeting in place_meetings:
                    problems[meeting.pk].append(
                        _("%(place)s holds %(count)d meetings at once: its capacity is %(capacity)d") % {
                            "place": place.name, "count": len(place_meetings), "capacity": place.capacity})
    over = set()
    for meeting in meetings:
        if not meeting.is_scheduled:
            continue
        for registration in meeting.participants.all():
            if scheduled_count[registration.pk] > registration.meeting_limit() and registration.pk not in over:
                problems[meeting.pk].append(_("%(who)s has %(count)d scheduled meetings, more than their maximum "
                                              "%(limit)d")
                                            % {"who": registration, "count": scheduled_count[registration.pk],
                                               "limit": registration.meeting_limit()})
                over.add(registration.pk)
    return dict(problems)
