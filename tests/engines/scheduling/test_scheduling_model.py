"""The event document is validated at the boundary: every error names the element and the field."""

import copy

import pytest

from ris3hub.engines.scheduling.model import ProblemError, loads_json, parse_problem

EXAMPLE = {  # the example of the issue, completed with a second slot and participant
    "slots": [{"id": "s1", "start": "2026-03-01T09:00", "end": "2026-03-01T09:20"},
              {"id": "s2", "start": "2026-03-01T09:20", "end": "2026-03-01T09:40"}],
    "places": [{"id": "t1", "capacity": 1, "virtual": False}],
    "participants": [{"id": "p1", "available": ["s1", "s2"], "max_meetings": 8}, {"id": "p2"}],
    "meetings": [{"id": "m1", "participants": ["p1", "p2"], "virtual": False, "priority": 1,
                  "locked": {"slot": "s1", "place": "t1"}}],
}


def errors_of(document) -> list[str]:
    with pytest.raises(ProblemError) as caught:
        parse_problem(document)
    return caught.value.errors


def changed(path, value):
    document = copy.deepcopy(EXAMPLE)
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


def test_the_example_of_the_issue_parses_with_defaults_and_extra_fields():
    document = copy.deepcopy(EXAMPLE)
    document["event"] = "brokerage-day"
    document["participants"][1]["name"] = "Ada"
    problem = parse_problem(document)
    assert [s.id for s in problem.slots] == ["s1", "s2"]
    assert problem.participant("p2").available is None and problem.participant("p2").max_meetings is None
    assert problem.participant("p1").available == {"s1", "s2"}
    meeting = problem.meeting("m1")
    assert meeting.locked == ("s1", "t1") and meeting.priority == 1 and not meeting.virtual


@pytest.mark.parametrize("path, value, message", [
    (("meetings", 0, "participants", 1), "p9", 'meetings[0] "m1": "participants"[1] "p9" is not a known participant'),
    (("participants", 0, "available", 1), "s9", 'participants[0] "p1": "available"[1] "s9" is not a known slot'),
    (("meetings", 0, "locked", "slot"), "s9", 'meetings[0] "m1": "locked"."slot" "s9" is not a known slot'),
    (("meetings", 0, "locked", "place"), "t9", 'meetings[0] "m1": "locked"."place" "t9" is not a known place'),
    (("meetings", 0, "priority"), "high", 'meetings[0] "m1": "priority" must be an integer, not a string "high"'),
    (("meetings", 0, "priority"), 0, 'meetings[0] "m1": "priority" must be 1 or more, not 0'),
    (("meetings", 0, "virtual"), "no", 'meetings[0] "m1": "virtual" must be a boolean (true or false)'),
    (("meetings", 0, "participants"), ["p1"], 'meetings[0] "m1": a meeting needs at least two participants'),
    (("meetings", 0, "participants"), ["p1", "p1"], '"participants"[1] "p1" is listed twice'),
    (("places", 0, "capacity"), -1, 'places[0] "t1": "capacity" must be 0 or more, not -1'),
    (("places", 0, "capacity"), 1.5, 'places[0] "t1": "capacity" must be an integer'),
    (("participants", 0, "max_meetings"), True, 'participants[0] "p1": "max_meetings" must be an integer'),
    (("slots", 0, "start"), "9 o'clock", 'slots[0] "s1": "start" "9 o\'clock" is not an ISO 8601 date-time'),
    (("slots", 0, "end"), "2026-03-01T08:00", 'slots[0] "s1": "end" 2026-03-01T08:00 is not after "start"'),
    (("slots", 0, "end"), KeyError, 'slots[0] "s1": "end" must be an ISO 8601 date-time string'),
    (("participants", 1, "id"), 7, 'participants[1]: "id" must be a non-empty string, not a number'),
    (("participants",), KeyError, '"participants" is missing'),
    (("meetings",), {"m1": {}}, '"meetings" must be a list, not an object'),
])
def test_each_error_names_the_element(path, value, message):
    errors = errors_of(changed(path, value))
    assert any(message in e for e in errors), errors


def test_duplicate_ids_name_both_positions():
    document = copy.deepcopy(EXAMPLE)
    document["participants"].append({"id": "p1"})
    assert errors_of(document) == ['participants[2] "p1": duplicate id "p1" (first used by participants[0])']


def test_all_errors_are_collected_not_only_the_first():
    document = copy.deepcopy(EXAMPLE)
    document["meetings"].append({"id": "m2", "participants": ["p1", "nobody"], "priority": "x"})
    document["places"][0]["virtual"] = "yes"
    errors = errors_of(document)
    assert len(errors) == 3, errors


@pytest.mark.parametrize("change, message", [
    (lambda d: d["participants"][1].update(available=["s2"]),
     'meetings[0] "m1": locked in slot "s1", when participant "p2" is not available'),
    (lambda d: d["meetings"][0].update(virtual=True),
     'meetings[0] "m1": locked in place "t1", but a virtual meeting needs a virtual place'),
    (lambda d: d["meetings"].append({"id": "m2", "participants": ["p1", "p2"], "locked": {"slot": "s1", "place": "t1"}}),
     'meetings[1] "m2": locked at the same time as meetings[0] "m1", and participant "p1" is in both'),
    (lambda d: (d["participants"].extend([{"id": "p3"}, {"id": "p4"}]),
                d["meetings"].append({"id": "m2", "participants": ["p3", "p4"], "locked": {"slot": "s1", "place": "t1"}})),
     'meetings[1] "m2": locked in place "t1" in slot "s1" with meetings[0] "m1"; the place holds 1 at once'),
    (lambda d: (d["participants"][0].update(max_meetings=1),
                d["meetings"].append({"id": "m2", "participants": ["p1", "p2"], "locked": {"slot": "s2", "place": "t1"}})),
     'meetings[1] "m2": participant "p1" has 2 locked meetings, more than its "max_meetings" 1'),
])
def test_a_locked_meeting_that_breaks_a_rule_is_an_input_error(change, message):
    document = copy.deepcopy(EXAMPLE)
    change(document)
    errors = errors_of(document)
    assert any(message in e for e in errors), errors


def test_malformed_json_names_line_and_column():
    with pytest.raises(ProblemError) as caught:
        loads_json('{"slots": [\n  {"id": "s1",}\n]}', "event.json")
    assert caught.value.errors[0].startswith("event.json: line 2, column 15: malformed JSON")


def test_the_event_must_be_an_object():
    assert errors_of([1, 2]) == ["the event must be a JSON object, not a list"]


def test_slots_mixing_time_zone_forms_are_refused():
    document = copy.deepcopy(EXAMPLE)
    document["slots"][1].update(start="2026-03-01T09:20+01:00", end="2026-03-01T09:40+01:00")
    assert any("time zone offset" in e for e in errors_of(document))
