"""Idle time: the CP-SAT model counts it as the objective does, its bound is said, the heuristic lowers it."""

import random
import time

import pytest
from ortools.sat.python import cp_model

from ris3hub.engines.scheduling.assignment import Assignment
from ris3hub.engines.scheduling.exact import ExactModel
from ris3hub.engines.scheduling.generate import random_event
from ris3hub.engines.scheduling.heuristic import exchange_idle, greedy, raise_weight
from ris3hub.engines.scheduling.instance import build_instance, objective_of
from ris3hub.engines.scheduling.model import parse_problem
from ris3hub.engines.scheduling.solve import solve


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_model_idle_time_of_a_fixed_schedule_is_its_idle_time(seed):
    document = random_event(30, 120, 16, 6, seed=seed)
    document["slots"][8:] = [dict(s, id=f"d{k}", start="2026-03-03" + s["start"][10:], end="2026-03-03" + s["end"][10:])
                             for k, s in enumerate(document["slots"][8:])]  # a second day
    for person in document["participants"]:
        if "available" in person:
            person["available"] = [f"d{int(s[1:]) - 9}" if int(s[1:]) > 8 else s for s in person["available"]]
    ins = build_instance(parse_problem(document))
    state = greedy(ins)
    raise_weight(state, time.perf_counter() + 0.5, 10 ** 9, random.Random(seed))
    slot_of = list(state.slot_of)
    built = ExactModel(ins)
    for (m, s), var in built.x.items():
        built.model.add(var == int(slot_of[m] == s))
    built.model.minimize(built.idle)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert solver.objective_value == objective_of(ins, slot_of).idle_seconds > 0


def test_the_idle_lower_bound_is_the_idle_time_when_proven(make_event):
    people = [{"id": "p1"}, {"id": "p2", "available": ["s1"]}, {"id": "p3", "available": ["s3"]}]
    forced = solve(make_event(n_slots=3, tables=1, people=people, meetings=[[1, 2], [1, 3]]), 5)
    assert forced["proven"]["idle"] and forced["idle_lower_bound_minutes"] == 20


def test_an_unproven_idle_time_is_said_with_a_valid_lower_bound():
    schedule = solve(random_event(60, 300, 16, 12, seed=4), 4)
    assert 0 <= schedule["idle_lower_bound_minutes"] <= schedule["objective"]["idle_minutes"]
    assert schedule["proven_optimal"] == all(schedule["proven"].values())
    if not schedule["proven"]["idle"]:
        assert not schedule["proven_optimal"] and not schedule["proven"]["without_meeting"]


def test_the_heuristic_trades_a_meeting_for_one_that_closes_a_gap(make_event):
    people = [{"id": "p1", "max_meetings": 2}, {"id": "p2", "available": ["s1"]}, {"id": "p3", "available": ["s3"]},
              {"id": "p4", "available": ["s2"]}]
    ins = build_instance(parse_problem(make_event(n_slots=3, tables=1, people=people, meetings=[[1, 2], [1, 3], [1, 4]])))
    state = Assignment(ins)
    state.place(0, 0)
    state.place(1, 2)
    assert state.idle_of(0) == 1200
    assert exchange_idle(state, time.perf_counter() + 5) == 1200
    assert state.weight == 2 and state.idle_of(0) == 0 and state.slot_of[2] == 1
