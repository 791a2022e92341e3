import numpy as np
import pytest

from ris3hub.engines.matching.reciprocal import rank_preference, reciprocal_scores, top_pairs


def test_a_match_wanted_by_one_side_only_scores_low():
    # a0 needs what b0 offers, but b0 needs what a1 offers.
    a_offers = np.array([[1, 0, 0], [0, 0, 1]], dtype=float)
    a_needs = np.array([[0, 1, 0], [0, 1, 0]], dtype=float)
    b_offers = np.array([[0, 1, 0], [1, 0, 0]], dtype=float)
    b_needs = np.array([[0, 0, 1], [1, 0, 0]], dtype=float)
    scores = reciprocal_scores(a_offers, b_offers, a_needs, b_needs)
    assert scores.shape == (2, 2)
    assert scores[1, 0] > scores[0, 0]
    assert np.all((0 <= scores) & (scores <= 1))


def test_the_score_is_the_harmonic_mean_of_both_preferences():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(5, 8)), rng.normal(size=(7, 8))
    scores = reciprocal_scores(a, b)
    unit = lambda m: m / np.linalg.norm(m, axis=1, keepdims=True)
    p = rank_preference(unit(a) @ unit(b).T)
    q = rank_preference(unit(b) @ unit(a).T).T
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.where(p + q > 0, 2 * p * q / (p + q), 0)
    assert np.allclose(scores, expected)


def test_edges_and_errors():
    assert reciprocal_scores(np.zeros((0, 3)), np.ones((2, 3))).shape == (0, 2)
    with pytest.raises(ValueError):
        reciprocal_scores(np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError):
        reciprocal_scores(np.ones(3), np.ones((2, 3)))
    assert top_pairs(np.array([[0.1, 0.3], [0.5, 0.2]]), 1) == [[(1, 0.3)], [(0, 0.5)]]
