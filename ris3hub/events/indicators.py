"""Monitoring indicators from the events' follow-up answers: meetings held, agreements reached.

A meeting counts as held when one of its participants answered that it was, and as ending in an
agreement when one of them reported one (participants often answer alone). Counts, not shares:
rates are for the templates and exports to compute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Count, Exists, OuterRef, Q

from ris3hub.events.models import CheckIn, Event, FollowUp, Meeting, Registration


@dataclass(frozen=True)
class EventOutcome:
    event_id: int
    event: str
    participants: int
    checked_in: int
    meetings: int
    scheduled: int
    answered: int
    held: int
    agreements: int

    def as_dict(self) -> dict:
        return asdict(self)


def _annotated_meetings():
    answers = FollowUp.objects.filter(meeting=OuterRef("pk"))
    return Meeting.objects.annotate(
        has_answer=Exists(answers),
        was_held=Exists(answers.filter(held=True)),
        agreed=Exists(answers.filter(agreement=True)),
    )


def meetings_held(event: Event) -> int:
    """Meetings of ``event`` at least one participant says were held."""
    return _annotated_meetings().filter(event=event, was_held=True).count()


def agreements_reached(event: Event) -> int:
    """Meetings of ``event`` after which at least one participant reports an agreement."""
    return _annotated_meetings().filter(event=event, agreed=True).count()


def agreements_by_type(event: Event) -> dict[str, int]:
    """Meetings ending in an agreement, by kind of cooperation ('' when not said); one meeting counts once a kind."""
    rows = (FollowUp.objects.filter(meeting__event=event, agreement=True)
            .values("agreement_type").annotate(meetings=Count("meeting", distinct=True)))
    return {row["agreement_type"]: row["meetings"] for row in rows}


def event_outcomes(events: Iterable[Event] | None = None) -> list[EventOutcome]:
    """One row per event: participants, check-ins, meetings, and what the follow-up answers say."""
    queryset = Event.objects.all() if events is None else Event.objects.filter(pk__in=[e.pk for e in events])
    meetings = _annotated_meetings()
    rows = []
    for event in queryset.order_by("pk"):
        counts = meetings.filter(event=event).aggregate(
            meetings=Count("pk"),
            scheduled=Count("pk", filter=Q(slot__isnull=False, place__isnull=False)),
            answered=Count("pk", filter=Q(has_answer=True)),
            held=Count("pk", filter=Q(was_held=True)),
            agreements=Count("pk", filter=Q(agreed=True)),
        )
        rows.append(EventOutcome(
            event_id=event.pk, event=event.name,
            participants=Registration.objects.filter(event=event, status=Registration.Status.VALIDATED).count(),
            checked_in=CheckIn.objects.filter(registration__event=event).count(),
            **counts,
        ))
    return rows
