"""Reciprocal recommendations between two sets of profiles ("whom should I meet").

A match is good only when both sides want it (Pizzato et al. 2010, "RECON: a reciprocal
recommender for online dating", RecSys). How much profile a_i wants b_j is how well b_j's
offers answer a_i's needs, s_ij = cos(needs(a_i), offers(b_j)); how much b_j wants a_i is
t_ji = cos(needs(b_j), offers(a_i)). Each side's scores are turned into preferences by rank
among that side's candidates (the share of candidates it prefers less, 1 for its first
choice), so that a profile with generally high cosines does not crowd the others out, and the
two preferences are combined by their harmonic mean, which is high only when both are:

    r_ij = 2 p_ij q_ji / (p_ij + q_ji),

p_ij = preference of a_i for b_j among all b, q_ji = preference of b_j for a_i among all a.
Without needs, a profile is taken to want what resembles it (needs = offers).
"""

from __future__ import annotations

import numpy as np


def _unit_rows(matrix: np.ndarray, name: str) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be a matrix (profiles x dimensions), not shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def rank_preference(scores: np.ndarray) -> np.ndarray:
    """Row-wise preference in [0, 1]: the share of the other columns ranked below (ties share).

    >>> rank_preference(np.array([[0.9, 0.1, 0.5]])).tolist()
    [[1.0, 0.0, 0.5]]
    """
    scores = np.asarray(scores, dtype=np.float64)
    n = scores.shape[1]
    if n == 1:
        return np.ones_like(scores)
    below = (scores[:, None, :] < scores[:, :, None]).sum(axis=2)
    ties = (scores[:, None, :] == scores[:, :, None]).sum(axis=2) - 1
    return (below + 0.5 * ties) / (n - 1)


def reciprocal_scores(a_vectors: np.ndarray, b_vectors: np.ndarray, a_needs: np.ndarray | None = None,
                      b_needs: np.ndarray | None = None) -> np.ndarray:
    """(len(a), len(b)) reciprocal scores in [0, 1]: harmonic mean of a's preference for b and
    b's preference for a. ``*_vectors`` describe what each profile offers, ``*_needs`` what it
    looks for (default: its offers).

    >>> a = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> b = np.array([[1.0, 0.1], [0.1, 1.0], [0.7, 0.7]])
    >>> reciprocal_scores(a, b).round(2).tolist()
    [[1.0, 0.0, 0.5], [0.0, 1.0, 0.5]]
    """
    a_offers, b_offers = _unit_rows(a_vectors, "a_vectors"), _unit_rows(b_vectors, "b_vectors")
    a_wants = a_offers if a_needs is None else _unit_rows(a_needs, "a_needs")
    b_wants = b_offers if b_needs is None else _unit_rows(b_needs, "b_needs")
    if a_wants.shape != a_offers.shape or b_wants.shape != b_offers.shape or a_offers.shape[1] != b_offers.shape[1]:
        raise ValueError("offers and needs must be matrices of the same shape, with one dimension on both sides")
    if not len(a_offers) or not len(b_offers):
        return np.zeros((len(a_offers), len(b_offers)))
    a_for_b = rank_preference(a_wants @ b_offers.T)
    b_for_a = rank_preference(b_wants @ a_offers.T).T
    total = a_for_b + b_for_a
    return np.divide(2 * a_for_b * b_for_a, total, out=np.zeros_like(total), where=total > 0)


def top_pairs(scores: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
    """For each row, the ``k`` columns with the highest score, best first: (column, score).

    >>> top_pairs(np.array([[0.2, 0.9, 0.5]]), 2)
    [[(1, 0.9), (2, 0.5)]]
    """
    scores = np.asarray(scores)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [[(int(j), float(scores[i, j])) for j in row] for i, row in enumerate(order)]
