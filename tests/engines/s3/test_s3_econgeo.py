"""EconGeo's formulas on hand-computed toy matrices (and on literal transliterations of its R code)."""

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import TOY
from scipy.stats import rankdata

from ris3hub.engines.s3 import (co_occurrence, entries, entropy, exits, gini, growth, herfindahl, hoover, kci_tci,
                                krugman, locational_gini, presence, rca, reflections, related_unrelated_variety,
                                relatedness, relatedness_density)

# Hidalgo and Hausmann (2009), Fig. S4, EconGeo's example network: C1 makes P1-P4, C2 P2, C3 P3-P4, C4 P4.
HH = np.array([[1, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=float)


def test_rca_is_the_location_quotient():
    # row sums 8, 8, 8; column shares 1/3, 1/6, 1/3, 1/6
    assert rca(TOY).tolist() == [[1.5, 1.5, 0, 1.5], [0, 1.5, 2.25, 0], [1.5, 0, 0.75, 1.5]]
    assert presence(rca(TOY)).tolist() == [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    assert np.array_equal(rca(sp.csr_array(TOY)).toarray(), rca(TOY))


def test_concentration_and_specialisation_indices():
    assert herfindahl(TOY) == pytest.approx([0.25 + 2 * 0.0625, 0.0625 + 0.5625, 0.375])
    assert krugman(TOY) == pytest.approx([1 / 6 + 1 / 12 + 1 / 3 + 1 / 12, 1 / 3 + 1 / 12 + 5 / 12 + 1 / 6, 0.5])
    assert entropy(TOY) == pytest.approx([1.5, -(0.25 * np.log2(0.25) + 0.75 * np.log2(0.75)), 1.5])
    related, unrelated = related_unrelated_variety(TOY, ["a", "a", "b", "b"])
    assert related + unrelated == pytest.approx(entropy(TOY))
    assert gini([0, 10, 10, 30, 50]) == pytest.approx(0.48)  # EconGeo's example
    assert hoover([0, 10, 10, 30, 50], [10, 15, 20, 25, 30]) == pytest.approx(0.25)  # EconGeo: 25 (x 100)


def econgeo_locational_gini(mat):
    """EconGeo's R locational_gini(), line by line."""
    out = []
    for col in range(mat.shape[1]):
        pop = mat.sum(axis=1) / mat.sum()
        ind = mat[:, col]
        o = np.argsort(ind / pop, kind="stable")
        ind, pop = ind[o], pop[o]
        cind, cpop = np.cumsum(ind) / np.cumsum(ind).max(), np.cumsum(pop) / np.cumsum(pop).max()
        out.append((np.sum(cind[1:] * cpop[:-1]) - np.sum(cind[:-1] * cpop[1:])) / 2)
    return np.array(out)


def test_locational_gini_on_econgeos_example():
    mat = np.array([[100, 0, 0, 0, 0], [0, 15, 5, 70, 10], [0, 20, 10, 20, 50], [0, 25, 30, 5, 40],
                    [0, 40, 55, 5, 0]], dtype=float)
    values = locational_gini(mat)
    assert values[0] == pytest.approx(0.4)  # all of I1 in one of five equal regions: (n - 1) / (2n)
    assert values == pytest.approx(econgeo_locational_gini(mat))


def test_co_occurrence_and_the_four_relatedness_normalisations():
    C = co_occurrence(HH)
    assert C.tolist() == [[0, 1, 1, 1], [1, 0, 1, 1], [1, 1, 0, 2], [1, 1, 2, 0]]  # s = 3, 3, 4, 4; T = 14
    assert co_occurrence(HH, diagonal=True).diagonal().tolist() == [1, 2, 2, 3]
    expected = {
        "association": {(0, 1): 14 / 9, (0, 2): 14 / 12, (2, 3): 2 * 14 / 16},
        "cosine": {(0, 1): 1 / 3, (0, 2): 1 / np.sqrt(12), (2, 3): 0.5},
        "jaccard": {(0, 1): 1 / 5, (0, 2): 1 / 6, (2, 3): 1 / 3},
        "prob": {(0, 1): 1 / ((3 / 14 * 3 / 11) * 2 * 7), (0, 2): 1 / ((4 / 14 * 3 / 10 + 3 / 14 * 4 / 11) * 7),
                 (2, 3): 2 / ((4 / 14 * 4 / 10) * 2 * 7)},
    }
    for method, cells in expected.items():
        r = relatedness(C, method)
        assert np.allclose(r, r.T) and (np.diag(r) == 0).all()
        for (i, j), value in cells.items():
            assert r[i, j] == pytest.approx(value), (method, i, j)
        assert np.allclose(relatedness(sp.csr_array(C), method).toarray(), r)


def test_relatedness_density_is_the_related_share_held():
    rel = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    M = presence(rca(TOY))
    # region 0 holds domains 0, 1, 3: around domain 2 it holds 1 and 3 of its two related domains
    assert relatedness_density(M, rel)[0].tolist() == [1.0, 0.5, 1.0, 0.0]


def econgeo_morc_mort(mat, steps):
    """EconGeo's R morc() and mort(), line by line (rescaling to 0-100 from the third step)."""
    def rescale(x):
        return (x - x.min()) / (x.max() - x.min()) * 100
    div, ubi = mat.sum(axis=1), mat.sum(axis=0)
    city, tech = None, None
    for i in range(1, steps + 1):
        if i == 1:
            city, tech = (mat * ubi).sum(axis=1) / div, (mat * div[:, None]).sum(axis=0) / ubi
        elif i == 2:
            city, tech = (mat * tech).sum(axis=1) / div, (mat * city[:, None]).sum(axis=0) / ubi
        else:
            city, tech = rescale((mat * tech).sum(axis=1) / div), rescale((mat * city[:, None]).sum(axis=0) / ubi)
    return city, tech


def test_method_of_reflections():
    kc, kp = reflections(HH, 1)
    assert kc.tolist() == [2.0, 2.0, 2.5, 3.0]  # mean ubiquity of each country's products
    assert kp.tolist() == pytest.approx([4.0, 2.5, 3.0, 7 / 3])  # mean diversity of each product's countries
    kc, kp = reflections(HH, 2)
    assert kc.tolist() == pytest.approx([(4 + 2.5 + 3 + 7 / 3) / 4, 2.5, (3 + 7 / 3) / 2, 7 / 3])
    assert kp.tolist() == pytest.approx([2.0, 2.0, 2.25, 2.5])
    for steps in (3, 8, 20):
        city, tech = econgeo_morc_mort(HH, steps)
        kc, kp = reflections(HH, steps)
        scaled = [(v - v.min()) / (v.max() - v.min()) * 100 for v in (kc, kp)]
        assert scaled[0] == pytest.approx(city) and scaled[1] == pytest.approx(tech)


def econgeo_kci_tci(mat):
    """EconGeo's R kci() and tci(), without their rounding of the projections to 4 decimals."""
    def second(A):
        values, vectors = np.linalg.eig(A)
        return np.real(vectors[:, np.argsort(-np.real(values))[1]])
    rs, cs = mat / mat.sum(axis=1)[:, None], mat.T / mat.sum(axis=0)[:, None]
    v = second(rs @ cs)
    kci = v / v.sum()
    if np.corrcoef(kci, econgeo_morc_mort(mat, 20)[0])[0, 1] < 0:
        kci = -kci
    v = second(cs @ rs)
    tci = v / v.sum()
    if np.corrcoef(rankdata(tci), rankdata(mat.sum(axis=0)))[0, 1] > 0:
        tci = -tci
    return kci, tci


@pytest.mark.parametrize("M", [presence(rca(TOY)), np.array([[1, 1, 1, 0, 1], [1, 0, 1, 1, 0], [0, 1, 1, 0, 0],
                                                              [1, 1, 0, 0, 1], [0, 0, 1, 1, 1]], dtype=float)])
def test_kci_tci_as_econgeo(M):
    kci, tci = kci_tci(M)
    ref_kci, ref_tci = econgeo_kci_tci(M)
    assert kci == pytest.approx(ref_kci, abs=1e-10) and tci == pytest.approx(ref_tci, abs=1e-10)
    assert abs(kci.sum()) == pytest.approx(1.0) and abs(tci.sum()) == pytest.approx(1.0)  # v / sum(v), signed


def test_entries_exits_growth_as_econgeo():
    M0 = presence(rca(TOY))
    M1 = M0.copy()
    M1[2, 1], M1[1, 2] = 1, 0  # region 2 enters domain 1, region 1 leaves domain 2
    e, x = entries(M0, M1), exits(M0, M1)
    assert np.isnan(e[M0 == 1]).all() and np.isnan(x[M0 == 0]).all()
    assert np.nansum(e) == 1 and e[2, 1] == 1 and np.nansum(x) == 1 and x[1, 2] == 1
    g = growth([[4, 0, 2]], [[6, 0, 0]])
    assert g.tolist() == [[0.5, 0.0, -1.0]]
