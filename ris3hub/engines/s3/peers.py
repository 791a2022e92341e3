"""Peer regions: the most similar specialisation profiles, and regions lagging in GDP per head.

The example matrix is the toy region x domain matrix of the other modules.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .specialisation import rca
from .validation import S3InputError, dense

#: EU cohesion policy 2021-2027 (Regulation (EU) 2021/1060, art. 108): GDP per head in PPS against the EU-27 average.
COHESION_CATEGORIES = ((0.75, "less developed"), (1.0, "transition"), (np.inf, "more developed"))


def similar_regions(X, k: int = 5, regions=None) -> pd.DataFrame:
    """The k regions with the most similar specialisation profile to each region.

    Similarity of regions c and d: the cosine of their RCA vectors,
    s_cd = sum_p RCA_cp RCA_dp / (||RCA_c|| ||RCA_d||), from 0 (no shared specialisation) to 1
    (the same profile). Returns one row per (region, peer): region, peer, similarity, rank
    (1 = most similar), ties broken by row order. Sparse X stays sparse until the
    region x region similarity.

    Hidalgo, C.A. et al. (2007) Science 317: 482-487 (similarity of export profiles);
    Balland, P.A. et al. (2019) Regional Studies 53(9) (peer comparisons of S3 profiles).

    >>> X = [[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]
    >>> print(similar_regions(X, k=1, regions=["A", "B", "C"]).round(3).to_string(index=False))
    region peer  similarity  rank
         A    C        0.77     1
         B    A        0.32     1
         C    A        0.77     1
    """
    R = rca(X)
    n = R.shape[0]
    if not 1 <= k < n:
        raise S3InputError(f"k must be between 1 and the number of regions minus one ({n - 1}), not {k}")
    labels = np.arange(n) if regions is None else np.asarray(regions)
    if labels.shape != (n,):
        raise S3InputError(f"regions must name the {n} rows of X, got {labels.shape[0]} labels")
    norms = np.sqrt(np.asarray((R.multiply(R) if sp.issparse(R) else R * R).sum(axis=1)).ravel())
    S = dense(R @ R.T) / np.outer(norms, norms)
    np.fill_diagonal(S, -np.inf)
    order = np.argsort(-S, axis=1, kind="stable")[:, :k]
    return pd.DataFrame({"region": np.repeat(labels, k), "peer": labels[order].ravel(),
                         "similarity": np.take_along_axis(S, order, axis=1).ravel(),
                         "rank": np.tile(np.arange(1, k + 1), n)})


def lagging_regions(gdp_pps_per_head: Mapping | pd.Series, eu_average: float, lagging_below: float = 0.75
                    ) -> pd.DataFrame:
    """Regions' GDP per head in PPS against the EU average, their cohesion category, and a lagging flag.

    ratio = GDP per head (PPS) / EU average; category: "less developed" below 0.75,
    "transition" from 0.75 to 1, "more developed" from 1 (EU cohesion policy 2021-2027);
    lagging: ratio below `lagging_below` (default 0.75, the less developed regions; the
    Commission's "Competitiveness in low-income and low-growth regions" (2017) also uses 0.5).
    Regions without a value are listed with an empty ratio and category.

    >>> print(lagging_regions({"ITF3": 19000, "ITC4": 38000, "ITI4": 30000}, 34000).round(3).to_string(index=False))
    region  gdp_pps_per_head  ratio       category  lagging
      ITF3           19000.0  0.559 less developed     True
      ITC4           38000.0  1.118 more developed    False
      ITI4           30000.0  0.882     transition    False
    """
    if not np.isfinite(eu_average) or eu_average <= 0:
        raise S3InputError(f"the EU average GDP per head must be a positive number, not {eu_average!r}")
    values = pd.Series(gdp_pps_per_head, dtype="float64")
    if (values < 0).any():
        raise S3InputError(f"negative GDP per head for {', '.join(map(str, values.index[values < 0][:5]))}")
    ratio = values / eu_average
    bounds = [b for b, _ in COHESION_CATEGORIES]
    names = np.array([name for _, name in COHESION_CATEGORIES], dtype=object)
    category = np.where(ratio.isna(), None, names[np.searchsorted(bounds, ratio.fillna(0).to_numpy(), side="right")])
    return pd.DataFrame({"region": values.index, "gdp_pps_per_head": values.to_numpy(), "ratio": ratio.to_numpy(),
                         "category": category, "lagging": (ratio < lagging_below).to_numpy()})
