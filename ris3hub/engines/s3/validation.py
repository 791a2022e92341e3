"""Checks shared by every S3 engine: what a region x domain matrix must look like.

Every engine takes a region x domain matrix as a numpy array or a scipy.sparse matrix
(rows: regions, columns: domains) and calls `check_matrix` first, so that bad input fails
with a message that says what to change rather than as a NaN three steps later.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

#: How many offending positions or labels an error message lists before "and N more".
SHOWN = 5


class S3InputError(ValueError):
    """Input an S3 engine cannot use; the message names the problem and how to fix it."""


def listing(items, total: int | None = None, shown: int = SHOWN) -> str:
    """'a, b, c' or 'a, b, c, d, e and 7 more' (of `total`, default len(items)) for error messages."""
    items = [str(i) for i in items]
    total = len(items) if total is None else total
    head = ", ".join(items[:shown])
    return head if total <= shown else f"{head} and {total - shown} more"


def check_matrix(X, name: str = "X", *, empty_rows: bool = False, empty_cols: bool = False,
                 nonnegative: bool = True, square: bool = False):
    """Return X as a float64 numpy array or scipy.sparse CSR array, after checking it.

    Raises S3InputError for: not two-dimensional, NaN or infinite values, negative values
    (unless `nonnegative=False`), rows or columns that are all zero (unless `empty_rows` or
    `empty_cols` allow them),
    a non-square matrix where one is expected.

    >>> check_matrix([[1, 0], [0, 2]]).dtype
    dtype('float64')
    >>> check_matrix([[1, 0], [0, 0]])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ris3hub.engines.s3.validation.S3InputError: X has 1 empty row (all zero): 1; drop it before computing ...
    """
    if sp.issparse(X):
        X = sp.csr_array(X, dtype=np.float64)
        X.sum_duplicates()
        values = X.data
    else:
        X = np.asarray(X, dtype=np.float64)
        values = X
    if X.ndim != 2:
        raise S3InputError(f"{name} must be a two-dimensional region x domain matrix, not {X.ndim}-dimensional")
    if 0 in X.shape:
        raise S3InputError(f"{name} is empty ({X.shape[0]} x {X.shape[1]}): it needs at least one region and "
                           "one domain")
    if square and X.shape[0] != X.shape[1]:
        raise S3InputError(f"{name} must be a square domain x domain matrix, not {X.shape[0]} x {X.shape[1]}")
    # cheap reductions first; the masks that locate a problem are built only when there is one
    bad = ~np.isfinite(values) if values.size and not np.isfinite(values.min() + values.max()) else None
    if bad is not None and bad.any():
        where = _positions(X, bad)
        raise S3InputError(f"{name} has {int(bad.sum())} NaN or infinite value(s), "
                           f"at (row, column) {listing(where, int(bad.sum()))}; "
                           "choose how to treat them (panel_from_long(..., nan='zero' or 'drop'))")
    if nonnegative and values.size and values.min() < 0:
        neg = values < 0
        if neg.any():
            where = _positions(X, neg)
            raise S3InputError(f"{name} has {int(neg.sum())} negative value(s), "
                               f"at (row, column) {listing(where, int(neg.sum()))}; "
                               "counts and amounts must be zero or more")
    if not (empty_rows and empty_cols):
        rows, cols = empty_lines(X)
        for what, idx, allowed in (("row", rows, empty_rows), ("column", cols, empty_cols)):
            if len(idx) and not allowed:
                plural = what if len(idx) == 1 else what + "s"
                raise S3InputError(
                    f"{name} has {len(idx)} empty {plural} (all zero): {listing(idx.tolist())}; drop "
                    f"{'it' if len(idx) == 1 else 'them'} before computing (ris3hub.engines.s3.panel_from_long(..., "
                    "drop_empty=True) drops and reports empty regions and domains)")
    return X


def empty_lines(X) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the rows and of the columns of X whose values are all zero."""
    if sp.issparse(X):
        nz = X.copy()
        nz.data = (nz.data != 0).astype(np.float64)
        rows = np.asarray(nz.sum(axis=1)).ravel() > 0
        cols = np.asarray(nz.sum(axis=0)).ravel() > 0
    else:
        rows, cols = X.any(axis=1), X.any(axis=0)
    return np.flatnonzero(~rows), np.flatnonzero(~cols)


def check_vector(v, n: int, name: str, what: str) -> np.ndarray:
    """A float64 vector of length n (one value per region or per domain)."""
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or v.shape[0] != n:
        raise S3InputError(f"{name} must have one value per {what} ({n}), got shape {v.shape}")
    return v


def check_binary(M, name: str = "M", *, empty_rows: bool = False):
    """A 0/1 presence matrix (as from `presence`), with no empty columns (nor rows, unless allowed)."""
    M = check_matrix(M, name, empty_rows=empty_rows)
    values = M.data if sp.issparse(M) else M
    if values.size and (values.min() < 0 or values.max() > 1 or not ((values == 0) | (values == 1)).all()):
        raise S3InputError(f"{name} must be a 0/1 presence matrix (as returned by presence(rca(X))), "
                           "but it holds other values")
    return M


def dense(X) -> np.ndarray:
    """X as a dense numpy array."""
    return X.toarray() if sp.issparse(X) else np.asarray(X)


def _positions(X, mask) -> list[tuple[int, int]]:
    """The first (row, column) positions where `mask` (over X's stored values) is true."""
    if sp.issparse(X):
        coo = X.tocoo()
        rows, cols = coo.row[mask], coo.col[mask]
        order = np.lexsort((cols, rows))[:SHOWN]
        rows, cols = rows[order], cols[order]
    else:
        rows, cols = np.nonzero(mask)
    return [(int(r), int(c)) for r, c in zip(rows[:SHOWN], cols[:SHOWN])]
