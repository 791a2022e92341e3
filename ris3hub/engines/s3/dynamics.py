"""Dynamics of specialisation over any number of periods: entries, exits, growth.

EconGeo's entry_list / exit_list / growth_list on aligned matrices of consecutive periods.
The examples use the toy presence matrix and a later period in which region 2 entered
domain 1 and region 1 left domain 2::

    M0 = [[1, 1, 0, 1],        M1 = [[1, 1, 0, 1],
          [0, 1, 1, 0],              [0, 1, 0, 0],
          [1, 0, 0, 1]]              [1, 1, 0, 1]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .panel import Panel
from .specialisation import presence, rca
from .validation import S3InputError, check_matrix, dense


def _pair(A, B, what):
    A = dense(check_matrix(A, f"{what} of the earlier period", empty_rows=True, empty_cols=True))
    B = dense(check_matrix(B, f"{what} of the later period", empty_rows=True, empty_cols=True))
    if A.shape != B.shape:
        raise S3InputError(f"the two periods' matrices must be aligned on the same regions and domains: "
                           f"{A.shape} and {B.shape}")
    return A, B


def entries(M0, M1) -> np.ndarray:
    """Entry of each region into each domain between two periods of presence matrices.

    E_cp = M1_cp where M0_cp = 0 (1: the region became specialised, 0: it did not), undefined
    (NaN) where M0_cp = 1 (already there, not at risk of entering).

    Boschma, R., Balland, P.A. and Kogler, D. (2015) Relatedness and technological change in
    cities, Industrial and Corporate Change 24(1): 223-250. EconGeo: entry_list().

    >>> M0 = [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    >>> M1 = [[1, 1, 0, 1], [0, 1, 0, 0], [1, 1, 0, 1]]
    >>> entries(M0, M1).tolist()
    [[nan, nan, 0.0, nan], [0.0, nan, nan, 0.0], [nan, 1.0, 0.0, nan]]
    """
    M0, M1 = _pair(M0, M1, "presence")
    return np.where(M0 == 1, np.nan, M1)


def exits(M0, M1) -> np.ndarray:
    """Exit of each region from each domain between two periods of presence matrices.

    X_cp = 1 - M1_cp where M0_cp = 1 (1: the region lost its specialisation, 0: it kept it),
    undefined (NaN) where M0_cp = 0 (not there, nothing to leave). EconGeo: exit_list().

    >>> M0 = [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    >>> M1 = [[1, 1, 0, 1], [0, 1, 0, 0], [1, 1, 0, 1]]
    >>> exits(M0, M1).tolist()
    [[0.0, 0.0, nan, 0.0], [nan, 0.0, 1.0, nan], [0.0, nan, nan, 0.0]]
    """
    M0, M1 = _pair(M0, M1, "presence")
    return np.where(M0 == 0, np.nan, 1 - M1)


def growth(X0, X1) -> np.ndarray:
    """Growth of each region's activity in each domain between two periods: (x1 - x0) / x0.

    0 where both are 0 (EconGeo's choice), +inf where activity starts from nothing. A rate,
    not a percentage (EconGeo's growth_list() multiplies by 100).

    >>> growth([[4, 2, 0, 2]], [[5, 1, 0, 3]]).tolist()
    [[0.25, -0.5, 0.0, 0.5]]
    >>> growth([[0]], [[3]]).tolist()
    [[inf]]
    """
    X0, X1 = _pair(X0, X1, "values")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (X1 - X0) / X0
    return np.where((X0 == 0) & (X1 == 0), 0.0, rate)


def entry_exit_growth(panel: Panel, threshold: float = 1.0) -> pd.DataFrame:
    """Entries, exits and growth of every region in every domain between consecutive periods.

    One row per (period, region, domain) from the second period on: `previous` and `period`
    (the two times), region, domain, rca in each period, entry, exit (NaN where not at risk)
    and growth of the values. Presence is RCA >= threshold within each period; a region or
    domain absent from a period has no activity (and no presence) there.

    >>> import pandas as pd
    >>> from ris3hub.engines.s3 import panel_from_long
    >>> long = pd.DataFrame({"year": [2020] * 4 + [2021] * 4, "region": list("AABB") * 2,
    ...                      "field": list("xyxy") * 2, "n": [3, 1, 1, 3, 1, 3, 1, 3]})
    >>> table = entry_exit_growth(panel_from_long(long, "year", "region", "field", "n"))
    >>> print(table[["region", "domain", "rca", "entry", "exit", "growth"]].to_string(index=False))
    region domain  rca  entry  exit    growth
         A      x  1.0    NaN   0.0 -0.666667
         A      y  1.0    1.0   NaN  2.000000
         B      x  1.0    1.0   NaN  0.000000
         B      y  1.0    NaN   0.0  0.000000
    """
    if len(panel.times) < 2:
        raise S3InputError("entries, exits and growth need at least two periods")
    frames = []
    previous_rca, previous_values = None, None
    for i, t in enumerate(panel.times):
        values = dense(panel.matrices[i])
        year = panel.year(t)
        r = np.zeros(values.shape)
        rows, cols = panel.locs.get_indexer(year.locs), panel.prods.get_indexer(year.prods)
        r[np.ix_(rows, cols)] = dense(rca(year.X))
        if previous_rca is not None:
            m0, m1 = dense(presence(previous_rca, threshold)), dense(presence(r, threshold))
            L, P = values.shape
            frames.append(pd.DataFrame({
                "previous": np.full(L * P, panel.times[i - 1]), "period": np.full(L * P, t),
                "region": np.repeat(panel.locs.to_numpy(), P), "domain": np.tile(panel.prods.to_numpy(), L),
                "rca_previous": previous_rca.ravel(), "rca": r.ravel(),
                "entry": entries(m0, m1).ravel(), "exit": exits(m0, m1).ravel(),
                "growth": growth(previous_values, values).ravel(),
            }))
        previous_rca, previous_values = r, values
    return pd.concat(frames, ignore_index=True)
