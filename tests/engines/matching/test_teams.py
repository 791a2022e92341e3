import itertools
import random

import pytest

from ris3hub.engines.matching.teams import (
    Candidate,
    _objective,
    form_teams,
    in_regions,
    split_competences,
)

COMPETENCES = ["battery recycling", "hydrogen storage", "life cycle assessment", "power electronics"]


def _pool(n, seed=0, competences=COMPETENCES):
    rng = random.Random(seed)
    return [Candidate(f"o{i}", {c: round(rng.random(), 2) for c in rng.sample(competences, 2)},
                      cluster=f"k{i % 5}", region=rng.choice(["ITH55", "ITH56", "ITC41", "DE21"]))
            for i in range(n)]


def test_exact_teams_cover_everything_within_size_and_show_who_covers_what():
    teams = form_teams(COMPETENCES, _pool(30), teams=2, time_limit=20)
    assert len(teams) == 2 and teams[0].members != teams[1].members
    best = teams[0]
    assert 2 <= len(best.members) <= 5 and not best.uncovered
    assert best.method.startswith("exact")
    assert [c.competence for c in best.coverage] == COMPETENCES
    assert all(c.member in best.members and c.score >= 0.5 for c in best.coverage)
    assert teams[0].objective >= teams[1].objective


def test_exact_matches_brute_force_on_a_small_pool():
    pool = _pool(9, seed=4)
    brute = max((_objective(team, COMPETENCES, 0.5, "prefer"), tuple(sorted(m.id for m in team)))
                for size in range(2, 6) for team in itertools.combinations(pool, size))
    best = form_teams(COMPETENCES, pool, teams=1, time_limit=20)[0]
    assert best.method == "exact"
    assert best.objective == pytest.approx(brute[0])


def test_required_diversity_and_regions():
    pool = _pool(40, seed=2)
    team = form_teams(COMPETENCES, pool, diversity="require", teams=1, time_limit=20)[0]
    clusters = [next(c.cluster for c in pool if c.id == m) for m in team.members]
    assert len(clusters) == len(set(clusters))
    in_italy = form_teams(COMPETENCES, pool, regions=["ITH"], teams=1, time_limit=20)[0]
    assert all(next(c.region for c in pool if c.id == m).startswith("ITH") for m in in_italy.members)
    assert in_regions("ITH55", ["ith5"]) and not in_regions("ITC41", ["ITH"])


def test_greedy_on_a_large_pool_covers_and_improves_locally():
    pool = _pool(1500, seed=3)
    teams = form_teams(COMPETENCES, pool, teams=2)
    assert teams and all(t.method == "greedy" for t in teams)
    assert not teams[0].uncovered and 2 <= len(teams[0].members) <= 5
    # about as good as the exact team over the strongest 30 candidates
    strongest = sorted(pool, key=lambda c: -sum(c.coverage.values()))[:30]
    exact = form_teams(COMPETENCES, strongest, teams=1, time_limit=10)[0]
    assert teams[0].objective >= exact.objective - 60


def test_what_nobody_covers_is_reported():
    pool = [Candidate("a", {"x": 0.9}), Candidate("b", {"y": 0.8}), Candidate("c", {"x": 0.6, "y": 0.6})]
    team = form_teams(["x", "y", "z"], pool, teams=1)[0]
    assert team.uncovered == ("z",)
    assert [c.member for c in team.coverage][2] is None


def test_errors_and_empty_pools():
    with pytest.raises(ValueError):
        form_teams([], _pool(5))
    with pytest.raises(ValueError):
        form_teams(COMPETENCES, _pool(5), min_size=4, max_size=3)
    with pytest.raises(ValueError):
        form_teams(COMPETENCES, _pool(5), diversity="always")
    assert form_teams(COMPETENCES, [Candidate("solo", {"battery recycling": 1.0})]) == []


def test_competences_are_split_from_a_challenge():
    assert split_competences(
        "We are looking for partners with skills in predictive maintenance and digital twins.\n"
        "• cold chain logistics\n• food safety testing") == [
        "predictive maintenance", "digital twins", "cold chain logistics",
        "food safety testing"]
    assert split_competences("Servono competenze di agricoltura di precisione, droni e sensori del suolo.") == [
        "agricoltura di precisione", "droni", "sensori del suolo"]
