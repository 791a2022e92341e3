"""Follow-up answers as monitoring indicators: meetings held and agreements reached per event."""

import pytest

from ris3hub.events import actions, indicators

pytestmark = pytest.mark.django_db


def test_meetings_held_and_agreements_count_each_meeting_once(brokerage, meet):
    radar = meet(brokerage.food, brokerage.radar)
    lab = meet(brokerage.food, brokerage.lab)
    missed = meet(brokerage.mech, brokerage.radar)
    meet(brokerage.mech, brokerage.lab)  # nobody answered
    actions.do_record_follow_up(radar, brokerage.food, held=True, agreement=True, agreement_type="licence")
    actions.do_record_follow_up(radar, brokerage.radar, held=True, agreement=True, agreement_type="licence")
    actions.do_record_follow_up(lab, brokerage.lab, held=True, next_step="Send a quote")
    actions.do_record_follow_up(missed, brokerage.mech, held=False)
    actions.do_check_in(brokerage.food)
    assert indicators.meetings_held(brokerage.event) == 2
    assert indicators.agreements_reached(brokerage.event) == 1
    assert indicators.agreements_by_type(brokerage.event) == {"licence": 1}
    (outcome,) = indicators.event_outcomes([brokerage.event])
    assert outcome.as_dict() == {
        "event_id": brokerage.event.pk, "event": "Brokerage day", "participants": 6, "checked_in": 1,
        "meetings": 4, "scheduled": 0, "answered": 3, "held": 2, "agreements": 1}


def test_outcomes_of_every_event(brokerage):
    other = actions.do_create_event("Second day", "second-day")
    outcomes = indicators.event_outcomes()
    assert [o.event for o in outcomes] == ["Brokerage day", "Second day"]
    assert outcomes[1].meetings == 0 and outcomes[1].event_id == other.pk
