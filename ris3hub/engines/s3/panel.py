"""Long tables (time, region, domain, value) <-> one region x domain matrix per period.

`panel_from_long` is the boundary where a long table is checked: missing or non-numeric
columns, negative values, duplicate (time, region, domain) keys, NaN values (an explicit
choice: raise, zero or drop) and regions or domains present in a period with nothing but
zeros (an error, or dropped and reported with `drop_empty=True`) are all said with the rows
concerned. The engines then get clean matrices.

>>> import pandas as pd
>>> long = pd.DataFrame({"year": [2020] * 4, "region": ["A", "A", "B", "B"],
...                      "field": ["x", "y", "x", "y"], "n": [3, 1, 0, 4]})
>>> panel = panel_from_long(long, "year", "region", "field", "n")
>>> year = panel.year(2020)
>>> list(year.locs), list(year.prods), year.X.tolist()
(['A', 'B'], ['x', 'y'], [[3.0, 1.0], [0.0, 4.0]])
>>> table = long_table(year.locs, year.prods, time=2020, matrices={"n": year.X},
...                    by_loc={"total": year.X.sum(axis=1)})
>>> print(table.to_string(index=False))
 time loc prod   n  total
 2020   A    x 3.0    4.0
 2020   A    y 1.0    4.0
 2020   B    x 0.0    4.0
 2020   B    y 4.0    4.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .validation import S3InputError, dense, listing

NAN_CHOICES = ("raise", "zero", "drop")

#: Up to this many (time, region, domain) cells, duplicate keys are found by counting rather than hashing.
DENSE_KEYS = 50_000_000
#: Above this many cells a period's matrix is stored sparse when few of its cells are filled.
SPARSE_CELLS = 1_000_000
SPARSE_FILL = 0.2


@dataclass(frozen=True)
class YearMatrix:
    """One period: the regions and domains active in it and their matrix (no empty row or column)."""

    time: object
    locs: pd.Index
    prods: pd.Index
    X: object


@dataclass(frozen=True)
class Panel:
    """Region x domain matrices over time, all on the same (sorted) region and domain labels.

    `matrices[i]` belongs to `times[i]`; a region or domain absent in a period has an empty
    row or column there, and `year(time)` leaves it out. `dropped` lists what
    `drop_empty=True` took out (time, axis "loc" or "prod", label).
    """

    times: pd.Index
    locs: pd.Index
    prods: pd.Index
    matrices: tuple
    dropped: pd.DataFrame

    def year(self, time) -> YearMatrix:
        """The matrix of one period, restricted to the regions and domains active in it."""
        if time not in self.times:
            raise S3InputError(f"no period {time!r} in the panel: it has {listing(self.times.tolist())}")
        X = self.matrices[self.times.get_loc(time)]
        rows = np.flatnonzero(np.asarray(X.sum(axis=1)).ravel())
        cols = np.flatnonzero(np.asarray(X.sum(axis=0)).ravel())
        sub = X[rows][:, cols]
        return YearMatrix(time, self.locs[rows], self.prods[cols], sub)

    def stack(self) -> np.ndarray:
        """All periods as one dense (time, region, domain) array."""
        return np.stack([dense(X) for X in self.matrices])


def panel_from_long(data: pd.DataFrame, time: str = "time", loc: str = "loc", prod: str = "prod",
                    val: str = "val", *, nan: str = "raise", drop_empty: bool = False, sparse: bool | None = None,
                    row_name: str = "row") -> Panel:
    """Check a long table and turn it into a Panel.

    `nan`: what to do with missing values: "raise" (default), "zero" (count them as 0) or
    "drop" (leave the rows out). `drop_empty`: drop regions and domains whose values in a
    period are all zero (listed in `Panel.dropped`) instead of raising. `sparse`: store the
    matrices as scipy.sparse CSR (default: when they are large and mostly empty). Error
    messages name rows by the table's index, called `row_name` ("line" for a file whose
    index holds line numbers).
    """
    if nan not in NAN_CHOICES:
        raise S3InputError(f"nan must be one of {', '.join(NAN_CHOICES)}, not {nan!r}")
    missing = [c for c in (time, loc, prod, val) if c not in data.columns]
    if missing:
        raise S3InputError(f"column(s) {', '.join(missing)} not in the table; "
                           f"it has {listing(list(data.columns), shown=12)}")
    frame = data[[time, loc, prod, val]]
    for col in (time, loc, prod):
        bad = frame[col].isna().to_numpy()
        if bad.any():
            raise S3InputError(f"column {col}: {int(bad.sum())} empty value(s), "
                               f"{row_name}(s) {listing(frame.index[bad].tolist(), int(bad.sum()))}")
    values = pd.to_numeric(frame[val], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    raw_missing = frame[val].isna().to_numpy()
    not_numbers = np.isnan(values) & ~raw_missing
    if not_numbers.any():
        where = np.flatnonzero(not_numbers)[:5]
        shown = [f"{frame.index[j]} ({frame[val].iloc[j]!r})" for j in where]
        raise S3InputError(f"column {val}: {int(not_numbers.sum())} value(s) that are not numbers, "
                           f"{row_name}(s) {listing(shown, int(not_numbers.sum()))}")
    keep = np.ones(len(frame), dtype=bool)
    if raw_missing.any():
        if nan == "raise":
            raise S3InputError(f"column {val}: {int(raw_missing.sum())} missing value(s), {row_name}(s) "
                               f"{listing(frame.index[raw_missing].tolist(), int(raw_missing.sum()))}; "
                               "choose nan='zero' to count them as 0 or nan='drop' to leave those rows out")
        if nan == "zero":
            values = np.where(raw_missing, 0.0, values)
        else:
            keep &= ~raw_missing
    if not np.isfinite(values[keep]).all():
        bad = keep & ~np.isfinite(values)
        raise S3InputError(f"column {val}: infinite value(s), "
                           f"{row_name}(s) {listing(frame.index[bad].tolist(), int(bad.sum()))}")
    negative = keep & (values < 0)
    if negative.any():
        raise S3InputError(f"column {val}: {int(negative.sum())} negative value(s), {row_name}(s) "
                           f"{listing(frame.index[negative].tolist(), int(negative.sum()))}; "
                           "counts and amounts must be zero or more")
    if not keep.all():
        frame = frame[keep]
    index = frame.index
    values = values[keep]
    t_codes, times = pd.factorize(frame[time], sort=True)
    l_codes, locs = pd.factorize(frame[loc], sort=True)
    p_codes, prods = pd.factorize(frame[prod], sort=True)
    T, L, P = len(times), len(locs), len(prods)
    flat = (t_codes.astype(np.int64) * L + l_codes) * P + p_codes
    if T * L * P <= DENSE_KEYS:  # counting is much faster than hashing
        dup = np.bincount(flat, minlength=T * L * P)[flat] > 1
    else:
        dup = pd.Series(flat).duplicated(keep=False).to_numpy()
    if dup.any():
        dup_keys = np.unique(flat[dup])
        shown = []
        for key in dup_keys[:5]:
            where = np.flatnonzero(flat == key)
            i = where[0]
            shown.append(f"({times[t_codes[i]]}, {locs[l_codes[i]]}, {prods[p_codes[i]]}) at {row_name}s "
                         f"{', '.join(str(x) for x in index[where][:3])}")
        raise S3InputError(f"{len(dup_keys)} duplicate (time, region, domain) key(s): {listing(shown, len(dup_keys))}; "
                           "aggregate them first (one row per time, region and domain)")
    dropped = []
    empties = []
    for axis, codes, labels, size in (("loc", l_codes, locs, L), ("prod", p_codes, prods, P)):
        group = t_codes.astype(np.int64) * size + codes
        seen = np.bincount(group, minlength=T * size) > 0
        total = np.bincount(group, weights=values, minlength=T * size)
        for g in np.flatnonzero(seen & (total == 0)):
            empties.append((times[g // size], axis, labels[g % size]))
    if empties:
        if not drop_empty:
            words = [f"{'region' if a == 'loc' else 'domain'} {lab} in {t}" for t, a, lab in empties]
            raise S3InputError(f"{len(empties)} region(s) or domain(s) have only zero values in a period: "
                               f"{listing(words, len(empties))}; drop them from the table or pass drop_empty=True "
                               "(which drops and reports them)")
        dropped = empties
    cells = L * P
    if sparse is None:
        sparse = cells > SPARSE_CELLS and len(values) < SPARSE_FILL * cells * T
    order = np.argsort(t_codes, kind="stable")
    bounds = np.searchsorted(t_codes[order], np.arange(T + 1))
    matrices = []
    for i in range(T):
        rows = order[bounds[i]:bounds[i + 1]]
        if sparse:
            X = sp.csr_array((values[rows], (l_codes[rows], p_codes[rows])), shape=(L, P))
            X.eliminate_zeros()
        else:
            X = np.zeros((L, P))
            X[l_codes[rows], p_codes[rows]] = values[rows]
        matrices.append(X)
    return Panel(pd.Index(times), pd.Index(locs), pd.Index(prods), tuple(matrices),
                 pd.DataFrame(dropped, columns=["time", "axis", "label"]))


def long_table(locs, prods, time=None, matrices=None, by_loc=None, by_prod=None) -> pd.DataFrame:
    """A long table with one row per (region, domain), regions major.

    `matrices` maps column names to region x domain matrices (dense or sparse); `by_loc` to
    vectors of one value per region and `by_prod` to vectors of one value per domain, repeated
    along the other axis. `time`, when given, fills a leading "time" column.
    """
    locs, prods = pd.Index(locs), pd.Index(prods)
    L, P = len(locs), len(prods)
    out = {}
    if time is not None:
        out["time"] = np.full(L * P, time)
    out["loc"] = np.repeat(locs.to_numpy(), P)
    out["prod"] = np.tile(prods.to_numpy(), L)
    for name, value in (matrices or {}).items():
        value = dense(value)
        if value.shape != (L, P):
            raise S3InputError(f"column {name}: a {value.shape} matrix, expected regions x domains ({L} x {P})")
        out[name] = value.ravel()
    for group, size, spread, what in ((by_loc, L, lambda v: np.repeat(v, P), "region"),
                                      (by_prod, P, lambda v: np.tile(v, L), "domain")):
        for name, value in (group or {}).items():
            value = np.asarray(value)
            if value.shape != (size,):
                raise S3InputError(f"column {name}: shape {value.shape}, expected one value per {what} ({size})")
            out[name] = spread(value)
    return pd.DataFrame(out)
