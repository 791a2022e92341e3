"""Late requests are fitted around the meetings already announced."""

import pytest

from ris3hub.engines.scheduling.generate import random_event
from ris3hub.engines.scheduling.model import ProblemError, parse_problem
from ris3hub.engines.scheduling.solve import solve
from ris3hub.engines.scheduling.verify import check_schedule


def placed(schedule):
    return {a["meeting"]: (a["slot"], a["place"]) for a in schedule["assignments"]}


def test_confirmed_meetings_keep_slot_and_place_and_late_requests_fit_around(make_event):
    document = make_event(n_slots=3, tables=2, people=5, meetings=[[1, 2], [3, 4], [1, 3]])
    before = solve(document, 5)
    for meeting in document["meetings"]:
        meeting["confirmed"] = True
    document["meetings"] += [{"id": "m4", "participants": ["p2", "p5"]}, {"id": "m5", "participants": ["p4", "p5"]}]
    after = solve(document, 5, previous=before)
    now = placed(after)
    assert all(now[m] == where for m, where in placed(before).items())
    assert {"m4", "m5"} <= now.keys() and after["moved"] == []
    assert check_schedule(parse_problem(document), after) == []


def test_unconfirmed_meetings_move_only_to_make_room(make_event):
    document = make_event(n_slots=2, tables=1, people=4, meetings=[[1, 2]])
    before = {"assignments": [{"meeting": "m1", "slot": "s1", "place": "t1"}], "unscheduled": []}
    document["participants"][2]["available"] = ["s1"]
    document["meetings"].append({"id": "m2", "participants": ["p3", "p4"]})  # fits only in s1
    after = solve(document, 5, previous=before)
    assert placed(after) == {"m2": ("s1", "t1"), "m1": ("s2", "t1")} and after["moved"] == ["m1"]
    quiet = solve(make_event(n_slots=2, tables=1, people=4, meetings=[[1, 2], [3, 4]]), 5, previous=before)
    assert placed(quiet)["m1"] == ("s1", "t1") and quiet["moved"] == [] and quiet["proven_optimal"]


def test_freeze_keeps_every_earlier_meeting(make_event):
    document = make_event(n_slots=2, tables=1, people=4, meetings=[[1, 2], [3, 4]])
    document["participants"][2]["available"] = ["s1"]
    before = {"assignments": [{"meeting": "m1", "slot": "s1", "place": "t1"}], "unscheduled": ["m2"]}
    after = solve(document, 5, previous=before, freeze=True)
    assert placed(after) == {"m1": ("s1", "t1")} and after["unscheduled"] == ["m2"]


def test_a_confirmed_meeting_that_can_no_longer_stay_is_an_error_naming_it(make_event):
    document = make_event(n_slots=2, tables=1, people=3, meetings=[{"participants": ["p1", "p2"], "confirmed": True}])
    before = {"assignments": [{"meeting": "m1", "slot": "s1", "place": "t1"}], "unscheduled": []}
    document["participants"][1]["available"] = ["s2"]  # p2 withdrew from s1
    with pytest.raises(ProblemError) as caught:
        solve(document, 5, previous=before)
    assert caught.value.errors == ['meetings[0] "m1" (confirmed): locked in slot "s1", when participant "p2" is not available']


def test_a_malformed_previous_schedule_names_the_entry(make_event):
    document = make_event(n_slots=1, meetings=[[1, 2]])
    with pytest.raises(ProblemError) as caught:
        solve(document, 5, previous={"assignments": [{"meeting": "m1", "slot": "s7", "place": "t1"}]})
    assert caught.value.errors == ['previous schedule: assignments[0]: slot "s7" is not in the event any more']


def test_cancelled_meetings_of_the_earlier_schedule_are_dropped(make_event):
    before = {"assignments": [{"meeting": "m1", "slot": "s1", "place": "t1"},
                              {"meeting": "gone", "slot": "s1", "place": "t2"}], "unscheduled": []}
    after = solve(make_event(n_slots=1, tables=2, meetings=[[1, 2]]), 5, previous=before)
    assert placed(after) == {"m1": ("s1", "t1")}


def test_incremental_on_a_random_event_keeps_all_confirmed():
    document = random_event(60, 250, 8, 12, seed=5)
    first = solve(document, 3, method="heuristic")
    kept = {a["meeting"] for a in first["assignments"][::2]}
    for meeting in document["meetings"]:
        meeting["confirmed"] = meeting["id"] in kept
    late = random_event(60, 40, 8, 12, seed=6)["meetings"]
    document["meetings"] += [{**m, "id": f"late-{m['id']}"} for m in late]
    after = solve(document, 3, method="heuristic", previous=first)
    now = placed(after)
    assert all(now[m] == where for m, where in placed(first).items() if m in kept)
    assert check_schedule(parse_problem(document), after) == []
