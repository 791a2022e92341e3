"""Specialisation of regions and concentration of domains.

Every function takes a region x domain matrix X of counts or amounts (numpy array or
scipy.sparse; rows: regions, columns: domains). The examples use this toy matrix::

    X = [[4, 2, 0, 2],      # region 0
         [0, 2, 6, 0],      # region 1
         [4, 0, 2, 2]]      # region 2

Values are returned unrounded and unscaled (shares, not percentages): EconGeo multiplies
some of them by 100 and rounds them; templates and exports do that here.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .validation import S3InputError, check_matrix, check_vector, dense


def _sums(X) -> tuple[np.ndarray, np.ndarray, float]:
    rows = np.asarray(X.sum(axis=1)).ravel()
    cols = np.asarray(X.sum(axis=0)).ravel()
    return rows, cols, cols.sum()


def rca(X):
    """Revealed comparative advantage (Balassa index, location quotient) of each region in each domain.

    RCA_cp = (x_cp / sum_p x_cp) / (sum_c x_cp / sum_cp x_cp)

    The share of domain p in region c's activity over the share of p in all activity; above 1
    the region is relatively specialised in p. Computed with the same floating-point steps
    as py-ecomplexity's ComplexityData.calculate_rca, so that the thresholded presence agrees
    exactly. A sparse X gives a sparse result (zero stays zero).

    Balassa, B. (1965) Trade liberalisation and "revealed" comparative advantage,
    The Manchester School 33: 99-123. EconGeo: rca(), location_quotient().

    >>> X = [[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]
    >>> rca(X).tolist()
    [[1.5, 1.5, 0.0, 1.5], [0.0, 1.5, 2.25, 0.0], [1.5, 0.0, 0.75, 1.5]]
    """
    X = check_matrix(X)
    rows, cols, total = _sums(X)
    den = cols / total
    if sp.issparse(X):
        out = X.tocoo()
        out.data = out.data / rows[out.row] / den[out.col]
        return out.tocsr()
    return X / rows[:, None] / den[None, :]


#: The location quotient is the RCA under the name regional science uses (EconGeo: location_quotient).
location_quotient = rca


def presence(values, threshold: float = 1.0):
    """Binary presence M_cp = 1 where values_cp >= threshold, else 0 (float 0.0 / 1.0).

    Pass `rca(X)` for the usual RCA-based presence (py-ecomplexity's mcp with presence_test
    "rca" and rca_mcp_threshold, EconGeo's rca(mat, binary = TRUE)); pass counts to mark any
    activity at all (threshold 1). Sparse in, sparse out.

    Hidalgo, C.A. and Hausmann, R. (2009) The building blocks of economic complexity, PNAS 106:
    10570-10575.

    >>> presence(rca([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]])).tolist()
    [[1.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0]]
    """
    values = check_matrix(values, "values", empty_rows=True, empty_cols=True, nonnegative=False)
    if sp.issparse(values):
        if threshold <= 0:
            raise S3InputError(f"a sparse matrix keeps zeros absent, so the threshold must be above 0, not {threshold}")
        out = values.copy()
        out.data = (out.data >= threshold).astype(np.float64)
        out.eliminate_zeros()
        return out
    return (values >= threshold).astype(np.float64)


def herfindahl(X) -> np.ndarray:
    """Herfindahl(-Hirschman) index of each region: the sum of squared domain shares.

    H_c = sum_p (x_cp / sum_p' x_cp')^2, from 1/D (evenly spread) to 1 (one domain).

    Herfindahl, O.C. (1959) Copper costs and prices: 1870-1957; Hirschman, A.O. (1945)
    National power and the structure of foreign trade. EconGeo: herfindahl().

    >>> herfindahl([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]).tolist()
    [0.375, 0.625, 0.375]
    """
    X = check_matrix(X, empty_cols=True)
    rows = np.asarray(X.sum(axis=1)).ravel()
    squares = X.multiply(X) if sp.issparse(X) else X * X
    return np.asarray(squares.sum(axis=1)).ravel() / rows**2


def krugman(X) -> np.ndarray:
    """Krugman specialisation index of each region: distance of its domain shares from all regions'.

    K_c = sum_p | x_cp / sum_p' x_cp' - sum_c' x_c'p / sum_c'p' x_c'p' |, from 0 (same mix as
    the whole) to 2.

    Krugman, P. (1991) Geography and trade, MIT Press. EconGeo: krugman_index().

    >>> krugman([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]).round(6).tolist()
    [0.666667, 1.0, 0.5]
    """
    X = check_matrix(X, empty_cols=True)
    rows, cols, total = _sums(X)
    shares = dense(X) / rows[:, None]
    return np.abs(shares - cols[None, :] / total).sum(axis=1)


def entropy(X, base: float = 2.0) -> np.ndarray:
    """Shannon entropy of each region's domain shares (its variety).

    E_c = - sum_p s_cp log(s_cp), s_cp = x_cp / sum_p' x_cp', with 0 log 0 = 0 (base 2 by default).

    Shannon, C.E. and Weaver, W. (1949) The mathematical theory of communication; Frenken, K.,
    Van Oort, F. and Verburg, T. (2007) Related variety, unrelated variety and regional economic
    growth, Regional Studies 41(5): 685-697. EconGeo's entropy() adds 1e-9 inside the log and
    rounds to 3 decimals; this is the exact value.

    >>> entropy([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]).round(6).tolist()
    [1.5, 0.811278, 1.5]
    """
    X = check_matrix(X, empty_cols=True)
    rows = np.asarray(X.sum(axis=1)).ravel()
    if sp.issparse(X):
        coo = X.tocoo()
        s = coo.data / rows[coo.row]
        terms = np.zeros_like(s)
        terms[s > 0] = s[s > 0] * np.log(s[s > 0])
        return -np.bincount(coo.row, weights=terms, minlength=X.shape[0]) / np.log(base)
    s = X / rows[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s > 0, s * np.log(s), 0.0)
    return -terms.sum(axis=1) / np.log(base)


def related_unrelated_variety(X, groups, base: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Related and unrelated variety of each region (entropy decomposition), as (related, unrelated).

    With domain shares s_cp and group shares P_cg = sum_{p in g} s_cp:
    unrelated variety UV_c = - sum_g P_cg log P_cg (entropy between groups);
    related variety RV_c = sum_g P_cg H_cg, H_cg = - sum_{p in g} (s_cp / P_cg) log(s_cp / P_cg)
    (entropy within groups, weighted). RV_c + UV_c = entropy(X)_c.

    `groups` gives each domain's group (any labels, one per column of X), e.g. the 2-digit
    class of a 4-digit code.

    Frenken, K., Van Oort, F. and Verburg, T. (2007) Related variety, unrelated variety and
    regional economic growth, Regional Studies 41(5): 685-697.

    >>> related, unrelated = related_unrelated_variety([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]],
    ...                                                ["a", "a", "b", "b"])
    >>> related.round(6).tolist(), unrelated.round(6).tolist()
    ([0.688722, 0.0, 0.5], [0.811278, 0.811278, 1.0])
    """
    X = check_matrix(X, empty_cols=True)
    groups = np.asarray(groups)
    if groups.ndim != 1 or groups.shape[0] != X.shape[1]:
        raise S3InputError(f"groups must give one group per domain ({X.shape[1]}), got shape {groups.shape}")
    _, codes = np.unique(groups, return_inverse=True)
    G = sp.csr_array((np.ones(len(codes)), (np.arange(len(codes)), codes)))
    rows = np.asarray(X.sum(axis=1)).ravel()
    S = dense(X) / rows[:, None]
    P = np.asarray(S @ G)
    with np.errstate(divide="ignore", invalid="ignore"):
        unrelated = -np.where(P > 0, P * np.log(P), 0.0).sum(axis=1)
        P_of_domain = P[:, codes]
        within = np.where(S > 0, S * np.log(S / P_of_domain), 0.0)
    related = 0.0 - within.sum(axis=1)
    return related / np.log(base), unrelated / np.log(base)


def gini(X):
    """Gini coefficient of each domain's distribution across regions (a column of X), or of a vector.

    With the n values of a domain sorted increasingly x_(1) <= ... <= x_(n):
    G = 2 sum_i i x_(i) / (n sum_i x_i) - (n + 1) / n; 0 when all regions have the same amount,
    (n - 1) / n when one region has everything.

    Gini, C. (1921) Measurement of inequality of incomes, The Economic Journal 31: 124-126.
    EconGeo: gini() (the same value through the Lorenz curve).

    >>> gini([0, 10, 10, 30, 50])
    0.48
    >>> gini([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]).round(6).tolist()
    [0.333333, 0.333333, 0.5, 0.333333]
    """
    vector = np.ndim(X) == 1 and not sp.issparse(X)
    X = check_matrix(np.asarray(X)[:, None] if vector else X, empty_rows=True)
    values = np.sort(dense(X), axis=0)
    n = values.shape[0]
    ranks = np.arange(1, n + 1)[:, None]
    g = 2 * (ranks * values).sum(axis=0) / (n * values.sum(axis=0)) - (n + 1) / n
    return float(g[0]) if vector else g


def locational_gini(X) -> np.ndarray:
    """Locational Gini coefficient of each domain: how unevenly it is spread compared with all activity.

    Regions are ordered by x_cp / s_c (s_c: region c's share of all activity); with cumulated
    domain shares F_i and cumulated region shares S_i along that order,
    LG_p = (sum_i F_(i+1) S_i - sum_i F_i S_(i+1)) / 2: 0 when the domain is spread like
    activity as a whole, towards 0.5 when it is concentrated.

    Krugman, P. (1991) Geography and trade, MIT Press, p. 56. EconGeo: locational_gini().

    >>> locational_gini([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]).round(6).tolist()
    [0.166667, 0.166667, 0.25, 0.166667]
    """
    X = dense(check_matrix(X, empty_rows=True))
    rows = X.sum(axis=1)
    pop = rows / rows.sum()
    order = np.argsort(X / pop[:, None], axis=0, kind="stable")
    ind = np.take_along_axis(X, order, axis=0)
    cind = np.cumsum(ind, axis=0) / ind.sum(axis=0)
    cpop = np.cumsum(pop[order], axis=0)
    cpop = cpop / cpop[-1]
    return ((cind[1:] * cpop[:-1]).sum(axis=0) - (cind[:-1] * cpop[1:]).sum(axis=0)) / 2


def hoover(X, pop=None):
    """Hoover index of each domain (column of X), or of a vector: the share that would have to move.

    H_p = 1/2 sum_c | x_cp / sum_c' x_c'p - pop_c / sum_c' pop_c' |, from 0 (spread like the
    reference) to 1; the reference `pop` (one value per region) defaults to equal shares.

    Hoover, E.M. (1936) The measurement of industrial localization, The Review of Economics and
    Statistics 18(1): 162-171. EconGeo: hoover_index() (which multiplies by 100).

    >>> hoover([0, 10, 10, 30, 50], pop=[10, 15, 20, 25, 30])
    0.25
    >>> hoover([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]).round(6).tolist()
    [0.333333, 0.333333, 0.416667, 0.333333]
    """
    vector = np.ndim(X) == 1 and not sp.issparse(X)
    X = dense(check_matrix(np.asarray(X)[:, None] if vector else X, empty_rows=True))
    if pop is None:
        ref = np.full(X.shape[0], 1.0 / X.shape[0])
    else:
        ref = check_vector(pop, X.shape[0], "pop", "region")
        if (ref < 0).any() or ref.sum() <= 0:
            raise S3InputError("pop must be zero or more for every region, with a positive total")
        ref = ref / ref.sum()
    h = 0.5 * np.abs(X / X.sum(axis=0) - ref[:, None]).sum(axis=0)
    return float(h[0]) if vector else h
