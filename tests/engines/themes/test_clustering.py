"""The clustering engine on toy vectors: blobs it must find, with or without the number of themes."""

import numpy as np
import pytest

from ris3hub.engines.themes.clustering import cluster, dissolve_small, theme_range


def blobs(sizes, dim=24, spread=0.15, seed=3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dim))
    rows, labels = [], []
    for k, size in enumerate(sizes):
        rows.append(centres[k] + spread * rng.normal(size=(size, dim)) * np.linalg.norm(centres[k]) / np.sqrt(dim))
        labels += [k] * size
    return np.vstack(rows), np.array(labels)


def same_partition(a, b) -> bool:
    pairs_a = a[:, None] == a[None, :]
    pairs_b = b[:, None] == b[None, :]
    return bool((pairs_a == pairs_b).all())


@pytest.mark.parametrize("sizes", [(12, 10, 9, 8, 7, 6), (20, 15, 12, 10, 9, 8, 7, 6, 5)])
def test_separated_blobs_are_found_with_their_number_chosen(sizes):
    vectors, truth = blobs(sizes)
    labels = cluster(vectors)
    assert len(set(labels)) == len(sizes)
    assert same_partition(labels, truth)


def test_a_given_number_of_themes_is_respected_and_themes_are_numbered_by_size():
    vectors, truth = blobs((15, 9, 6))
    labels = cluster(vectors, 3)
    assert same_partition(labels, truth)
    assert np.bincount(labels).tolist() == [15, 9, 6]
    assert len(set(cluster(vectors, 5))) == 5


def test_the_same_vectors_give_the_same_themes():
    vectors, _ = blobs((10, 10, 10, 10, 10, 10), spread=0.6)
    assert cluster(vectors).tolist() == cluster(vectors).tolist()


def test_tiny_inputs():
    assert cluster(np.zeros((0, 4))).tolist() == []
    assert cluster(np.eye(2)).tolist() == [0, 0]
    assert cluster(np.eye(5)).tolist() == [0] * 5  # too few answers to choose themes
    assert cluster(np.eye(5), 5).tolist() == list(range(5))
    with pytest.raises(ValueError, match="at least 1"):
        cluster(np.eye(4), 0)


def test_theme_range_grows_with_the_answers():
    assert theme_range(9) == (3, 3)
    assert theme_range(40) == (4, 13)
    assert theme_range(104) == (6, 15)


def test_small_clusters_join_the_nearest_large_one():
    vectors = np.array([[1.0, 0.0], [0.95, 0.05], [0.0, 1.0], [0.05, 0.95], [0.7, 0.3]])
    assert dissolve_small(vectors, np.array([0, 0, 1, 1, 2]), 2).tolist() == [0, 0, 1, 1, 0]
    assert dissolve_small(vectors, np.array([0, 0, 1, 1, 2]), 1).tolist() == [0, 0, 1, 1, 2]
