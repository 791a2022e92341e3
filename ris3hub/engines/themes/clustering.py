"""Answers into themes: a consensus of average-linkage clusterings on random halves of the vector
dimensions, the number of themes chosen by the largest gap in the consensus dendrogram.

1. Average linkage (UPGMA) on cosine distance, cut at every k of a range, on each of ``rounds``
   random halves of the dimensions (random subspaces): short answers sit close to several themes,
   and one tree decides each of those by a hair.
2. The co-association of two answers is the share of those partitions that put them together;
   average linkage on 1 - co-association gives the consensus tree ("evidence accumulation", Fred
   and Jain, 2005, "Combining multiple clusterings using evidence accumulation", IEEE TPAMI 27(6)).
3. The number of themes, when not given, is the k in [``min_themes``, ``max_themes``] whose
   clusters live longest in the consensus tree: the largest h(n - k) - h(n - k - 1), h(i) the
   height of the i-th merge (their "lifetime" criterion). The range grows with the number of
   answers: at least round(sqrt(n / 3)) themes, capped at 6, at most 15 and n / 3.
4. Themes smaller than 2 answers (2% of them in a large consultation) join the nearest theme.

On tests/engines/themes/eval/answers.csv (104 answers, 9 themes) this scores an adjusted Rand index
of 0.54 with the number of themes chosen (9 chosen), against 0.48 for one average-linkage tree
(benchmarks/themes_quality.py). The seed is fixed: the same answers give the same themes.

A corpus larger than ``MAX_HIERARCHICAL`` answers is clustered on an evenly spaced sample of that
size; every answer then joins the theme of the nearest centroid.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

MAX_THEMES = 15
MIN_THEMES_CAP = 6
MAX_HIERARCHICAL = 1500
SUBSPACE_SHARE = 0.5
SEED = 0


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def theme_range(n: int) -> tuple[int, int]:
    """The fewest and the most themes a choice considers for ``n`` answers.

    >>> theme_range(104), theme_range(30), theme_range(1000), theme_range(5)
    ((6, 15), (3, 10), (6, 15), (1, 1))
    """
    most = min(MAX_THEMES, n // 3)
    fewest = min(MIN_THEMES_CAP, max(3, round(math.sqrt(n / 3))))
    return (min(fewest, most), most) if most > 1 else (1, 1)


def lifetime_choice(heights: np.ndarray, n: int, min_themes: int, max_themes: int) -> int:
    """The number of clusters k in [min_themes, max_themes] with the largest gap between the merge
    that leaves k clusters and the one that leaves k - 1 (``heights`` ascending, n - 1 merges).

    >>> lifetime_choice(np.array([0.1, 0.1, 0.2, 0.9, 1.0]), 6, 2, 4)
    3
    """
    best_k, best_gap = min_themes, -np.inf
    for k in range(min_themes, max_themes + 1):
        gap = heights[n - k] - heights[n - k - 1]
        if gap > best_gap:
            best_k, best_gap = k, gap
    return best_k


def dissolve_small(vectors: np.ndarray, labels: np.ndarray, min_size: int) -> np.ndarray:
    """Members of clusters with fewer than ``min_size`` rows moved to the nearest larger cluster
    (cosine to its centroid). Labels of the kept clusters do not change.

    >>> v = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9], [0.8, 0.3]])
    >>> dissolve_small(v, np.array([0, 0, 1, 1, 2]), 2).tolist()
    [0, 0, 1, 1, 0]
    """
    labels = labels.copy()
    ids, counts = np.unique(labels, return_counts=True)
    large = ids[counts >= min_size]
    if len(large) == 0 or len(large) == len(ids):
        return labels
    centroids = _unit(np.stack([vectors[labels == c].mean(axis=0) for c in large]))
    small = ~np.isin(labels, large)
    labels[small] = large[np.argmax(_unit(vectors[small]) @ centroids.T, axis=1)]
    return labels


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1, 0 the largest cluster (ties: the one whose first member comes first).

    >>> relabel_by_size(np.array([5, 2, 2, 7, 7, 7])).tolist()
    [2, 1, 1, 0, 0, 0]
    """
    ids, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], first[i]))
    mapping = {ids[i]: rank for rank, i in enumerate(order)}
    return np.array([mapping[label] for label in labels], dtype=np.int64)


def _cosine_distances(unit_rows: np.ndarray) -> np.ndarray:
    """Condensed cosine distances of unit rows; a zero row is at distance 1 from every row."""
    distance = np.clip(1.0 - unit_rows @ unit_rows.T, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    return squareform(distance, checks=False)


def co_association(vectors: np.ndarray, ks: range, rounds: int, seed: int = SEED) -> np.ndarray:
    """Share of the partitions (``rounds`` random subspaces x each k of ``ks``) that put each pair
    of rows in one cluster: (n, n), 1 on the diagonal.

    >>> v = np.random.default_rng(1).normal(size=(6, 8))
    >>> c = co_association(v, range(2, 4), rounds=3)
    >>> bool((c == c.T).all()), np.diag(c).tolist(), bool(((c >= 0) & (c <= 1)).all())
    (True, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], True)
    """
    n, dims = vectors.shape
    rng = np.random.default_rng(seed)
    together = np.zeros((n, n))
    partitions = 0
    kept = max(1, round(SUBSPACE_SHARE * dims)) if dims > 2 else dims
    for _ in range(rounds):
        columns = np.sort(rng.choice(dims, kept, replace=False))
        merges = linkage(_cosine_distances(_unit(vectors[:, columns])), method="average")
        for k in ks:
            labels = fcluster(merges, k, criterion="maxclust")
            together += labels[:, None] == labels[None, :]
            partitions += 1
    return together / partitions


def cluster(vectors: np.ndarray, n_themes: int | None = None, *, min_size: int | None = None) -> np.ndarray:
    """Theme of each row of ``vectors`` (0 the largest theme), ``n_themes`` of them or chosen.

    ``min_size`` defaults to 2 answers, or 2% of them in a large consultation; it applies to a
    chosen number of themes only.
    """
    vectors = _unit(np.asarray(vectors, dtype=np.float64))
    n = len(vectors)
    if n_themes is not None and n_themes < 1:
        raise ValueError(f"the number of themes must be at least 1, not {n_themes}")
    if n <= 2 or n_themes == 1:
        return np.zeros(n, dtype=np.int64)
    if n > MAX_HIERARCHICAL:
        sample = np.linspace(0, n - 1, MAX_HIERARCHICAL).round().astype(int)
        sample_labels = cluster(vectors[sample], n_themes, min_size=min_size)
        centroids = _unit(np.stack([vectors[sample][sample_labels == c].mean(axis=0)
                                    for c in range(sample_labels.max() + 1)]))
        return relabel_by_size(np.argmax(vectors @ centroids.T, axis=1))
    if n_themes is None:
        fewest, most = theme_range(n)
        if most <= 1:
            return np.zeros(n, dtype=np.int64)
        ks = range(fewest, most + 1)
    else:
        n_themes = min(n_themes, n)
        ks = range(max(2, n_themes - 2), min(n, n_themes + 2) + 1)
    rounds = 50 if n <= 600 else 20
    distance = 1.0 - co_association(vectors, ks, rounds)
    np.fill_diagonal(distance, 0.0)
    merges = linkage(squareform(distance, checks=False), method="average")
    if n_themes is None:
        heights = np.maximum.accumulate(merges[:, 2])
        k = lifetime_choice(heights, n, fewest, most)
        labels = fcluster(merges, k, criterion="maxclust")
        labels = dissolve_small(vectors, labels, min_size or max(2, round(0.02 * n)))
    else:
        labels = fcluster(merges, n_themes, criterion="maxclust")
    return relabel_by_size(labels)
