"""The stored event as the scheduler's input, and scheduler runs on it."""

import pytest
from django.core.exceptions import ValidationError

from ris3hub.engines.scheduling.model import parse_problem
from ris3hub.events import actions
from ris3hub.events.checks import schedule_conflicts
from ris3hub.events.models import Meeting, ScheduleRun, Slot
from ris3hub.events.scheduling import build_problem

pytestmark = pytest.mark.django_db


def test_problem_document_of_the_event(brokerage, meet):
    radar = meet(brokerage.food, brokerage.radar)
    online = meet(brokerage.radar, brokerage.ai)
    brokerage.mech.sessions.set([brokerage.afternoon])
    mech = meet(brokerage.mech, brokerage.lab)
    first = Slot.objects.filter(session=brokerage.morning).order_by("start").first()
    actions.do_move_meeting(radar, first, brokerage.tables[0])  # locked there
    document = build_problem(brokerage.event).document
    problem = parse_problem(document)  # the engine accepts it as it is
    assert len(problem.slots) == 8 and len(problem.places) == 4 and len(problem.meetings) == 3
    assert document["slots"][0] == {"id": f"s{first.pk}", "start": "2026-03-12T09:00+01:00",
                                     "end": "2026-03-12T09:20+01:00", "session": "Morning"}
    assert document["places"][3] == {"id": f"t{brokerage.room.pk}", "name": "Virtual room 1", "capacity": 1,
                                     "virtual": True}
    people = {p["id"]: p for p in document["participants"]}
    afternoon = [f"s{s.pk}" for s in Slot.objects.filter(session=brokerage.afternoon).order_by("start")]
    assert "available" not in people[f"p{brokerage.food.pk}"]  # every session
    assert people[f"p{brokerage.ai.pk}"]["available"] == afternoon  # online: the hybrid session only
    assert people[f"p{brokerage.mech.pk}"]["available"] == afternoon  # chose the afternoon
    assert people[f"p{brokerage.lab.pk}"]["max_meetings"] == 2
    meetings = {m["id"]: m for m in document["meetings"]}
    assert meetings[f"m{radar.pk}"]["locked"] == {"slot": f"s{first.pk}", "place": f"t{brokerage.tables[0].pk}"}
    assert meetings[f"m{online.pk}"]["virtual"] is True and "locked" not in meetings[f"m{online.pk}"]
    assert set(meetings[f"m{mech.pk}"]["participants"]) == {f"p{brokerage.mech.pk}", f"p{brokerage.lab.pk}"}


def test_confirmed_meetings_go_in_locked(brokerage, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    Meeting.objects.filter(pk=meeting.pk).update(slot=Slot.objects.filter(session=brokerage.morning).first(),
                                                 place=brokerage.tables[2])
    actions.do_confirm_schedule(brokerage.event)
    (item,) = build_problem(brokerage.event).document["meetings"]
    assert item["confirmed"] is True and item["locked"]["place"] == f"t{brokerage.tables[2].pk}"


def test_schedule_places_every_meeting_by_the_rules(brokerage, meet):
    meetings = [meet(brokerage.food, brokerage.radar), meet(brokerage.mech, brokerage.radar),
                meet(brokerage.radar, brokerage.ai), meet(brokerage.lab, brokerage.food),
                meet(brokerage.radar, brokerage.fund)]
    run = actions.do_schedule_event(brokerage.event, time_limit=5, by=brokerage.organiser)
    assert (run.meetings, run.scheduled, run.kept) == (5, 5, 0)
    assert run.upper_bound == 5 and run.gap == 0 and run.proven_optimal
    assert run.objective["meetings"] == 5 and "idle_minutes" in run.objective
    assert schedule_conflicts(brokerage.event) == {}
    online = Meeting.objects.select_related("slot__session", "place").get(pk=meetings[2].pk)
    assert online.place == brokerage.room and online.slot.session == brokerage.afternoon
    slots = [m.slot_id for m in Meeting.objects.filter(participants=brokerage.radar)]
    assert len(set(slots)) == 4  # the start-up is never in two meetings at once


def test_locked_meetings_stay_after_rescheduling(brokerage, meet):
    first = meet(brokerage.food, brokerage.radar)
    meet(brokerage.mech, brokerage.radar)
    last = Slot.objects.filter(session=brokerage.afternoon).order_by("start").last()
    actions.do_move_meeting(first, last, brokerage.tables[2])  # locked at 14:40, Table 3
    actions.do_schedule_event(brokerage.event, time_limit=5)
    late = meet(brokerage.lab, brokerage.radar)  # a late request
    run = actions.do_schedule_event(brokerage.event, time_limit=5)
    first.refresh_from_db()
    assert (first.slot, first.place, first.locked) == (last, brokerage.tables[2], True)
    assert run.kept == 1 and run.scheduled == 3
    assert Meeting.objects.get(pk=late.pk).is_scheduled
    assert schedule_conflicts(brokerage.event) == {}


def test_confirmed_plan_stays_and_late_meetings_fit_around_it(brokerage, meet):
    meet(brokerage.food, brokerage.radar)
    meet(brokerage.mech, brokerage.lab)
    actions.do_schedule_event(brokerage.event, time_limit=5)
    before = {m.pk: (m.slot_id, m.place_id) for m in Meeting.objects.all()}
    assert actions.do_confirm_schedule(brokerage.event) == 2
    late = meet(brokerage.radar, brokerage.mech)
    run = actions.do_schedule_event(brokerage.event, time_limit=5)
    assert run.kept == 2
    assert {pk: where for pk, where in ((m.pk, (m.slot_id, m.place_id)) for m in Meeting.objects.all())
            if pk in before} == before
    assert Meeting.objects.get(pk=late.pk).is_scheduled


def test_a_locked_meeting_that_breaks_a_rule_stops_the_run_with_its_name(brokerage, meet):
    meeting = meet(brokerage.food, brokerage.mech)
    other = meet(brokerage.lab, brokerage.radar)
    first = Slot.objects.filter(session=brokerage.morning).order_by("start").first()
    actions.do_move_meeting(meeting, first, brokerage.tables[0])
    brokerage.mech.sessions.set([brokerage.afternoon])  # no longer there in the morning
    with pytest.raises(ValidationError) as excinfo:
        actions.do_schedule_event(brokerage.event, time_limit=5)
    text = " ".join(excinfo.value.messages)
    assert f"meeting #{meeting.pk}" in text and "Luca Ferri (Meccanica Modenese Srl)" in text
    assert not Meeting.objects.get(pk=other.pk).is_scheduled  # nothing was written
    assert not ScheduleRun.objects.exists()


def test_meetings_that_cannot_fit_are_left_out_against_the_bound(brokerage, meet):
    # Vision AI attends online: three meetings, one virtual room, three hybrid slots, but Vision AI
    # also cannot be in two at once; four meetings with it leave one out.
    for other in (brokerage.radar, brokerage.food, brokerage.mech, brokerage.lab):
        meet(other, brokerage.ai)
    run = actions.do_schedule_event(brokerage.event, time_limit=5)
    assert (run.meetings, run.scheduled, run.upper_bound, run.proven_optimal) == (4, 3, 3, True)
    assert Meeting.objects.filter(slot__isnull=True).count() == 1


def test_engine_messages_name_meetings_and_people():
    from ris3hub.events.scheduling import BuiltProblem

    built = BuiltProblem({}, {}, {"m12": "meeting #12", "p7": "Luca Ferri (Meccanica Modenese Srl)", "s3": "Thu 09:30"})
    assert built.explain('meetings[4] "m12": locked in slot "s3", when participant "p7" is not available') == (
        "meeting #12: locked in slot Thu 09:30, when participant Luca Ferri (Meccanica Modenese Srl) is not available")
