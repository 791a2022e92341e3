"""Upper bounds are valid (never below an optimum) and the LP one is tight where simple ones are not."""

import time

import numpy as np
import pytest
from scipy.sparse import csc_matrix

from ris3hub.engines.scheduling.bounds import certified_value, combinatorial_bound, lp_bound
from ris3hub.engines.scheduling.exact import solve_exact
from ris3hub.engines.scheduling.generate import random_event
from ris3hub.engines.scheduling.instance import build_instance, objective_of
from ris3hub.engines.scheduling.model import parse_problem
from ris3hub.engines.scheduling.solve import solve


def test_combinatorial_bounds_of_a_hand_made_event(make_event):
    # 4 participants, a square of meetings, 2 slots and 1 table: tables allow 2, participants 4
    instance = build_instance(parse_problem(make_event(n_slots=2, tables=1, people=4,
                                                       meetings=[[1, 2], [2, 3], [3, 4], [4, 1]])))
    bound = combinatorial_bound(instance)
    assert bound.details == {"schedulable": 4, "capacity": 2, "participants_per_point": 2, "participant_loads": 4}
    assert bound.value == 2 and bound.method == "capacity"


def test_the_lp_bound_sees_what_counting_misses(make_event):
    # p1 is wanted by three people who are all only there in s1: one meeting, where counts allow 2
    people = [{"id": "p1"}] + [{"id": f"p{k}", "available": ["s1"]} for k in (2, 3, 4)]
    instance = build_instance(parse_problem(make_event(n_slots=3, tables=3, people=people,
                                                       meetings=[[1, 2], [1, 3], [1, 4]])))
    assert combinatorial_bound(instance).value == 2  # 4 participants free in s1
    lp = lp_bound(instance, 5)
    assert lp.value == 1 and lp.method == "lp"


@pytest.mark.parametrize("seed", [11])
def test_bounds_hold_against_proven_optima(seed):
    document = random_event(24, 70, 6, 5, seed=seed, max_meetings_share=0.5)
    instance = build_instance(parse_problem(document))
    exact = solve_exact(instance, list(instance.locked_slot), time.perf_counter() + 3, workers=2)
    assert exact.optimal["weight"]
    optimum = objective_of(instance, exact.slot_of).weight
    assert combinatorial_bound(instance).value >= optimum
    assert lp_bound(instance, 5).value >= optimum
    assert solve(document, 2)["objective"]["weight"] == optimum


def test_any_nonnegative_duals_certify_a_bound():
    instance = build_instance(parse_problem(random_event(24, 70, 6, 5, seed=3)))
    exact_value = lp_bound(instance, 5).details["lp"]
    # duals of the participant rows alone, drawn at random: a looser bound, never below the LP optimum
    rng = np.random.default_rng(0)
    columns = [(m, s) for m in instance.free for s in instance.candidates[m]]
    rows = {}
    for j, (m, s) in enumerate(columns):
        for p in instance.parts[m]:
            rows.setdefault((p, instance.slot_points[s][0]), []).append(j)
    data = [(r, j) for r, js in enumerate(rows.values()) for j in js]
    matrix = csc_matrix((np.ones(len(data)), ([r for r, _ in data], [j for _, j in data])), shape=(len(rows), len(columns)))
    weights = np.array([instance.weight[m] for m, _ in columns], dtype=float)
    for _ in range(5):
        duals = rng.uniform(0, 1, len(rows))
        assert certified_value(matrix, np.ones(len(rows)), weights, np.array([m for m, _ in columns]), duals) >= \
            exact_value - 1e-6
