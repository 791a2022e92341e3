"""A medium random event (300 participants, 1,500 meetings) is solved in seconds near its bound."""

from ris3hub.engines.scheduling.generate import random_event
from ris3hub.engines.scheduling.model import parse_problem
from ris3hub.engines.scheduling.solve import solve
from ris3hub.engines.scheduling.verify import check_schedule


def test_medium_event_within_one_percent_of_the_upper_bound():
    document = random_event(300, 1500, 16, 60, seed=7)
    schedule = solve(document, 6)
    assert check_schedule(parse_problem(document), schedule) == []
    assert schedule["objective"]["weight"] >= 0.99 * schedule["upper_bound"], schedule["objective"]
    assert schedule["upper_bound"] <= schedule["bounds"]["capacity"]
