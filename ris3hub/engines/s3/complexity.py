"""Economic (knowledge) complexity of regions and domains.

Every function takes a 0/1 presence matrix M (regions x domains, e.g. presence(rca(X))),
numpy or scipy.sparse, with no empty row or column. The examples use::

    M = [[1, 1, 0, 1],
         [0, 1, 1, 0],
         [1, 0, 0, 1]]

The eigenvector methods solve the symmetric form of the smaller of the two projections
(regions x regions or domains x domains) with ARPACK (scipy.sparse.linalg.eigsh), its known
leading eigenvector deflated: on the explicit matrix up to DENSE_EIGEN_MAX rows, matrix-free
above (so a sparse 1,500 x 5,000 panel never forms a dense product).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.stats import rankdata

from .relatedness import DENSE_PHI_MAX
from .relatedness import density as _density
from .relatedness import proximity as _proximity
from .specialisation import presence, rca
from .validation import S3InputError, check_binary, check_matrix, dense

#: Largest projection held as an explicit matrix; above it, ARPACK works on a matrix-free operator.
DENSE_EIGEN_MAX = 3000


class DisconnectedWarning(UserWarning):
    """The region-domain network falls apart: the second eigenvector separates its components."""


def diversity(M) -> np.ndarray:
    """Diversity of each region: the number of domains it is present in.

    k_c,0 = sum_p M_cp. Hidalgo and Hausmann (2009) PNAS 106: 10570-10575. EconGeo: diversity().

    >>> diversity([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]).tolist()
    [3.0, 2.0, 2.0]
    """
    M = check_matrix(M, "M", empty_rows=True, empty_cols=True)
    return np.asarray(M.sum(axis=1)).ravel()


def ubiquity(M) -> np.ndarray:
    """Ubiquity of each domain: the number of regions present in it.

    k_p,0 = sum_c M_cp. Hidalgo and Hausmann (2009) PNAS 106: 10570-10575. EconGeo: ubiquity().

    >>> ubiquity([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]).tolist()
    [2.0, 2.0, 1.0, 2.0]
    """
    M = check_matrix(M, "M", empty_rows=True, empty_cols=True)
    return np.asarray(M.sum(axis=0)).ravel()


def eci_pci(M) -> tuple[np.ndarray, np.ndarray]:
    """Economic complexity of regions (ECI) and domains (PCI), py-ecomplexity's eigenvector method.

    With diversity k_c and ubiquity k_p, the domain projection
    M~_pq = sum_c M_cp M_cq / (k_c k_p) has leading eigenvalue 1; K_p is its eigenvector of
    the second-largest eigenvalue and K_c = sum_p M_cp K_p / k_c (each region's mean over its
    domains). The sign makes corr(K_c, k_c) > 0. Then, as py-ecomplexity (and the Stata
    package) normalise, ECI = (K_c - mean K_c) / sd K_c and PCI = (K_p - mean K_c) / sd K_c,
    standard deviations with ddof = 0, so that a region's ECI is the mean PCI of its domains.

    Hidalgo, C.A. and Hausmann, R. (2009) The building blocks of economic complexity, PNAS
    106: 10570-10575; Hausmann, R. et al. (2014) The atlas of economic complexity, MIT Press.
    py-ecomplexity: calc_eci_pci and its normalisation in ecomplexity().

    >>> eci, pci = eci_pci([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]])
    >>> eci.round(6).tolist(), pci.round(6).tolist()
    ([0.404215, -1.375759, 0.971544], [0.971544, -0.730445, -2.021073, 0.971544])
    """
    M = check_binary(M)
    kc, kp = _degrees(M)
    kp_raw = _second_eigenvector(M, kc, kp)[1]
    kc_raw = np.asarray(M @ kp_raw).ravel() / kc
    s = np.sign(np.corrcoef(kc, kc_raw)[0, 1])
    kc_raw, kp_raw = s * kc_raw, s * kp_raw
    mean, sd = kc_raw.mean(), kc_raw.std()
    return (kc_raw - mean) / sd, (kp_raw - mean) / sd


def kci_tci(M) -> tuple[np.ndarray, np.ndarray]:
    """Knowledge complexity of regions (KCI) and of domains (TCI), EconGeo's eigenvector method.

    KCI: the eigenvector v_c of the second-largest eigenvalue of the region projection
    CC = (M / k_c)(M' / k_p), divided by its sum, signed to correlate positively with the
    method of reflections (20 steps). TCI: the same on the domain projection TT = (M' / k_p)(M / k_c),
    divided by its sum, signed so that its Spearman correlation with ubiquity is not positive.
    EconGeo rounds CC and TT to 4 decimals before the eigen decomposition; this does not, so
    the two agree to about 1e-4.

    Balland, P.A. and Rigby, D. (2017) The geography of complex knowledge, Economic Geography
    93(1): 1-23. EconGeo: kci(), tci().

    >>> kci, tci = kci_tci([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]])
    >>> kci.round(6).tolist(), tci.round(6).tolist()
    ([2.0, -8.274917, 5.274917], [-0.879153, 0.758306, 2.0, -0.879153])
    """
    M = check_binary(M)
    kc, kp = _degrees(M)
    vc, vp = _second_eigenvector(M, kc, kp)
    kci, tci = vc / vc.sum(), vp / vp.sum()
    if np.corrcoef(kci, reflections(M, 20)[0])[0, 1] < 0:
        kci = -kci
    if np.corrcoef(rankdata(tci), rankdata(kp))[0, 1] > 0:
        tci = -tci
    return kci, tci


def reflections(M, n: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Method of reflections: (k_c,n, k_p,n) after n steps.

    k_c,0 = diversity, k_p,0 = ubiquity; k_c,N = sum_p M_cp k_p,N-1 / k_c,0 and
    k_p,N = sum_c M_cp k_c,N-1 / k_p,0. k_c,1 is the mean ubiquity of a region's domains,
    k_c,2 the mean diversity of the regions sharing them. EconGeo's morc()/mort() rescale
    every step beyond the second to 0-100; that is an increasing affine map of these values.

    Hidalgo, C.A. and Hausmann, R. (2009) PNAS 106: 10570-10575. EconGeo: morc(), mort().

    >>> kc, kp = reflections([[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]], 2)
    >>> kc.round(6).tolist(), kp.round(6).tolist()
    ([2.5, 2.25, 2.5], [2.0, 1.75, 1.5, 2.0])
    """
    if n < 0:
        raise S3InputError(f"the number of reflections must be 0 or more, not {n}")
    M = check_binary(M)
    kc0, kp0 = _degrees(M)
    kc, kp = kc0, kp0
    for _ in range(n):
        kc, kp = np.asarray(M @ kp).ravel() / kc0, np.asarray(M.T @ kc).ravel() / kp0
    return kc, kp


def coi_cog(M, phi, pci, density=None) -> tuple[np.ndarray, np.ndarray]:
    """Complexity outlook index of each region (COI) and complexity outlook gain (COG) of each region-domain pair.

    As py-ecomplexity's coicog.py, on the un-normalised PCI K_p:
    COI_c = sum_p d_cp (1 - M_cp) K_p, then z-scored over regions;
    COG_cp = (1 - M_cp) sum_q (1 - M_cq) phi_qp K_q / sum_r phi_qr, divided by sd(K_c).
    d is the density (computed from M and phi unless given, e.g. from RCA for a continuous
    proximity). `pci` is the normalised PCI of `eci_pci`; K_p / sd(K_c) is recovered from it
    exactly as pci minus its ubiquity-weighted mean, because the second eigenvector is
    orthogonal to the ubiquities (the left eigenvector of the leading eigenvalue 1).

    Hausmann, R. et al. (2014) The atlas of economic complexity, MIT Press;
    py-ecomplexity: calc_coi_cog.

    >>> from ris3hub.engines.s3.relatedness import proximity
    >>> M = [[1, 1, 0, 1], [0, 1, 1, 0], [1, 0, 0, 1]]
    >>> coi, cog = coi_cog(M, proximity(M), eci_pci(M)[1])
    >>> coi.round(6).tolist()
    [-1.092986, 1.32369, -0.230704]
    >>> (cog + 0.0).round(6).tolist()
    [[0.0, 0.0, -1.385879, 0.0], [0.731039, 0.0, 0.0, 0.731039], [0.0, -1.008215, -1.543516, 0.0]]
    """
    M = check_binary(M)
    phi = check_matrix(phi, "phi", empty_rows=True, empty_cols=True, square=True)
    kp = np.asarray(M.sum(axis=0)).ravel()
    pci = np.asarray(pci, dtype=np.float64)
    if pci.shape != (M.shape[1],) or phi.shape[0] != M.shape[1]:
        raise S3InputError(f"M has {M.shape[1]} domains but phi is {phi.shape[0]} x {phi.shape[1]} "
                           f"and pci has shape {pci.shape}")
    if sp.issparse(phi) and phi.shape[0] <= DENSE_PHI_MAX:
        phi = phi.toarray()
    d = _density(M, phi) if density is None else np.asarray(density, dtype=np.float64)
    k, q = _outlook_weights(pci, kp, phi)
    return _coi(M, d, k), _gain(M, phi, q, (M.multiply(q[None, :]) if sp.issparse(M) else M * q[None, :]) @ phi)


def _outlook_weights(pci, kp, phi) -> tuple[np.ndarray, np.ndarray]:
    """(K_p / sd(K_c), the same per unit of proximity sum_r phi_pr), K_p recovered from the normalised PCI."""
    k = pci - (kp @ pci) / kp.sum()
    return k, k / np.asarray(phi.sum(axis=1)).ravel()


def _coi(M, d, k) -> np.ndarray:
    """COI: sum_p d_cp (1 - M_cp) K_p, z-scored over regions."""
    if sp.issparse(M):
        present = M.tocoo()
        coi = d @ k - np.bincount(present.row, weights=d[present.row, present.col] * k[present.col],
                                  minlength=M.shape[0])
    else:
        coi = (d * (1.0 - M)) @ k
    return (coi - coi.mean()) / coi.std()


def _gain(M, phi, q, Mq_phi) -> np.ndarray:
    """COG from (M diag(q)) phi: (1 - M) * (q phi - (M diag(q)) phi), in the array of the latter when dense."""
    gain = dense(Mq_phi)
    np.subtract(np.asarray(q @ phi).ravel()[None, :], gain, out=gain)
    if sp.issparse(M):
        present = M.tocoo()
        gain[present.row, present.col] = 0.0
    else:
        gain *= 1.0 - M
    return gain


@dataclass(frozen=True)
class ComplexityMeasures:
    """py-ecomplexity's measures of one period (regions x domains, vectors per region or domain)."""

    rca: object
    mcp: object
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    proximity: object
    density: np.ndarray
    coi: np.ndarray
    cog: np.ndarray


def complexity_measures(X, threshold: float = 1.0, continuous: bool = False) -> ComplexityMeasures:
    """Every measure of py-ecomplexity's ecomplexity() for one period, from its counts X.

    RCA, presence (RCA >= threshold), diversity, ubiquity, ECI, PCI, proximity (discrete, or
    continuous from RCA correlations), density (from presence, or from RCA when continuous),
    COI and COG: the same values as ecomplexity() with presence_test "rca". X must have no
    empty row or column (panel_from_long(..., drop_empty=True) removes them). Sparse X stays
    sparse up to the dense outputs (density, COG, and the proximity up to DENSE_PHI_MAX domains).

    >>> m = complexity_measures([[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]])
    >>> m.eci.round(6).tolist(), m.coi.round(6).tolist()
    ([0.404215, -1.375759, 0.971544], [-1.092986, 1.32369, -0.230704])
    """
    R = rca(X)
    M = presence(R, threshold)
    kc, kp = diversity(M), ubiquity(M)
    for what, k in (("region", kc), ("domain", kp)):
        if (k == 0).any():
            raise S3InputError(f"{int((k == 0).sum())} {what}(s) have no RCA of {threshold} or more, so complexity "
                               "is undefined for them; lower the threshold or leave them out")
    eci, pci = eci_pci(M)
    basis = R if continuous else M
    if sp.issparse(M) and not continuous and M.shape[1] <= DENSE_PHI_MAX:
        # phi_pq = C_pq / max(k_p, k_q) straight into a dense matrix (it is mostly filled anyway)
        phi = dense(M.T @ M)
        if not phi.flags.c_contiguous:  # scipy hands a CSC product back in Fortran order; phi is symmetric
            phi = phi.T
        for start in range(0, len(kp), 512):  # by blocks of rows, to keep temporaries small
            phi[start:start + 512] /= np.maximum(kp[start:start + 512, None], kp[None, :])
    else:
        phi = _proximity(basis, continuous=continuous)
    # phi is symmetric here, so basis @ phi' = basis @ phi: one product gives density and COG.
    phi_product = phi.toarray() if sp.issparse(phi) and phi.shape[0] <= DENSE_PHI_MAX else phi
    k, q = _outlook_weights(pci, kp, phi_product)
    Mq = M.multiply(q[None, :]) if sp.issparse(M) else M * q[None, :]
    if sp.issparse(basis):
        both = _sparse_times_dense(sp.vstack([basis, sp.csr_array(Mq)], format="csr"), phi_product)
    else:
        both = np.vstack([basis, dense(Mq)]) @ phi_product
    both = dense(both)
    L = M.shape[0]
    d = both[:L]
    with np.errstate(divide="ignore", invalid="ignore"):
        d /= np.asarray(phi_product.sum(axis=1)).ravel()[None, :]
    coi, cog = _coi(M, d, k), _gain(M, phi_product, q, both[L:])
    return ComplexityMeasures(R, M, kc, kp, eci, pci, phi, d, coi, cog)


def log_supermodularity(values, eci, pci, samples: int = 20_000, rng=None) -> float:
    """Share of (region, region, domain, domain) quadruples that meet log-supermodularity.

    For regions c' ranked above c by ECI and domains p' ranked above p by PCI, the condition is
    x_c'p' / x_c'p > x_cp' / x_cp (undefined ratios count as 0). A share close to 1 means the
    ranking by ECI and PCI is a faithful ordering of the matrix. Exact when there are at most
    `samples` quadruples, else estimated from `samples` random ones (seeded by `rng`).

    Schetter, U., Diodato, D., Protzer, E., Neffke, F. and Hausmann, R. (2024) A structural
    ranking of economic complexity, Growth Lab working paper. py-ecomplexity:
    get_frac_logsupermodular (which samples regions and domains instead).

    >>> X = [[4, 2, 0, 2], [0, 2, 6, 0], [4, 0, 2, 2]]
    >>> round(log_supermodularity(X, [0.40, -1.38, 0.97], [0.97, -0.73, -2.02, 0.97]), 6)
    0.444444
    """
    X = dense(check_matrix(values, "values", empty_rows=True, empty_cols=True))
    n, k = X.shape
    eci, pci = np.asarray(eci, dtype=np.float64), np.asarray(pci, dtype=np.float64)
    if eci.shape != (n,) or pci.shape != (k,):
        raise S3InputError(f"eci and pci must have one value per region ({n}) and per domain ({k})")
    pairs_c, pairs_p = n * (n - 1) // 2, k * (k - 1) // 2
    if pairs_c == 0 or pairs_p == 0:
        raise S3InputError("log-supermodularity needs at least two regions and two domains")
    if pairs_c * pairs_p <= samples:
        a, c = np.triu_indices(n, 1)
        b, d = np.triu_indices(k, 1)
        a, c = np.repeat(a, pairs_p), np.repeat(c, pairs_p)
        b, d = np.tile(b, pairs_c), np.tile(d, pairs_c)
    else:
        rng = np.random.default_rng(rng)
        a, c = _ordered_pairs(rng, n, samples)
        b, d = _ordered_pairs(rng, k, samples)
    rows = np.argsort(-eci, kind="stable")
    cols = np.argsort(-pci, kind="stable")
    a, c, b, d = rows[a], rows[c], cols[b], cols[d]
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.nan_to_num(X[a, b] / X[a, d], nan=0.0, posinf=0.0, neginf=0.0)
        right = np.nan_to_num(X[c, b] / X[c, d], nan=0.0, posinf=0.0, neginf=0.0)
    return float((left > right).mean())


def _ordered_pairs(rng, n, size):
    first = rng.integers(0, n, size)
    second = rng.integers(0, n - 1, size)
    second = second + (second >= first)
    return np.minimum(first, second), np.maximum(first, second)


#: Columns of the dense factor per block in a sparse x dense product (a block of 5,000 rows, 5 MB, stays in cache).
PRODUCT_BLOCK = 128


def _sparse_times_dense(S, D) -> np.ndarray:
    """S @ D for CSR S and a dense D with many columns, D taken by blocks of columns.

    scipy adds, for every stored value of S, a whole row of D into a row of the result; on a
    wide D those rows come from main memory every time. By blocks of PRODUCT_BLOCK columns
    the block of D stays in cache: about twice as fast, and the same sums in the same order.
    """
    if not isinstance(D, np.ndarray) or D.ndim != 2 or D.shape[1] <= 2 * PRODUCT_BLOCK:
        return dense(S @ D)
    S = sp.csr_array(S)
    out = np.empty((S.shape[0], D.shape[1]), dtype=np.result_type(S.dtype, D.dtype))
    for start in range(0, D.shape[1], PRODUCT_BLOCK):
        block = slice(start, start + PRODUCT_BLOCK)
        out[:, block] = S @ np.ascontiguousarray(D[:, block])
    return out


def _degrees(M):
    return np.asarray(M.sum(axis=1)).ravel(), np.asarray(M.sum(axis=0)).ravel()


def _second_eigenvector(M, kc, kp) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvectors (v_c, v_p) of the second-largest eigenvalue of the region and domain projections.

    Solves the symmetric form S = B B' of the smaller side (B = D_c^-1/2 M D_p^-1/2 or its
    transpose), whose leading eigenvector is known (sqrt of the degrees, eigenvalue 1), and maps
    the result to the other side: v_p = M' v_c / k_p, v_c = M v_p / k_c.
    """
    rc, rp = 1 / np.sqrt(kc), 1 / np.sqrt(kp)
    if sp.issparse(M):
        B = sp.csr_array(M.multiply(rc[:, None]).multiply(rp[None, :]))
    else:
        B = M * rc[:, None] * rp[None, :]
    regions_side = M.shape[0] <= M.shape[1]
    if not regions_side:
        B = B.T.tocsr() if sp.issparse(B) else B.T
    n = B.shape[0]
    lead = np.sqrt(kc if regions_side else kp)
    lead = lead / np.linalg.norm(lead)
    if n < 2:
        raise S3InputError("complexity needs at least two regions and two domains")
    value, u = _largest_deflated(B, lead)
    if value > 1 - 1e-9:
        warnings.warn("the region-domain network is disconnected (eigenvalue 1 is repeated): the second "
                      "eigenvector then separates its components rather than ranking complexity",
                      DisconnectedWarning, stacklevel=3)
    if regions_side:
        vc = u * rc
        vp = np.asarray(M.T @ vc).ravel() / kp
    else:
        vp = u * rp
        vc = np.asarray(M @ vp).ravel() / kc
    return vc, vp


def _largest_deflated(B, lead) -> tuple[float, np.ndarray]:
    """Largest eigenpair of S = B B' once its leading eigenvector `lead` (eigenvalue 1) is taken out.

    ARPACK (Lanczos) on S - lead lead': on the explicit matrix up to DENSE_EIGEN_MAX rows, on a
    matrix-free operator above; dense LAPACK for tiny matrices or if ARPACK does not converge.
    """
    n = B.shape[0]
    if n <= 3:
        return _dense_deflated(B, lead)
    if n <= DENSE_EIGEN_MAX:
        S = dense(B @ B.T)
        S -= np.outer(lead, lead)
        op = S
    else:
        def matvec(x):
            x = np.ravel(x)
            x = x - lead * (lead @ x)
            y = B @ (B.T @ x)
            return y - lead * (lead @ y)

        op = spla.LinearOperator((n, n), matvec=matvec, dtype=np.float64)
    v0 = np.random.default_rng(0).standard_normal(n)
    try:
        values, vectors = spla.eigsh(op, k=1, which="LA", v0=v0, tol=0, maxiter=100 * n)
    except spla.ArpackNoConvergence:
        return _dense_deflated(B, lead)
    return float(values[0]), vectors[:, 0]


def _dense_deflated(B, lead) -> tuple[float, np.ndarray]:
    n = B.shape[0]
    S = dense(B @ B.T) - np.outer(lead, lead)
    values, vectors = scipy.linalg.eigh((S + S.T) / 2, subset_by_index=[n - 1, n - 1])
    return float(values[0]), vectors[:, 0]
