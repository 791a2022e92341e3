"""Small events whose optimum is known by hand: the scheduler finds it and proves it."""

import pytest

from ris3hub.engines.scheduling.solve import solve


def placed(schedule) -> dict[str, tuple[str, str]]:
    return {a["meeting"]: (a["slot"], a["place"]) for a in schedule["assignments"]}


def test_a_triangle_needs_three_slots(make_event):
    one = solve(make_event(n_slots=1, tables=3, meetings=[[1, 2], [2, 3], [1, 3]]), 5)
    assert one["objective"]["meetings"] == 1 and one["upper_bound"] == 1 and one["proven_optimal"]
    three = solve(make_event(n_slots=3, tables=1, meetings=[[1, 2], [2, 3], [1, 3]]), 5)
    # one participant meets in the first and the last slot: 20 idle minutes cannot be avoided
    assert three["objective"] == {"weight": 3, "meetings": 3, "idle_minutes": 20, "participants_without_meeting": 0}
    assert three["proven_optimal"] and three["gap"] == 0 and three["unscheduled"] == []
    assert {slot for slot, _ in placed(three).values()} == {"s1", "s2", "s3"}


def test_tables_cap_the_meetings_at_once(make_event):
    schedule = solve(make_event(n_slots=1, tables=2, people=8, meetings=[[1, 2], [3, 4], [5, 6], [7, 8]]), 5)
    assert schedule["objective"]["meetings"] == 2 and schedule["upper_bound"] == 2 and schedule["proven_optimal"]
    assert sorted(place for _, place in placed(schedule).values()) == ["t1", "t2"]


def test_virtual_meetings_only_in_virtual_rooms_and_physical_only_at_tables(make_event):
    meetings = [{"participants": ["p1", "p2"], "virtual": True}, {"participants": ["p3", "p4"]}]
    only_tables = solve(make_event(n_slots=2, tables=2, people=4, meetings=meetings), 5)
    assert [place for _, place in placed(only_tables).values()] == ["t1"] and only_tables["unscheduled"] == ["m1"]
    assert only_tables["upper_bound"] == 1 and only_tables["proven"]["weight"]
    hybrid = solve(make_event(n_slots=1, tables=1, rooms=1, people=4, meetings=meetings), 5)
    assert placed(hybrid) == {"m1": ("s1", "v1"), "m2": ("s1", "t1")}


def test_max_meetings_holds(make_event):
    people = [{"id": "p1", "max_meetings": 2}, {"id": "p2"}, {"id": "p3"}, {"id": "p4"}]
    schedule = solve(make_event(n_slots=3, tables=3, people=people, meetings=[[1, 2], [1, 3], [1, 4]]), 5)
    assert schedule["objective"]["meetings"] == 2 and schedule["upper_bound"] == 2 and schedule["proven_optimal"]


def test_group_meetings_and_priorities(make_event):
    meetings = [{"participants": ["p1", "p2", "p3"], "priority": 3}, {"participants": ["p1", "p4"]},
                {"participants": ["p3", "p4"]}]
    schedule = solve(make_event(n_slots=1, tables=2, people=4, meetings=meetings), 5)
    assert placed(schedule).keys() == {"m1"}
    assert schedule["objective"]["weight"] == 3 and schedule["upper_bound"] == 3 and schedule["proven_optimal"]


def test_idle_time_is_the_least_possible(make_event):
    compact = solve(make_event(n_slots=4, tables=2, meetings=[[1, 2], [1, 3]]), 5)
    first, second = sorted(int(slot[1:]) for slot, _ in placed(compact).values())
    assert second == first + 1 and compact["objective"]["idle_minutes"] == 0 and compact["proven_optimal"]
    people = [{"id": "p1"}, {"id": "p2", "available": ["s1"]}, {"id": "p3", "available": ["s3"]}]
    forced = solve(make_event(n_slots=3, tables=1, people=people, meetings=[[1, 2], [1, 3]]), 5)
    assert forced["objective"]["idle_minutes"] == 20 and forced["proven_optimal"]


def test_breaks_and_unavailable_slots_are_not_idle(make_event):
    people = [{"id": "p1", "available": ["s1", "s3"]}, {"id": "p2", "available": ["s1"]}, {"id": "p3", "available": ["s3"]}]
    away = solve(make_event(n_slots=3, tables=1, people=people, meetings=[[1, 2], [1, 3]]), 5)
    assert away["objective"]["meetings"] == 2 and away["objective"]["idle_minutes"] == 0
    document = make_event(n_slots=2, tables=1, people=[{"id": "p1"}, {"id": "p2", "available": ["s1"]},
                                                        {"id": "p3", "available": ["s2"]}], meetings=[[1, 2], [1, 3]])
    document["slots"][1].update(start="2026-03-02T11:00", end="2026-03-02T11:20")  # a break from 09:20 to 11:00
    assert solve(document, 5)["objective"]["idle_minutes"] == 0


def test_fairness_decides_between_equal_schedules(make_event):
    schedule = solve(make_event(n_slots=2, tables=1, people=5, meetings=[[1, 2], [1, 3], [4, 5]]), 5)
    assert "m3" in placed(schedule) and schedule["objective"]["participants_without_meeting"] == 1
    assert schedule["proven_optimal"]


def test_locked_meetings_stay_where_they_are(make_event):
    meetings = [{"participants": ["p1", "p2"], "locked": {"slot": "s2", "place": "t2"}}, {"participants": ["p1", "p3"]},
                {"participants": ["p2", "p3"]}]
    schedule = solve(make_event(n_slots=3, tables=2, meetings=meetings), 5)
    assert placed(schedule)["m1"] == ("s2", "t2") and schedule["objective"]["meetings"] == 3


def test_overlapping_slots_count_as_at_once(make_event):
    document = make_event(n_slots=0, tables=1, people=4, meetings=[[1, 2], [3, 4]])
    document["slots"] = [{"id": "a", "start": "2026-03-02T09:00", "end": "2026-03-02T09:30"},
                         {"id": "b", "start": "2026-03-02T09:20", "end": "2026-03-02T09:40"}]
    document["participants"] = [{"id": "p1", "available": ["a"]}, {"id": "p2", "available": ["a"]},
                                {"id": "p3", "available": ["b"]}, {"id": "p4", "available": ["b"]}]
    one_table = solve(document, 5)  # the one table is taken from 09:20 to 09:30 by both
    assert one_table["objective"]["meetings"] == 1 and one_table["upper_bound"] == 1
    document["participants"] = [{"id": "p1"}, {"id": "p2", "available": ["a"]}, {"id": "p3", "available": ["b"]},
                                {"id": "p4"}]
    document["places"].append({"id": "t2"})
    document["meetings"] = [{"id": "m1", "participants": ["p1", "p2"]}, {"id": "m2", "participants": ["p1", "p3"]}]
    assert solve(document, 5)["objective"]["meetings"] == 1  # p1 cannot be in both


def test_slots_at_the_same_time_share_the_participants(make_event):
    document = make_event(n_slots=1, tables=1, rooms=1, meetings=[[1, 2], {"participants": ["p1", "p3"], "virtual": True}])
    document["slots"].append({**document["slots"][0], "id": "s1-online"})
    schedule = solve(document, 5)
    assert schedule["objective"]["meetings"] == 1 and schedule["proven_optimal"]


@pytest.mark.parametrize("method", ["exact", "heuristic"])
def test_both_methods_give_valid_schedules(make_event, method):
    schedule = solve(make_event(n_slots=3, tables=1, meetings=[[1, 2], [2, 3], [1, 3]]), 5, method=method)
    assert schedule["method"] == {"exact": "heuristic+cp-sat", "heuristic": "heuristic"}[method]
    assert schedule["objective"]["meetings"] == 3


def test_an_event_without_meetings_or_slots(make_event):
    assert solve(make_event(n_slots=0, meetings=[[1, 2]]), 5)["unscheduled"] == ["m1"]
    empty = solve(make_event(meetings=[]), 5)
    assert empty["assignments"] == [] and empty["upper_bound"] == 0 and empty["proven_optimal"]
