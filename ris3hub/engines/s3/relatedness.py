"""Relatedness between domains and the relatedness density of regions around each domain.

The examples use the presence matrix of the toy region x domain matrix (see specialisation)::

    M = [[1, 1, 0, 1],
         [0, 1, 1, 0],
         [1, 0, 0, 1]]

Two families: py-ecomplexity's proximity (minimum conditional probability of being present in
both domains, Hidalgo et al. 2007) and its density; EconGeo's co-occurrence normalisations
(van Eck and Waltman 2009) and relatedness density (which EconGeo multiplies by 100; here a
share from 0 to 1).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .validation import S3InputError, check_binary, check_matrix, dense

METHODS = ("prob", "association", "cosine", "jaccard")

#: Up to this many domains a sparse proximity is made dense before a product with it (BLAS is faster).
DENSE_PHI_MAX = 8000


def proximity(M, continuous: bool = False, asymmetric: bool = False):
    """Proximity between every pair of domains, as py-ecomplexity computes it.

    Discrete (default), from a 0/1 presence matrix M with ubiquities k_p = sum_c M_cp:
    phi_pq = sum_c M_cp M_cq / max(k_p, k_q), the minimum of the two conditional probabilities
    of a region having both; with `asymmetric=True`, phi_pq = sum_c M_cp M_cq / k_p, the
    probability of q given p. The diagonal is 1. A sparse M gives a sparse result.

    Continuous (`continuous=True`), from an RCA matrix (pass rca(X) as M):
    phi_pq = (1 + corr(RCA_.p, RCA_.q)) / 2, dense.

    Hidalgo, C.A., Klinger, B., Barabasi, A.-L. and Hausmann, R. (2007) The product space
    conditions the development of nations, Science 317: 482-487. py-ecomplexity:
    calc_discrete_proximity, calc_continuous_proximity.

    >>> M = [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    >>> proximity(M).tolist()
    [[1.0, 0.5, 0.0, 1.0], [0.5, 1.0, 0.5, 0.5], [0.0, 0.5, 1.0, 0.0], [1.0, 0.5, 0.0, 1.0]]
    >>> proximity(M, asymmetric=True)[2].tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    if continuous:
        R = check_matrix(M, "RCA", empty_rows=True)
        if sp.issparse(R):
            return (1 + _column_correlation(R)) / 2
        return (1 + np.corrcoef(R.T)) / 2
    M = check_binary(M, empty_rows=True)
    k = np.asarray(M.sum(axis=0)).ravel()
    if sp.issparse(M):
        C = sp.csr_array(M.T @ M)
        C.sort_indices()
        rows = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
        scale = k[rows] if asymmetric else np.maximum(k[rows], k[C.indices])
        return sp.csr_array((C.data / scale, C.indices, C.indptr), shape=C.shape)
    # co-occurrence counts are whole numbers below 2^24: single precision counts them exactly, twice as fast
    small = M.shape[0] < 2**24
    Mf = M.astype(np.float32) if small else M
    C = (Mf.T @ Mf).astype(np.float64)
    phi = C / k[None, :]
    return phi.T if asymmetric else np.minimum(phi, phi.T)


def density(M, phi) -> np.ndarray:
    """Density of each region around each domain: the proximity-weighted share of related domains it has.

    w_cp = sum_q M_cq phi_pq / sum_q phi_pq (the row sums of phi weigh the proximity of p to
    every q). M is the presence matrix for a discrete proximity, the RCA matrix for a
    continuous one (as py-ecomplexity does). Dense result, regions x domains.

    Hidalgo, C.A., Klinger, B., Barabasi, A.-L. and Hausmann, R. (2007) Science 317: 482-487.
    py-ecomplexity: calc_density.

    >>> M = [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    >>> density(M, proximity(M)).round(6).tolist()
    [[1.0, 0.8, 0.333333, 1.0], [0.2, 0.6, 1.0, 0.2], [0.8, 0.4, 0.0, 0.8]]
    """
    M = check_matrix(M, "M", empty_rows=True, empty_cols=True)
    phi = check_matrix(phi, "phi", empty_rows=True, empty_cols=True, square=True)
    if phi.shape[0] != M.shape[1]:
        raise S3InputError(f"phi is {phi.shape[0]} x {phi.shape[0]} but M has {M.shape[1]} domains")
    den = np.asarray(phi.sum(axis=1)).ravel()
    if sp.issparse(phi) and phi.shape[0] <= DENSE_PHI_MAX:
        phi = phi.toarray()
    # scipy's sparse x dense product is fast on a C-ordered right side only
    weights = np.ascontiguousarray(phi.T) if sp.issparse(M) and not sp.issparse(phi) else phi.T
    with np.errstate(divide="ignore", invalid="ignore"):
        return dense(M @ weights) / den[None, :]


def co_occurrence(M, diagonal: bool = False):
    """Co-occurrences of every pair of domains: how many regions (or events) hold both.

    C_pq = sum_c M_cp M_cq, the diagonal set to 0 unless `diagonal=True`. M has regions (or
    events) in rows and domains in columns; EconGeo's co_occurrence(t(M)). Sparse in, sparse out.

    Boschma, R., Balland, P.A. and Kogler, D. (2015) Relatedness and technological change in
    cities, Industrial and Corporate Change 24(1): 223-250.

    >>> co_occurrence([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]).tolist()
    [[0.0, 1.0, 0.0, 2.0], [1.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.0], [2.0, 1.0, 0.0, 0.0]]
    """
    M = check_matrix(M, "M", empty_rows=True, empty_cols=True)
    C = M.T @ M
    if sp.issparse(C):
        C = C.tocsr()
        if not diagonal:
            C.setdiag(0)
            C.eliminate_zeros()
        return C
    if not diagonal:
        np.fill_diagonal(C, 0)
    return C


def relatedness(cooc, method: str = "prob"):
    """Relatedness of every pair of domains from their co-occurrences, normalised as EconGeo does.

    With c_ij the co-occurrences (diagonal ignored), s_i = sum_j c_ij and T = sum_ij c_ij:

    - "prob" (probability index, Steijn 2017): c_ij / ((s_i/T * s_j/(T - s_i) + s_j/T * s_i/(T - s_j)) * T/2)
    - "association" (association strength): c_ij T / (s_i s_j)
    - "cosine": c_ij / sqrt(s_i s_j)
    - "jaccard": c_ij / (s_i + s_j - c_ij)

    Undefined values (0/0) and the diagonal are 0. Sparse in, sparse out.

    van Eck, N.J. and Waltman, L. (2009) How to normalize cooccurrence data?, JASIST 60(8):
    1635-1651. EconGeo: relatedness().

    >>> C = co_occurrence([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]])
    >>> relatedness(C, "association").round(6)
    array([[0.      , 1.111111, 0.      , 2.222222],
           [1.111111, 0.      , 3.333333, 1.111111],
           [0.      , 3.333333, 0.      , 0.      ],
           [2.222222, 1.111111, 0.      , 0.      ]])
    >>> relatedness(C, "jaccard").round(6).tolist()[0]
    [0.0, 0.2, 0.0, 0.5]
    """
    method = method.lower()
    if method not in METHODS:
        raise S3InputError(f"unknown relatedness method {method!r}: use one of {', '.join(METHODS)}")
    C = check_matrix(cooc, "cooc", empty_rows=True, empty_cols=True, square=True)
    if sp.issparse(C):
        C = C.tocoo()
        keep = C.row != C.col
        rows, cols, c = C.row[keep], C.col[keep], C.data[keep]
        s = np.bincount(cols, weights=c, minlength=C.shape[0])
    else:
        C = C.copy()
        np.fill_diagonal(C, 0)
        s = C.sum(axis=0)
        rows, cols = np.indices(C.shape)
        c = C
    T = c.sum()
    si, sj = s[rows], s[cols]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "prob":
            r = c / ((sj / T * (si / (T - sj)) + si / T * (sj / (T - si))) * (T / 2))
        elif method == "association":
            r = (c / T) / ((sj / T) * (si / T))
        elif method == "cosine":
            r = c / np.sqrt(si * sj)
        else:
            r = c / (sj + si - c)
    r = np.where(np.isfinite(r), r, 0.0)
    if sp.issparse(cooc):
        out = sp.csr_array((r, (rows, cols)), shape=C.shape)
        out.eliminate_zeros()
        return out
    np.fill_diagonal(r, 0)
    return r


def relatedness_density(M, rel) -> np.ndarray:
    """Relatedness density of each region around each domain: the share of related domains it has.

    RD_ci = sum_j M_cj phi_ji / sum_j phi_ji, with phi a domain x domain relatedness (from
    `relatedness`). EconGeo's relatedness_density() is 100 times this (and rounded). A domain
    related to nothing has an undefined density (NaN). Dense result.

    Boschma, R., Balland, P.A. and Kogler, D. (2015) Industrial and Corporate Change 24(1):
    223-250; Balland, P.A. et al. (2019) Smart specialization policy in the European Union,
    Regional Studies 53(9): 1252-1268.

    >>> M = [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    >>> relatedness_density(M, relatedness(co_occurrence(M), "association")).round(6).tolist()
    [[1.0, 0.4, 1.0, 1.0], [0.333333, 0.6, 1.0, 0.333333], [0.666667, 0.4, 0.0, 0.666667]]
    """
    M = check_matrix(M, "M", empty_rows=True, empty_cols=True)
    rel = check_matrix(rel, "rel", empty_rows=True, empty_cols=True, square=True)
    if rel.shape[0] != M.shape[1]:
        raise S3InputError(f"rel is {rel.shape[0]} x {rel.shape[0]} but M has {M.shape[1]} domains")
    num = dense(M @ rel)
    tot = np.asarray(rel.sum(axis=0)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / tot[None, :]


def _column_correlation(R) -> np.ndarray:
    """Pearson correlation between the columns of a sparse matrix, without densifying it."""
    n = R.shape[0]
    mean = np.asarray(R.mean(axis=0)).ravel()
    cov = dense(R.T @ R) / n - np.outer(mean, mean)
    sd = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        return cov / np.outer(sd, sd)
