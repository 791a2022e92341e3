"""Event actions: sessions cut into slots, registration and its limits, requests (opt-in, opt-out,
expiry, limits), moves on the grid, check-in and follow-up."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from ris3hub.events import actions
from ris3hub.events.actions import Entry, session_windows
from ris3hub.events.checks import schedule_conflicts
from ris3hub.events.models import Event, Meeting, MeetingRequest, Registration, Slot

pytestmark = pytest.mark.django_db


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def test_session_slots_skip_breaks_and_keep_the_changeover():
    windows = session_windows(date(2026, 3, 12), time(9), time(10, 30), 25, changeover_minutes=5,
                              breaks=[(time(9, 55), time(10, 5))])
    assert [f"{a:%H:%M}-{b:%H:%M}" for a, b in windows] == ["09:00-09:25", "09:30-09:55", "10:05-10:30"]


def test_session_with_a_break_ending_before_it_starts_is_refused(brokerage):
    with pytest.raises(ValidationError, match="ends before it starts"):
        actions.do_add_session(brokerage.event, "Bad", date(2026, 3, 13), time(9), time(12),
                               breaks=[(time(11), time(10))])


def test_slots_are_in_the_event_time_zone(brokerage):
    slots = list(Slot.objects.filter(session=brokerage.morning).order_by("start"))
    # 09:00-11:00 in 20-minute meetings around a 10:00-10:20 break: 3 + 2 slots.
    assert len(slots) == 5
    first = timezone.localtime(slots[0].start)
    assert (first.hour, first.minute, first.utcoffset()) == (9, 0, timedelta(hours=1))


def test_reserved_event_address_is_refused(organiser):
    with pytest.raises(ValidationError, match="choose another address"):
        actions.do_create_event("Log in day", "login")


def test_register_needs_consent_and_respects_the_places_of_a_type(brokerage):
    event = brokerage.event
    with pytest.raises(ValidationError) as excinfo:
        actions.do_register(event, brokerage.types["company"], person_name="No Consent", email="x@example.org",
                            organisation_name="X", consent_terms=False)
    assert "consent" in messages_of(excinfo)
    actions.do_register(event, brokerage.types["startup"], person_name="Third", email="third@example.org",
                        organisation_name="Third Srl", consent_terms=True)
    with pytest.raises(ValidationError) as excinfo:
        actions.do_register(event, brokerage.types["startup"], person_name="Fourth", email="fourth@example.org",
                            organisation_name="Fourth Srl", consent_terms=True)
    assert "the 3 places for “Start-up” are taken" in messages_of(excinfo)
    assert not get_user_model().objects.filter(email="fourth@example.org").exists()


def test_register_makes_an_account_once_and_validation_is_pending(brokerage):
    event = brokerage.event
    registration = actions.do_register(
        event, brokerage.types["company"], person_name="Elena Verdi", email="Elena@Example.org",
        organisation_name="Verdi Spa", consent_terms=True, password="a-long-password",
        entries=[Entry("request", "Energy storage for a plant", cooperation="technical")])
    assert registration.status == Registration.Status.PENDING
    assert registration.user.username == "elena@example.org"
    assert registration.user.check_password("a-long-password")
    assert [e.title for e in registration.entries.all()] == ["Energy storage for a plant"]
    with pytest.raises(ValidationError, match="exists: log in"):
        actions.do_register(event, brokerage.types["company"], person_name="Elena", email="elena@example.org",
                            organisation_name="Verdi", consent_terms=True)
    with pytest.raises(ValidationError, match="registered to Brokerage day already"):
        actions.do_register(event, brokerage.types["company"], person_name="Elena", email="elena@example.org",
                            organisation_name="Verdi", consent_terms=True, user=registration.user)


def test_an_entry_without_a_title_is_refused(brokerage):
    with pytest.raises(ValidationError, match="entry 2 has no title"):
        actions.do_replace_entries(brokerage.radar, [Entry("offer", "Radar"), Entry("request", "  ")])
    assert brokerage.radar.entries.count() == 2


def test_unvalidated_participants_cannot_meet(brokerage):
    pending = actions.do_register(brokerage.event, brokerage.types["company"], person_name="New", email="n@example.org",
                                  organisation_name="New Srl", consent_terms=True)
    with pytest.raises(ValidationError, match="not validated"):
        actions.do_request_meeting(brokerage.food, pending)


def test_opt_in_request_waits_for_the_guest_then_becomes_a_meeting(brokerage):
    request = actions.do_request_meeting(brokerage.food, brokerage.radar, "Your radar for our wheels?")
    assert request.status == MeetingRequest.Status.REQUESTED
    assert request.expires_at > timezone.now() + timedelta(hours=71)
    assert not Meeting.objects.exists()
    meeting = actions.do_accept_request(request, "With pleasure")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED and request.response_message == "With pleasure"
    assert {r.pk for r in meeting.participants.all()} == {brokerage.food.pk, brokerage.radar.pk}
    assert not meeting.is_scheduled


def test_a_second_request_between_the_same_pair_is_refused_both_ways(brokerage):
    actions.do_request_meeting(brokerage.food, brokerage.radar)
    with pytest.raises(ValidationError, match="asked .* already"):
        actions.do_request_meeting(brokerage.food, brokerage.radar)
    with pytest.raises(ValidationError, match="has asked you for a meeting already"):
        actions.do_request_meeting(brokerage.radar, brokerage.food)


def test_declined_request_frees_the_pair(brokerage):
    request = actions.do_request_meeting(brokerage.food, brokerage.radar)
    actions.do_decline_request(request, "Not this time")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED
    again = actions.do_request_meeting(brokerage.food, brokerage.radar)
    assert again.status == MeetingRequest.Status.REQUESTED


def test_opt_out_request_is_a_meeting_at_once_and_the_guest_may_decline_it(brokerage):
    brokerage.event.request_mode = Event.RequestMode.OPT_OUT
    brokerage.event.save()
    request = actions.do_request_meeting(brokerage.food, brokerage.radar)
    assert request.status == MeetingRequest.Status.ACCEPTED and request.expires_at is None
    assert Meeting.objects.filter(request=request).exists()
    actions.do_decline_request(request, "Sorry, no time")
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.DECLINED
    assert not Meeting.objects.exists()


def test_opt_in_accepted_request_cannot_be_declined(brokerage, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    with pytest.raises(ValidationError, match="accepted: it cannot be declined"):
        actions.do_decline_request(meeting.request)


def test_unanswered_requests_expire(brokerage):
    now = timezone.now()
    request = actions.do_request_meeting(brokerage.food, brokerage.radar, now=now)
    other = actions.do_request_meeting(brokerage.mech, brokerage.radar, now=now + timedelta(hours=10))
    assert actions.expire_requests(brokerage.event, now=now + timedelta(hours=73)) == 1
    request.refresh_from_db()
    other.refresh_from_db()
    assert request.status == MeetingRequest.Status.EXPIRED
    assert other.status == MeetingRequest.Status.REQUESTED
    # An expired request no longer blocks the pair.
    actions.do_request_meeting(brokerage.food, brokerage.radar, now=now + timedelta(hours=74))


def test_accepting_a_request_past_its_expiry_is_refused_and_marks_it_expired(brokerage):
    now = timezone.now()
    request = actions.do_request_meeting(brokerage.food, brokerage.radar, now=now)
    with pytest.raises(ValidationError, match="expired on"):
        actions.do_accept_request(request, now=now + timedelta(hours=80))
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.EXPIRED
    assert not Meeting.objects.exists()


def test_request_limit_counts_waiting_and_accepted_requests(brokerage, meet):
    food = brokerage.food  # the event allows 3 open requests
    meet(food, brokerage.radar)
    actions.do_request_meeting(food, brokerage.lab)
    actions.do_request_meeting(food, brokerage.mech)
    with pytest.raises(ValidationError, match="3 requests waiting or accepted"):
        actions.do_request_meeting(food, brokerage.ai)


def test_meeting_limit_of_a_participation_type(brokerage, meet):
    lab = brokerage.lab  # laboratories meet at most twice
    meet(brokerage.food, lab)
    meet(brokerage.mech, lab)
    with pytest.raises(ValidationError, match="has 2 meetings, the most their participation allows"):
        actions.do_request_meeting(brokerage.radar, lab)


def test_accepting_beyond_the_meeting_limit_is_refused(brokerage, meet):
    waiting = actions.do_request_meeting(brokerage.radar, brokerage.lab)
    meet(brokerage.food, brokerage.lab)
    meet(brokerage.mech, brokerage.lab)
    with pytest.raises(ValidationError, match="the most their participation allows"):
        actions.do_accept_request(waiting)
    waiting.refresh_from_db()
    assert waiting.status == MeetingRequest.Status.REQUESTED


def test_a_type_that_cannot_request_only_answers(brokerage):
    with pytest.raises(ValidationError, match="cannot request meetings"):
        actions.do_request_meeting(brokerage.fund, brokerage.radar)
    request = actions.do_request_meeting(brokerage.radar, brokerage.fund)
    actions.do_accept_request(request)


def test_move_into_a_busy_slot_is_refused_with_the_reason(brokerage, meet):
    first = meet(brokerage.food, brokerage.radar)
    second = meet(brokerage.mech, brokerage.radar)
    slot = Slot.objects.filter(session=brokerage.morning).order_by("start").first()
    table1, table2, table3 = brokerage.tables
    actions.do_move_meeting(first, slot, table1)
    with pytest.raises(ValidationError) as excinfo:
        actions.do_move_meeting(second, slot, table2)
    text = messages_of(excinfo)
    assert "Giulia Neri (Deep Radars Srl) already has meeting" in text and "Table 1" in text
    third = meet(brokerage.lab, brokerage.mech)
    with pytest.raises(ValidationError, match="Table 1 already holds 1 meeting"):
        actions.do_move_meeting(third, slot, table1)
    actions.do_move_meeting(third, slot, table3)
    first.refresh_from_db()
    assert first.locked and first.slot == slot and first.place == table1


def test_move_checks_availability_and_the_kind_of_place(brokerage, meet):
    online = meet(brokerage.radar, brokerage.ai)  # Vision AI attends online
    morning = Slot.objects.filter(session=brokerage.morning).first()
    afternoon = Slot.objects.filter(session=brokerage.afternoon).first()
    with pytest.raises(ValidationError, match="attends online"):
        actions.do_move_meeting(online, afternoon, brokerage.tables[0])
    with pytest.raises(ValidationError, match="the session “Morning” is on site"):
        actions.do_move_meeting(online, morning, brokerage.room)
    actions.do_move_meeting(online, afternoon, brokerage.room)
    onsite = meet(brokerage.food, brokerage.mech)
    with pytest.raises(ValidationError, match="needs a table, not the virtual room"):
        actions.do_move_meeting(onsite, afternoon, brokerage.room)


def test_chosen_sessions_limit_availability(brokerage, meet):
    brokerage.mech.sessions.set([brokerage.afternoon])
    meeting = meet(brokerage.food, brokerage.mech)
    morning = Slot.objects.filter(session=brokerage.morning).first()
    with pytest.raises(ValidationError, match="does not attend the session “Morning”"):
        actions.do_move_meeting(meeting, morning, brokerage.tables[0])


def test_conflicts_of_the_current_plan_are_listed(brokerage, meet):
    first = meet(brokerage.food, brokerage.radar)
    second = meet(brokerage.mech, brokerage.radar)
    slot = Slot.objects.filter(session=brokerage.morning).first()
    # Written past the checks, as a change of availability after placing would leave it.
    Meeting.objects.filter(pk__in=[first.pk, second.pk]).update(slot=slot, place=brokerage.tables[0])
    conflicts = schedule_conflicts(brokerage.event)
    assert set(conflicts) == {first.pk, second.pk}
    assert any("also in meeting" in c for c in conflicts[first.pk])
    assert any("Table 1 holds 2 meetings at once" in c for c in conflicts[second.pk])


def test_lock_needs_a_place_and_unscheduling_unlocks(brokerage, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    with pytest.raises(ValidationError, match="no slot yet"):
        actions.do_lock_meeting(meeting)
    slot = Slot.objects.filter(session=brokerage.morning).first()
    actions.do_move_meeting(meeting, slot, brokerage.tables[0], lock=False)
    actions.do_lock_meeting(meeting)
    assert Meeting.objects.get(pk=meeting.pk).locked
    actions.do_unschedule_meeting(meeting)
    meeting.refresh_from_db()
    assert not meeting.is_scheduled and not meeting.locked


def test_check_in_keeps_the_first_arrival(brokerage):
    first = actions.do_check_in(brokerage.food, brokerage.organiser)
    again = actions.do_check_in(brokerage.food, brokerage.organiser, now=first.at + timedelta(minutes=30))
    assert again.at == first.at
    actions.do_undo_check_in(brokerage.food)
    assert not hasattr(Registration.objects.get(pk=brokerage.food.pk), "check_in")


def test_follow_up_answers_replace_and_check_consistency(brokerage, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    with pytest.raises(ValidationError, match="needs the meeting to have been held"):
        actions.do_record_follow_up(meeting, brokerage.food, held=False, agreement=True)
    with pytest.raises(ValidationError, match="not a participant of meeting"):
        actions.do_record_follow_up(meeting, brokerage.lab, held=True)
    actions.do_record_follow_up(meeting, brokerage.food, held=True)
    answer = actions.do_record_follow_up(meeting, brokerage.food, held=True, agreement=True,
                                         agreement_type="licence", next_step="Pilot in May")
    assert meeting.follow_ups.count() == 1 and answer.next_step == "Pilot in May"


def test_rejecting_a_participant_with_meetings_is_refused(brokerage, meet):
    meet(brokerage.food, brokerage.radar)
    with pytest.raises(ValidationError, match="cancel them before rejecting"):
        actions.do_validate_registration(brokerage.radar, brokerage.organiser, approve=False)


def test_doctests_of_the_events_modules():
    import doctest

    from ris3hub.events import actions as actions_module
    from ris3hub.events import demo

    for module in (actions_module, demo):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_participation_types_meet_only_the_types_they_list(brokerage, meet):
    from ris3hub.events.recommendations import recommend

    laboratories = brokerage.types["lab"]
    laboratories.meets.set([brokerage.types["company"]])
    meet(brokerage.food, brokerage.lab)  # a company and a laboratory
    with pytest.raises(ValidationError, match="“Start-up” do not meet participants of type “Laboratory”"):
        actions.do_request_meeting(brokerage.radar, brokerage.lab)
    with pytest.raises(ValidationError, match="“Laboratory” do not meet participants of type “Start-up”"):
        actions.do_request_meeting(brokerage.lab, brokerage.radar)
    assert brokerage.lab not in [r.registration for r in recommend(brokerage.radar, limit=10)]
    actions.do_request_meeting(brokerage.radar, brokerage.food)  # the other types meet every type
