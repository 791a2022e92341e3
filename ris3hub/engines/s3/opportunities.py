"""Diversification opportunities of a region (Balland, Boschma, Crespo and Rigby 2019).

For one region, the domains it is not yet specialised in (RCA below the threshold), each
placed by the relatedness density of the region around it (ease: how much of what the domain
needs is already there) and by the domain's complexity (benefit: how valuable and hard to
copy it is), in four quadrants split at the mean (or median) of the candidates:

- "ideal": related and complex, low risk and high benefit;
- "stretch": complex but unrelated, high benefit at high risk;
- "safe": related but not complex, low risk and low benefit;
- "weak": neither.

Balland, P.A., Boschma, R., Crespo, J. and Rigby, D.L. (2019) Smart specialization policy in
the European Union: relatedness, knowledge complexity and regional diversification, Regional
Studies 53(9): 1252-1268.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .complexity import eci_pci, kci_tci
from .relatedness import co_occurrence, relatedness, relatedness_density
from .relatedness import proximity as _proximity
from .specialisation import presence, rca
from .validation import S3InputError, check_matrix, check_vector, dense

RELATEDNESS = ("proximity", "prob", "association", "cosine", "jaccard")


def diversification_opportunities(X, region, *, domains=None, regions=None, threshold: float = 1.0,
                                  relatedness_method: str = "prob", complexity="pci", split: str = "mean",
                                  weights=(1.0, 1.0)) -> pd.DataFrame:
    """The domains a region could diversify into, with ease, benefit, quadrant and rank.

    X: region x domain counts (no empty row or column). `region`: the row index, or a label
    of `regions`. `domains`: labels of the columns (default 0..D-1). Relatedness density is
    computed with `relatedness_density` on EconGeo's `relatedness_method` normalisation of the
    domains' co-occurrences across regions (or py-ecomplexity's "proximity"); `complexity` is
    "pci" (py-ecomplexity's normalisation), "tci" (EconGeo's) or a vector, one value per domain.
    `split`: "mean" or "median" of the candidates for the quadrants. The rank orders the
    candidates by weights[0] * z(relatedness density) + weights[1] * z(complexity), highest
    first (z: standardised over the candidates).

    Returns one row per candidate domain: domain, rca, relatedness_density, complexity,
    quadrant, score, rank; sorted by rank.

    >>> X = [[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]
    >>> table = diversification_opportunities(X, 2, domains=["w", "x", "y", "z"], relatedness_method="association")
    >>> print(table.round(3).to_string(index=False))
    domain  rca  relatedness_density  complexity quadrant  score  rank
         x 0.00                  0.4      -0.730    ideal    2.0     1
         y 0.75                  0.0      -2.021     weak   -2.0     2
    """
    X = check_matrix(X)
    row = _row(region, regions, X.shape[0])
    labels = np.arange(X.shape[1]) if domains is None else np.asarray(domains)
    if labels.shape != (X.shape[1],):
        raise S3InputError(f"domains must name the {X.shape[1]} columns of X, got {labels.shape[0]} labels")
    if relatedness_method not in RELATEDNESS:
        raise S3InputError(f"relatedness_method must be one of {', '.join(RELATEDNESS)}, not {relatedness_method!r}")
    if split not in ("mean", "median"):
        raise S3InputError(f"split must be 'mean' or 'median', not {split!r}")
    R = dense(rca(X))
    M = presence(R, threshold)
    if relatedness_method == "proximity":
        phi = _proximity(M)
    else:
        phi = relatedness(co_occurrence(M), relatedness_method)
    density = relatedness_density(M, phi)[row]
    if isinstance(complexity, str):
        if complexity not in ("pci", "tci"):
            raise S3InputError(f"complexity must be 'pci', 'tci' or one value per domain, not {complexity!r}")
        cx = eci_pci(M)[1] if complexity == "pci" else kci_tci(M)[1]
    else:
        cx = check_vector(complexity, X.shape[1], "complexity", "domain")
    candidates = np.flatnonzero(R[row] < threshold)
    table = pd.DataFrame({"domain": labels[candidates], "rca": R[row, candidates],
                          "relatedness_density": density[candidates], "complexity": cx[candidates]})
    if table.empty:
        for name, dtype in (("quadrant", str), ("score", float), ("rank", int)):
            table[name] = pd.Series(dtype=dtype)
        return table
    centre = getattr(np, split)
    high_rel = table["relatedness_density"] >= centre(table["relatedness_density"])
    high_cx = table["complexity"] >= centre(table["complexity"])
    table["quadrant"] = np.select([high_rel & high_cx, ~high_rel & high_cx, high_rel & ~high_cx],
                                  ["ideal", "stretch", "safe"], "weak")  # the four of the module docstring
    table["score"] = weights[0] * _z(table["relatedness_density"]) + weights[1] * _z(table["complexity"])
    table = table.sort_values(["score", "domain"], ascending=[False, True], kind="stable")
    table["rank"] = np.arange(1, len(table) + 1)
    return table.reset_index(drop=True)


def _z(values: pd.Series) -> pd.Series:
    sd = values.std(ddof=0)
    return (values - values.mean()) / sd if sd > 0 else values * 0.0


def _row(region, regions, n) -> int:
    if regions is not None:
        labels = list(regions)
        if len(labels) != n:
            raise S3InputError(f"regions must name the {n} rows of X, got {len(labels)} labels")
        if region not in labels:
            raise S3InputError(f"region {region!r} is not among the regions of X")
        return labels.index(region)
    if not isinstance(region, (int, np.integer)) or not 0 <= region < n:
        raise S3InputError(f"region must be a row index below {n} (or a label, with regions=...), not {region!r}")
    return int(region)
