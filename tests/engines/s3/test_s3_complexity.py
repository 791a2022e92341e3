"""The matrix engines against py-ecomplexity on real panels, on both eigen paths, dense and sparse."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from conftest import TOY, golden, make_golden

from ris3hub.engines.s3 import (S3InputError, coi_cog, complexity_measures, density, eci_pci, log_supermodularity,
                                panel_from_long, presence, proximity, rca)
from ris3hub.engines.s3 import complexity as complexity_module
from ris3hub.engines.s3.complexity import DisconnectedWarning


def measures_table(panel, sparse):
    rows = []
    for t in panel.times:
        year = panel.year(t)
        m = complexity_measures(sp.csr_array(year.X) if sparse else year.X)
        L, P = len(year.locs), len(year.prods)
        rows.append(pd.DataFrame({
            "time": t, "loc": np.repeat(year.locs.to_numpy(), P), "prod": np.tile(year.prods.to_numpy(), L),
            "eci": np.repeat(m.eci, P), "coi": np.repeat(m.coi, P), "pci": np.tile(m.pci, L),
            "density": np.asarray(m.density).ravel(), "cog": np.asarray(m.cog).ravel(),
            "rca": (m.rca.toarray() if sp.issparse(m.rca) else m.rca).ravel()}))
    return pd.concat(rows)


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("name, cols, years", [
    ("eurito", make_golden.EURITO_COLS, make_golden.EURITO_GOLDEN_YEARS),
    ("h2020", make_golden.H2020_COLS, None),
])
def test_engines_give_ecomplexitys_values_on_real_panels(request, name, cols, years, sparse):
    data = request.getfixturevalue(f"{name}_panel")
    if years:
        data = data[data[cols["time"]].isin(years)]
    panel = panel_from_long(data, cols["time"], cols["loc"], cols["prod"], cols["val"])
    ours = measures_table(panel, sparse)
    ref = golden(f"{name}-ecomplexity").rename(columns={cols[k]: k for k in ("time", "loc", "prod")})
    merged = ref.merge(ours, on=["time", "loc", "prod"], suffixes=("_ref", ""))
    assert len(merged) == len(ours) == len(ref)
    for column in ("eci", "pci", "density", "coi", "cog", "rca"):
        assert np.abs(merged[column] - merged[column + "_ref"]).max() < 1e-8, column


def test_matrix_free_eigen_path_agrees_with_the_explicit_one(eurito_panel, monkeypatch):
    panel = panel_from_long(eurito_panel, "year", "region", "topic", "count")
    M = presence(rca(panel.year(2020).X))
    explicit = eci_pci(M)
    monkeypatch.setattr(complexity_module, "DENSE_EIGEN_MAX", 10)
    matrix_free = eci_pci(sp.csr_array(M))
    assert np.abs(explicit[0] - matrix_free[0]).max() < 1e-10
    assert np.abs(explicit[1] - matrix_free[1]).max() < 1e-10


def test_eci_is_the_mean_pci_of_a_regions_domains():
    M = presence(rca(TOY))
    eci, pci = eci_pci(M)
    assert eci == pytest.approx((M @ pci) / M.sum(axis=1))
    assert eci.mean() == pytest.approx(0) and eci.std() == pytest.approx(1)
    assert np.corrcoef(eci, M.sum(axis=1))[0, 1] > 0


def test_a_disconnected_network_is_warned_about():
    M = np.array([[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]], dtype=float)
    with pytest.warns(DisconnectedWarning, match="disconnected"):
        eci_pci(M)


def test_coi_cog_need_consistent_shapes():
    M = presence(rca(TOY))
    with pytest.raises(S3InputError, match="4 domains"):
        coi_cog(M, proximity(M), [0.1, 0.2])


def test_sparse_and_dense_density_agree():
    M = presence(rca(TOY))
    assert np.allclose(density(sp.csr_array(M), proximity(sp.csr_array(M))), density(M, proximity(M)))


def test_log_supermodularity_counts_every_quadruple_when_few():
    X = np.random.default_rng(0).gamma(1.0, 5.0, (6, 5))
    eci, pci = np.arange(6.0), np.arange(5.0)
    # brute force over c' above c (by ECI) and p' above p (by PCI)
    hits = total = 0
    for c1 in range(6):
        for c in range(6):
            for p1 in range(5):
                for p in range(5):
                    if eci[c1] > eci[c] and pci[p1] > pci[p]:
                        total += 1
                        hits += X[c1, p1] / X[c1, p] > X[c, p1] / X[c, p]
    assert log_supermodularity(X, eci, pci) == pytest.approx(hits / total)
    sampled = log_supermodularity(X, eci, pci, samples=50, rng=1)
    assert 0 <= sampled <= 1


def test_complexity_measures_say_which_regions_have_no_presence():
    with pytest.raises(S3InputError, match="no RCA of 3.0 or more"):
        complexity_measures(TOY, threshold=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        complexity_measures(TOY)


def test_a_wide_sparse_panel_gives_the_dense_measures():
    """Past 2 * PRODUCT_BLOCK domains the sparse x dense product goes by blocks of columns: same values."""
    from ris3hub.engines.s3.complexity import PRODUCT_BLOCK, _sparse_times_dense

    rng = np.random.default_rng(3)
    X = rng.poisson(0.4, (80, 2 * PRODUCT_BLOCK + 77)).astype(float)
    X[:, X.sum(axis=0) == 0] = 1.0
    S = sp.csr_array(X)
    D = rng.random((X.shape[1], X.shape[1]))
    assert np.array_equal(_sparse_times_dense(S, D), S @ D)
    dense_m, sparse_m = complexity_measures(X), complexity_measures(S)
    for name in ("eci", "pci", "density", "coi", "cog"):
        assert np.abs(np.asarray(getattr(sparse_m, name)) - np.asarray(getattr(dense_m, name))).max() < 1e-10, name
