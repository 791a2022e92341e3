"""The independent checker catches every kind of broken schedule."""

import copy

import pytest

from ris3hub.engines.scheduling.generate import random_event
from ris3hub.engines.scheduling.model import parse_problem
from ris3hub.engines.scheduling.solve import solve
from ris3hub.engines.scheduling.verify import check_schedule


@pytest.fixture(scope="module")
def case():
    document = {
        "slots": [{"id": "s1", "start": "2026-03-02T09:00", "end": "2026-03-02T09:20"},
                  {"id": "s2", "start": "2026-03-02T09:20", "end": "2026-03-02T09:40"},
                  {"id": "s3", "start": "2026-03-02T09:40", "end": "2026-03-02T10:00"}],
        "places": [{"id": "t1"}, {"id": "t2"}, {"id": "v1", "virtual": True}],
        "participants": [{"id": "p1", "max_meetings": 2}, {"id": "p2"}, {"id": "p3", "available": ["s1", "s2"]},
                         {"id": "p4"}],
        "meetings": [{"id": "m1", "participants": ["p1", "p2"], "locked": {"slot": "s1", "place": "t1"}},
                     {"id": "m2", "participants": ["p1", "p3"]}, {"id": "m3", "participants": ["p2", "p3"]},
                     {"id": "m4", "participants": ["p3", "p4"], "virtual": True}, {"id": "m5", "participants": ["p1", "p4"]}],
    }
    problem = parse_problem(document)
    return problem, solve(document, 5)


def broken(schedule, meeting, slot=None, place=None):
    out = copy.deepcopy(schedule)
    for item in out["assignments"]:
        if item["meeting"] == meeting:
            item["slot"] = slot or item["slot"]
            item["place"] = place or item["place"]
            return out
    out["unscheduled"].remove(meeting)
    out["assignments"].append({"meeting": meeting, "slot": slot, "place": place})
    return out


def test_the_solver_schedule_is_valid_and_claims_its_true_objective(case):
    problem, schedule = case
    assert check_schedule(problem, schedule) == []
    assert schedule["objective"]["meetings"] == 4  # p1 at its maximum of 2


def where(schedule, meeting):
    return next((a["slot"], a["place"]) for a in schedule["assignments"] if a["meeting"] == meeting)


def a_physical_one(schedule):
    return next(a["meeting"] for a in schedule["assignments"] if a["meeting"] != "m1" and a["place"].startswith("t"))


@pytest.mark.parametrize("mutate, message", [
    (lambda s: broken(s, "m1", slot="s2"), 'meeting "m1" is locked in s1/t1 but scheduled in s2/t1'),
    (lambda s: broken(s, "m4", place="t2"), 'meeting "m4" is virtual but place "t2" is physical'),
    (lambda s: broken(s, a_physical_one(s), place="v1"), 'is physical but place "v1" is virtual'),
    (lambda s: broken(s, "m3", slot="s3"), 'participant "p3" is not available in slot "s3"'),
    (lambda s: {**s, "unscheduled": s["unscheduled"][1:]}, "is neither scheduled nor unscheduled"),
    (lambda s: {**s, "assignments": s["assignments"] + s["assignments"][:1]}, "is scheduled twice"),
    (lambda s: {**s, "assignments": s["assignments"] + [{"meeting": "m9", "slot": "s1", "place": "t1"}]},
     'meeting "m9" is not in the event'),
    (lambda s: broken(s, a_physical_one(s), slot="s9"), 'slot "s9" is not in the event'),
    (lambda s: {**s, "objective": {**s["objective"], "idle_minutes": -1}}, 'objective "idle_minutes" is -1'),
    (lambda s: {**s, "upper_bound": 1}, "upper_bound 1 is below the weight"),
    (lambda s: {"assignments": "none"}, 'needs the lists "assignments" and "unscheduled"'),
])
def test_injected_violations_are_caught(case, mutate, message):
    problem, schedule = case
    errors = check_schedule(problem, mutate(copy.deepcopy(schedule)))
    assert any(message in e for e in errors), errors


def test_double_booking_capacity_and_maximum_are_caught(case):
    problem, schedule = case
    slot_of_m1 = where(schedule, "m1")[0]
    double = copy.deepcopy(schedule)
    for item in double["assignments"]:
        if item["meeting"] != "m1" and "p1" in problem.meeting(item["meeting"]).participants:
            item["slot"] = slot_of_m1
    assert any('participant "p1" is in meetings' in e and "at once" in e for e in check_schedule(problem, double))
    crowded = copy.deepcopy(schedule)
    for item in crowded["assignments"]:
        if item["meeting"] != "m1" and item["place"].startswith("t"):
            item["slot"], item["place"] = slot_of_m1, "t1"
    assert any('place "t1" holds' in e and "more than its capacity 1" in e for e in check_schedule(problem, crowded))
    busy = copy.deepcopy(schedule)
    busy["assignments"] = [a for a in busy["assignments"] if a["meeting"] not in ("m2", "m5")]
    busy["unscheduled"] = [m for m in busy["unscheduled"] if m not in ("m2", "m5")]
    busy["assignments"] += [{"meeting": "m2", "slot": "s2", "place": "t1"}, {"meeting": "m5", "slot": "s3", "place": "t1"}]
    busy.pop("objective")
    assert any('participant "p1" has 3 meetings, more than its max_meetings 2' in e for e in check_schedule(problem, busy))


def test_a_locked_meeting_left_out_is_caught(case):
    problem, schedule = case
    out = copy.deepcopy(schedule)
    out["assignments"] = [a for a in out["assignments"] if a["meeting"] != "m1"]
    out["unscheduled"].append("m1")
    assert any('meeting "m1" is locked but unscheduled' in e for e in check_schedule(problem, out))


@pytest.mark.parametrize("seed", [1, 2])
def test_random_events_with_locks_groups_and_virtual_meetings_are_valid(seed):
    document = random_event(40, 150, 8, 8, virtual_share=0.2, group_share=0.1, priority_share=0.2, seed=seed)
    first = solve(document, 1, method="heuristic")
    for item in first["assignments"][::7]:  # lock a few meetings where a first run put them
        meeting = next(m for m in document["meetings"] if m["id"] == item["meeting"])
        meeting["locked"] = {"slot": item["slot"], "place": item["place"]}
    schedule = solve(document, 1)
    assert check_schedule(parse_problem(document), schedule) == []
    assert schedule["objective"]["weight"] >= first["objective"]["weight"] * 0.97
