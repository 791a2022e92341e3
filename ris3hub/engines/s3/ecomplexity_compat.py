"""Drop-in replacements for py-ecomplexity's `ecomplexity()` and `proximity()`.

`ecomplexity_table(data, cols_input, ...)` and `proximity_table(data, cols_input, ...)` take
the arguments of py-ecomplexity 0.5.3 with the same defaults and return the same table: the
same rows (each period rectangularised over the regions and domains whose values do not sum
to zero, then outer-merged with the input, so dropped rows come back with empty measures),
the same columns in the same order and dtypes, the same values (to about 1e-12) and the
same warnings. What changes is the speed: the eigenvector comes from the symmetric form of
the smaller projection instead of a general eigen decomposition of the domain x domain
matrix, matrix products use BLAS in floating point, and the table is assembled from arrays.

Differences, all in cases py-ecomplexity gets wrong or cannot run:

- nothing is printed: the period being processed (`verbose`) goes to the logging module;
- missing values stay missing, as in py-ecomplexity under pandas 3 (its
  `fillna(0, inplace=True)` on a column no longer writes through under copy-on-write,
  although it warns "coercing to zero(es)"): their cells get an empty rca and mcp 0, and the
  warning here says so;
- the log-supermodularity check estimates the share of region and domain quadruples that
  meet the condition (log_supermodularity) and warns below 0.8 as py-ecomplexity does; its
  own version compares reshaped, not transposed, entries, so the percentages differ;
- a proximity_edgelist with missing pairs is completed with 0 (1 on the diagonal), with
  py-ecomplexity's warning, as it intends (under pandas 3 it fails writing to a read-only array);
- invalid arguments (an unknown presence_test, continuous proximity with presence_test
  "both", empty key values) raise S3InputError instead of failing further on.

>>> import pandas as pd
>>> long = pd.DataFrame({"year": 2020, "region": list("AAAABBBBCCCC"), "field": list("wxyz") * 3,
...                      "n": [4, 2, 0, 2, 0, 2, 6, 0, 4, 0, 2, 2]})
>>> out = ecomplexity_table(long, {"time": "year", "loc": "region", "prod": "field", "val": "n"},
...                         check_logsupermodularity=False)
>>> list(out.columns)
['region', 'field', 'n', 'year', 'diversity', 'ubiquity', 'mcp', 'eci', 'pci', 'density', 'coi', 'cog', 'rca']
>>> out.groupby("region")["eci"].first().round(6).tolist()
[0.404215, -1.375759, 0.971544]
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .complexity import _second_eigenvector, log_supermodularity
from .validation import S3InputError, listing

logger = logging.getLogger(__name__)


#: BLAS threads during ecomplexity_table and proximity_table; None: the library's own (a thread per
#: core). On an idle 2-core machine the second thread makes the 300 x 1,200 x 10 panel faster (0.79 s
#: against 1.22 s with one); on a machine busy with other jobs OpenBLAS's waiting threads cost more
#: than they save (1.8 s with one thread, 3.2 to 4.5 s with two): pass blas_threads=1 there.
BLAS_THREADS = None


class DataWarning(UserWarning):
    """Input py-ecomplexity cleans with a warning: missing values, duplicate keys."""


PRESENCE_TESTS = ("rca", "rpop", "both", "manual")
KEYS = ("time", "loc", "prod", "val")
LSM_MESSAGE = ("Year {t}: Log-supermodularity condition is not fully satisfied ({share:.2%} of pairs compared "
               "satisfy this condition). The ECI and PCI values may not be a true representation of the "
               "complexity. More details at: "
               "https://growthlab.hks.harvard.edu/publications/structural-ranking-economic-complexity")


def ecomplexity_table(data, cols_input, presence_test="rca", val_errors_flag="coerce", rca_mcp_threshold=1,
                      rpop_mcp_threshold=1, pop=None, continuous=False, proximity_edgelist=None, asymmetric=False,
                      knn=None, check_logsupermodularity=True, report_logsupermodularity=False, verbose=True, *,
                      blas_threads=BLAS_THREADS):
    """py-ecomplexity's ecomplexity(), same arguments, same output table (see the module docstring).

    Columns added to the input: diversity, ubiquity, mcp, eci, pci, density, coi, cog, rca
    (and rpop with presence_test "rpop" or "both"). `report_logsupermodularity` is accepted
    and, as in py-ecomplexity, unused. `blas_threads`: threads of the BLAS library during the
    call (see BLAS_THREADS; None leaves the library's own setting).
    """
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        return _ecomplexity_table(data, cols_input, presence_test, val_errors_flag, rca_mcp_threshold,
                                  rpop_mcp_threshold, pop, continuous, proximity_edgelist, asymmetric, knn,
                                  check_logsupermodularity, verbose)


def _ecomplexity_table(data, cols_input, presence_test, val_errors_flag, rca_mcp_threshold, rpop_mcp_threshold, pop,
                       continuous, proximity_edgelist, asymmetric, knn, check_logsupermodularity, verbose):
    _check_presence(presence_test, continuous)
    long = _clean(data, cols_input, val_errors_flag)
    check = check_logsupermodularity
    if isinstance(check, bool) or check is None:
        samples = None
    elif isinstance(check, (int, float)):
        samples = int(check)
    else:
        raise ValueError(f"check_logsupermodularity must be an int or bool, not {type(check)}")
    years = [long.year(i) for i in range(len(long.times))]
    output = _Output(long, years) if long.simple else None
    frames = []
    for i, (t, year) in enumerate(zip(long.times, years)):
        if verbose:
            logger.info("%s", t)
        values = _presence(year.X, presence_test, rca_mcp_threshold, rpop_mcp_threshold, pop, cols_input, t, year.locs)
        mcp = values["mcp"]
        binary = presence_test in ("rca", "rpop")
        # one floating-point copy of a 0/1 mcp for every product below (the table keeps the integers)
        mcp_f = mcp.astype(np.float64) if binary else mcp
        diversity, ubiquity = (mcp.sum(axis=1), mcp.sum(axis=0)) if binary else (np.nansum(mcp, axis=1),
                                                                                 np.nansum(mcp, axis=0))
        if np.any(diversity == 0) or np.any(ubiquity == 0):
            warnings.warn(f"Year {t}: Diversity or ubiquity is 0, so ECI and PCI will be nan")
        eci, pci = _eci_pci(mcp_f, diversity, ubiquity, t, binary=binary)
        if presence_test == "manual" and np.all(np.isin(np.unique(mcp), [0, 1])):
            if check:
                warnings.warn("Log-supermodularity check is not applicable for binary mcp matrix. Skipping...")
            check = False
        if check:
            matrix = values["rpop"] if presence_test == "rpop" else values["rca"]
            _warn_log_supermodularity(matrix, eci, pci, samples, t)
        symmetric = False
        if proximity_edgelist is not None:
            prox = _edgelist_proximity(proximity_edgelist, year.prods, t)
        elif not continuous:
            prox = _discrete_proximity(mcp_f, ubiquity, asymmetric, binary=binary)
            symmetric = not asymmetric
        else:
            prox = (1 + np.corrcoef((values["rpop"] if presence_test == "rpop" else values["rca"]).T)) / 2
        if not continuous or presence_test == "manual":
            basis = mcp if knn is not None else mcp_f  # knn's density sums the integers (an integer column)
        else:
            basis = values["rpop"] if presence_test == "rpop" else values["rca"]
        density, coi, cog = _density_coi_cog(basis, mcp_f, prox, pci, knn, symmetric)
        sd = eci.std()
        pci = (pci - eci.mean()) / sd
        cog = cog / sd
        eci = (eci - eci.mean()) / sd
        coi = (coi - coi.mean()) / coi.std()
        columns = {"diversity": diversity, "ubiquity": ubiquity, "mcp": mcp, "eci": eci, "pci": pci,
                   "density": density, "coi": coi, "cog": cog, "rca": values["rca"]}
        if "rpop" in values:
            columns["rpop"] = values["rpop"]
        if output is not None:
            output.put(i, columns)
        else:
            frames.append(long.grid_frame(i, year, columns))
    if output is not None:
        return output.frame(cols_input)
    merged = pd.concat(frames).reset_index(drop=True).rename(columns=cols_input)
    return merged.merge(data, how="outer", on=list(cols_input.values()))


def proximity_table(data, cols_input, presence_test="rca", val_errors_flag="coerce", rca_mcp_threshold=1,
                    rpop_mcp_threshold=1, pop=None, continuous=False, asymmetric=False, *, blas_threads=BLAS_THREADS):
    """py-ecomplexity's proximity(): one row per period and pair of domains, same columns.

    Columns: the time column, <prod>_1, <prod>_2, proximity, periods in the order they first
    appear, domains sorted, the diagonal included. `blas_threads` as for ecomplexity_table.
    """
    with threadpool_limits(limits=blas_threads, user_api="blas"):
        return _proximity_table(data, cols_input, presence_test, val_errors_flag, rca_mcp_threshold,
                                rpop_mcp_threshold, pop, continuous, asymmetric)


def _proximity_table(data, cols_input, presence_test, val_errors_flag, rca_mcp_threshold, rpop_mcp_threshold, pop,
                     continuous, asymmetric):
    _check_presence(presence_test, continuous)
    long = _clean(data, cols_input, val_errors_flag)
    blocks = []
    for i, t in enumerate(long.times):
        year = long.year(i)
        values = _presence(year.X, presence_test, rca_mcp_threshold, rpop_mcp_threshold, pop, cols_input, t, year.locs)
        if not continuous:
            prox = _discrete_proximity(values["mcp"], np.nansum(values["mcp"], axis=0), asymmetric,
                                        binary=presence_test in ("rca", "rpop"))
        else:
            prox = (1 + np.corrcoef((values["rpop"] if presence_test == "rpop" else values["rca"]).T)) / 2
        blocks.append((year.prod_codes, prox))
    # one array per column for all periods, the labels taken once: no per-period frames to concatenate
    n = sum(prox.size for _, prox in blocks)
    codes = np.int32 if max(len(long.prods), len(long.times)) < 2**31 else np.int64
    t_pos, first, second = np.empty(n, dtype=codes), np.empty(n, dtype=codes), np.empty(n, dtype=codes)
    proximity = np.empty(n, dtype=np.result_type(*(prox.dtype for _, prox in blocks)))
    start = 0
    for i, (prod_codes, prox) in enumerate(blocks):
        k = len(prod_codes)
        stop = start + k * k
        t_pos[start:stop] = i
        first[start:stop].reshape(k, k)[:] = prod_codes[:, None]
        second[start:stop].reshape(k, k)[:] = prod_codes[None, :]
        proximity[start:stop] = prox.ravel()
        start = stop
    return pd.DataFrame({
        cols_input["time"]: _take(long.times, t_pos),
        cols_input["prod"] + "_1": _take(long.prods, first),
        cols_input["prod"] + "_2": _take(long.prods, second),
        "proximity": proximity,
    }, copy=False)


def _check_presence(presence_test, continuous):
    if presence_test not in PRESENCE_TESTS:
        raise S3InputError(f"presence_test must be one of {', '.join(PRESENCE_TESTS)}, not {presence_test!r}")
    if continuous and presence_test == "both":
        raise S3InputError("a continuous proximity needs presence_test 'rca', 'rpop' or 'manual'; "
                           "with 'both' py-ecomplexity has no density to compute")


PER_LOC = ("diversity", "eci", "coi")
#: Up to this many (time, region, domain) cells, duplicate keys are found by counting rather than hashing.
DENSE_KEYS = 50_000_000


class _Year:
    """One period of the cleaned long table: its active regions and domains and their matrix.

    `rows` are the input rows no grid cell holds (regions or domains whose values sum to zero).
    """

    def __init__(self, X, loc_codes, prod_codes, locs, prods, rows):
        self.X, self.loc_codes, self.prod_codes = X, loc_codes, prod_codes
        self.locs, self.prods, self.rows = locs, prods, rows


def _spread(name, value, La, Pa):
    """A measure as one value per grid cell (regions major): matrices ravelled, vectors repeated."""
    value = np.asarray(value)
    if value.ndim == 2:
        return value.ravel()
    return np.repeat(value, Pa) if name in PER_LOC else np.tile(value, La)


class _Long:
    """The input as py-ecomplexity's ComplexityData cleans it, held as codes and arrays."""

    def __init__(self, times, locs, prods, t_codes, l_codes, p_codes, val, simple):
        self.times, self.locs, self.prods = times, locs, prods
        self.t_codes, self.l_codes, self.p_codes, self.val = t_codes, l_codes, p_codes, val
        self.simple = simple
        if len(t_codes) < 2 or bool((t_codes[1:] >= t_codes[:-1]).all()):
            self._order = None  # periods already in blocks: each is a slice, no gather
            self._bounds = np.searchsorted(t_codes, np.arange(len(times) + 1))
        else:
            order = np.argsort(t_codes.astype(np.int32 if len(times) > 2**15 else np.int16), kind="stable")
            self._order = order
            self._bounds = np.searchsorted(t_codes[order], np.arange(len(times) + 1))

    def year(self, i) -> _Year:
        start, stop = self._bounds[i], self._bounds[i + 1]
        if self._order is None:
            rows = np.arange(start, stop)
            l, p, v = self.l_codes[start:stop], self.p_codes[start:stop], self.val[start:stop]
        else:
            rows = self._order[start:stop]
            l, p, v = self.l_codes[rows], self.p_codes[rows], self.val[rows]
        L, P = len(self.locs), len(self.prods)
        weights = v if v.dtype.kind in "iub" else np.nan_to_num(v.astype(np.float64, copy=False))
        seen_l = np.bincount(l, minlength=L) > 0
        seen_p = np.bincount(p, minlength=P) > 0
        loc_codes = np.flatnonzero(seen_l & (np.bincount(l, weights=weights, minlength=L) != 0))
        prod_codes = np.flatnonzero(seen_p & (np.bincount(p, weights=weights, minlength=P) != 0))
        if not len(loc_codes) or not len(prod_codes):
            raise S3InputError(f"period {self.times[i]}: every value is zero, nothing to compute")
        La, Pa = len(loc_codes), len(prod_codes)
        X = np.zeros((La, Pa), dtype=v.dtype)
        if La == L and Pa == P:  # every region and domain of the table is active: codes are positions
            flat = l * P + p
            if len(flat) == X.size and flat[0] == 0 and bool((np.diff(flat) == 1).all()):
                X.ravel()[:] = v  # the full grid, region by region, domains in order
            else:
                X.ravel()[flat] = v
            return _Year(X, loc_codes, prod_codes, self.locs, self.prods, rows[:0])
        l_pos = np.full(L, -1)
        l_pos[loc_codes] = np.arange(La)
        p_pos = np.full(P, -1)
        p_pos[prod_codes] = np.arange(Pa)
        lp, pp = l_pos[l], p_pos[p]
        active = (lp >= 0) & (pp >= 0)
        X.ravel()[(lp * Pa + pp)[active]] = v[active]
        return _Year(X, loc_codes, prod_codes, self.locs[loc_codes], self.prods[prod_codes], rows[~active])

    def grid_frame(self, i, year, columns) -> pd.DataFrame:
        """One period's grid as py-ecomplexity builds it before merging it back with the input."""
        La, Pa = year.X.shape
        frame = {"loc": _take(self.locs, np.repeat(year.loc_codes, Pa)),
                 "prod": _take(self.prods, np.tile(year.prod_codes, La)),
                 "val": year.X.ravel(), "time": _take(self.times, np.full(La * Pa, i))}
        for name, value in columns.items():
            frame[name] = _spread(name, value, La, Pa)
        return pd.DataFrame(frame)


class _Output:
    """ecomplexity()'s table when the input has one row per key and no other column.

    The outer merge with the input is then the periods' grids plus the input rows no grid
    holds (regions and domains whose values sum to zero), sorted by time, region and domain:
    built here straight into one array per column.
    """

    def __init__(self, long: _Long, years: list[_Year]):
        self.long = long
        rank = np.empty(len(long.times), dtype=np.int64)
        rank[long.times.argsort()] = np.arange(len(long.times))
        self.rank = rank
        self.extra = np.concatenate([year.rows for year in years])
        self.starts = {}
        start = 0
        for i in sorted(range(len(years)), key=lambda i: rank[i]):
            self.starts[i] = (start, years[i].X.shape)
            start += years[i].X.size
        self.n_grid = start
        n = start + len(self.extra)
        codes = np.int32 if max(len(long.locs), len(long.prods), len(long.times)) < 2**31 else np.int64
        self.t = np.empty(n, dtype=codes)  # label positions: the narrower, the less memory to write and take
        self.l = np.empty(n, dtype=codes)
        self.p = np.empty(n, dtype=codes)
        self.val = np.empty(n, dtype=long.val.dtype)
        for i, year in enumerate(years):
            start, (La, Pa) = self.starts[i]
            stop = start + La * Pa
            self.t[start:stop] = i
            self.l[start:stop].reshape(La, Pa)[:] = year.loc_codes[:, None]
            self.p[start:stop].reshape(La, Pa)[:] = year.prod_codes[None, :]
            self.val[start:stop] = year.X.ravel()
        self.columns = {}

    def put(self, i, columns):
        start, (La, Pa) = self.starts[i]
        stop = start + La * Pa
        for name, value in columns.items():
            value = np.asarray(value)
            if name not in self.columns:
                dtype = np.result_type(np.float64, value.dtype) if len(self.extra) else value.dtype
                self.columns[name] = np.empty(len(self.t), dtype=dtype)
            cells = self.columns[name][start:stop].reshape(La, Pa)
            if value.ndim == 2:
                cells[:] = value
            elif name in PER_LOC:
                cells[:] = value[:, None]
            else:
                cells[:] = value[None, :]

    def frame(self, cols_input) -> pd.DataFrame:
        long, extra, n_grid = self.long, self.extra, self.n_grid
        t, l, p, val, columns = self.t, self.l, self.p, self.val, self.columns
        if len(extra):
            t[n_grid:], l[n_grid:], p[n_grid:] = long.t_codes[extra], long.l_codes[extra], long.p_codes[extra]
            val[n_grid:] = long.val[extra]
            for value in columns.values():
                value[n_grid:] = np.nan
            order = np.lexsort((p, l, self.rank[t]))
            t, l, p, val = t[order], l[order], p[order], val[order]
            columns = {name: value[order] for name, value in columns.items()}
        frame = {cols_input["loc"]: _take(long.locs, l), cols_input["prod"]: _take(long.prods, p),
                 cols_input["val"]: val, cols_input["time"]: _take(long.times, t)}
        frame.update(columns)
        return pd.DataFrame(frame, copy=False)


def _take(labels: pd.Index, codes):
    """labels[codes] keeping the labels' dtype (an extension array's take is much faster than Index.take)."""
    return labels.array.take(codes)


def _clean(data, cols_input, val_errors_flag) -> _Long:
    """ComplexityData.__init__: numeric values, NaN as 0, the first of duplicate keys (with its warnings)."""
    missing = [k for k in KEYS if k not in cols_input]
    if missing:
        raise S3InputError(f"cols_input must name the columns for {', '.join(KEYS)}; missing: {', '.join(missing)}")
    absent = [cols_input[k] for k in KEYS if cols_input[k] not in data.columns]
    if absent:
        raise S3InputError(f"column(s) {', '.join(map(str, absent))} not in the data; it has "
                           f"{listing(list(map(str, data.columns)), shown=12)}")
    raw = data[cols_input["val"]]
    val = pd.to_numeric(raw, errors=val_errors_flag)
    had_nan = bool(val.isnull().any())
    if had_nan:
        warnings.warn("NaN value(s) present; as py-ecomplexity does under pandas 3, they stay NaN "
                      "(their cells get rca NaN and mcp 0)", DataWarning)
    values = val.to_numpy()
    if values.dtype == object or not np.issubdtype(values.dtype, np.number):
        values = val.to_numpy(dtype=np.float64)
    codes = {}
    for key, sort in (("time", False), ("loc", True), ("prod", True)):
        c, uniques = _factorize(data[cols_input[key]], sort)
        if (c < 0).any():
            raise S3InputError(f"column {cols_input[key]}: {int((c < 0).sum())} empty value(s); every row needs a "
                               "time, a region and a domain")
        codes[key] = (c.astype(np.int64, copy=False), pd.Index(uniques))
    (t, times), (l, locs), (p, prods) = codes["time"], codes["loc"], codes["prod"]
    flat = t * len(locs)
    flat += l
    flat *= len(prods)
    flat += p
    cells = len(times) * len(locs) * len(prods)
    if cells <= DENSE_KEYS and not (np.bincount(flat, minlength=cells) > 1).any():
        dups = np.zeros(len(flat), dtype=bool)
    else:
        dups = pd.Series(flat).duplicated().to_numpy()
    if dups.any():
        warnings.warn("Duplicate values exist, keeping the first occurrence", DataWarning)
        keep = ~dups
        t, l, p, values = t[keep], l[keep], p[keep], values[keep]
    simple = (not had_nan and not dups.any() and len(data.columns) == 4
              and set(data.columns) == {cols_input[k] for k in KEYS} and val.dtype == raw.dtype)
    return _Long(times, locs, prods, t, l, p, values, simple)


#: A column whose first rows change value at most once in RUNS_SAMPLE / 8 rows is factorized run by run.
RUNS_SAMPLE = 8192


def _factorize(column: pd.Series, sort: bool):
    """pd.factorize(column, sort=sort), run by run when the column comes in runs of one value.

    A long table ordered by time and region repeats each period and region over many rows: the
    first appearance of every value is the start of a run, so factorizing the runs' values
    and repeating their codes gives the same codes and uniques, several times faster.
    """
    n = len(column)
    if n > RUNS_SAMPLE:
        head = column.array[:RUNS_SAMPLE]
        if 8 * int(_changes(head).sum()) < RUNS_SAMPLE:
            starts = np.flatnonzero(np.concatenate([[True], _changes(column.array)]))
            if 4 * len(starts) < n:
                run_codes, uniques = pd.factorize(column.iloc[starts], sort=sort)
                return np.repeat(run_codes, np.diff(np.append(starts, n))), uniques
    return pd.factorize(column, sort=sort)


def _changes(values) -> np.ndarray:
    """values[i + 1] != values[i] as a numpy bool array, a missing value counting as a change."""
    changed = values[1:] != values[:-1]
    if hasattr(changed, "to_numpy"):  # a masked BooleanArray (pd.NA) from an extension array
        return changed.to_numpy(dtype=bool, na_value=True)
    return np.asarray(changed, dtype=bool)


def _presence(X, presence_test, rca_threshold, rpop_threshold, pop, cols_input, t, locs) -> dict:
    """ComplexityData.calculate_rca / calculate_rpop / calculate_mcp for one period."""
    if presence_test == "manual":
        return {"rca": X, "mcp": X}
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        num = X / np.nansum(X, axis=1)[:, np.newaxis]
        loc_total = np.nansum(X, axis=0)[np.newaxis, :]
        world_total = np.nansum(loc_total, axis=1)[:, np.newaxis]
        out["rca"] = num / (loc_total / world_total)
        if presence_test in ("rpop", "both"):
            out["rpop"] = _rpop(X, pop, cols_input, t, locs)
    if presence_test == "rca":
        out["mcp"] = _binary(out["rca"], rca_threshold)
    elif presence_test == "rpop":
        out["mcp"] = _binary(out["rpop"], rpop_threshold)
    else:
        out["mcp"] = _binary(out["rca"], rca_threshold) + _binary(out["rpop"], rpop_threshold)
    return out


def _binary(x, threshold):
    if threshold > 0:  # NaN compares false, +inf true: the same as py-ecomplexity's nan_to_num first
        return (x >= threshold).astype(np.int64)
    return np.where(np.nan_to_num(x) >= threshold, 1, 0)


def _rpop(X, pop, cols_input, t, locs):
    if pop is None:
        raise S3InputError("presence_test 'rpop' and 'both' need pop, a table of time, location and population")
    pop_t = pop[pop[cols_input["time"]] == t].copy()
    pop_t.columns = ["time", "loc", "pop"]
    pop_t = pop_t.drop(columns="time").reset_index(drop=True).set_index("loc")
    pop_t = pop_t.reindex(pd.Index(locs, name="loc")).values
    num = X / pop_t
    loc_total = np.nansum(X, axis=0)[np.newaxis, :]
    return num / (loc_total / np.nansum(pop_t))


def _eci_pci(mcp, diversity, ubiquity, t, binary):
    """calc_eci_pci: un-normalised (ECI, PCI) with NaN for empty regions and domains, as py-ecomplexity.

    `binary`: mcp is known to hold only 0 and 1 (presence_test "rca" or "rpop").
    """
    if (diversity == 0).sum() > 0 or (ubiquity == 0).sum() > 0:
        warnings.warn(f"In year {t}, diversity / ubiquity is 0 for some locs/prods")
    rows, cols = diversity != 0, ubiquity != 0
    empty_rows, empty_cols = np.flatnonzero(~rows), np.flatnonzero(~cols)
    if len(empty_rows) == 1 or len(empty_cols) == 1:
        # py-ecomplexity iterates over a 0-d array here, fails and gives NaN for the whole period.
        warnings.warn(f"Unable to calculate eigenvectors for year {t}")
        return np.full(mcp.shape[0], np.nan), np.full(mcp.shape[1], np.nan)
    valid = mcp if rows.all() and cols.all() else mcp[rows][:, cols]
    kc, kp = diversity[rows].astype(np.float64), ubiquity[cols].astype(np.float64)
    if len(kc) < 2 or len(kp) < 2:
        warnings.warn(f"Unable to calculate eigenvectors for year {t}")
        return np.full(mcp.shape[0], np.nan), np.full(mcp.shape[1], np.nan)
    kp_raw = None
    validf = valid.astype(np.float64, copy=False)
    if binary or np.all(valid >= 0):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            vc, vp = _second_eigenvector(validf, kc, kp)
        if not caught:
            kp_raw = vp
    if kp_raw is None:
        kp_raw = _general_eigenvector(valid, kc, kp)
    if kp_raw is None:
        warnings.warn(f"Unable to calculate eigenvectors for year {t}")
        return np.full(mcp.shape[0], np.nan), np.full(mcp.shape[1], np.nan)
    kc_raw = (validf @ kp_raw) / kc
    s = np.sign(np.corrcoef(kc, kc_raw)[0, 1])
    eci, pci = s * kc_raw, s * kp_raw
    for x in empty_rows:
        eci = np.insert(eci, x, np.nan)
    for x in empty_cols:
        pci = np.insert(pci, x, np.nan)
    return eci, pci


def _general_eigenvector(valid, kc, kp):
    """py-ecomplexity's own route, for matrices the symmetric form cannot take (disconnected, negative).

    None where py-ecomplexity's eigen decomposition fails (NaN values): it then gives NaN.
    """
    mcp1 = valid / kc[:, None]
    mcp2_t = (valid / kp[None, :]).T.copy()
    try:
        eigvals, eigvecs = np.linalg.eig(mcp2_t @ mcp1)
    except np.linalg.LinAlgError:
        return None
    return np.real(eigvecs)[:, eigvals.argsort()[-2]]


def _warn_log_supermodularity(matrix, eci, pci, samples, t):
    matrix = np.nan_to_num(np.asarray(matrix, dtype=np.float64))
    if not (np.isfinite(eci).all() and np.isfinite(pci).all()) or min(matrix.shape) < 2 or (matrix < 0).any():
        return
    share = log_supermodularity(matrix, eci, pci, **({"samples": samples} if samples else {}))
    logger.info("Percentage of pairs compared that meet log-supermodularity condition: %.2f%%", 100 * share)
    if share < 0.8:
        warnings.warn(LSM_MESSAGE.format(t=t, share=share))


def _discrete_proximity(mcp, ubiquity, asymmetric, binary):
    """calc_discrete_proximity, the co-occurrence counts C = M'M from one floating-point product.

    A 0/1 mcp (presence_test "rca" or "rpop") counts exactly in single precision (OpenBLAS's
    sgemm is faster here than its syrk, which would compute half of it); the symmetric proximity
    is then C / max(k_p, k_q), which is min(C / k_p, C / k_q) bit for bit (one correctly rounded
    division by the larger degree, no transposed pass), NaN where a domain has ubiquity 0 (0 / 0
    in py-ecomplexity).
    """
    exact32 = (binary or np.isin(mcp, (0, 1)).all()) and mcp.shape[0] < 2**24
    if exact32 and not asymmetric:
        m = np.asarray(mcp, dtype=np.float32)
        counts = m.T @ m
        kp = np.asarray(ubiquity, dtype=np.float64)
        phi = np.empty(counts.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            for start in range(0, len(kp), 512):  # by blocks of rows, to keep the temporaries small
                block = slice(start, start + 512)
                np.divide(counts[block], np.maximum(kp[block, None], kp[None, :]), out=phi[block])
        empty = kp == 0
        if empty.any():
            phi[empty, :] = np.nan
            phi[:, empty] = np.nan
        return phi
    m = mcp.astype(np.float32 if exact32 else np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = (m.T @ m).astype(np.float64) / ubiquity[np.newaxis, :]
    return phi.T if asymmetric else np.minimum(phi, phi.T)


def _edgelist_proximity(edgelist, prods, t):
    prox = edgelist.pivot(index="prod1", columns="prod2", values="proximity")
    if set(edgelist["prod1"].unique()) != set(edgelist["prod2"].unique()):
        raise S3InputError("The set of products in prod1 and prod2 are not the same")
    if prox.shape[0] != prox.shape[1]:
        raise S3InputError("prox_mat is not square")
    prox = prox.reindex(prods).reindex(prods, axis=1).to_numpy(dtype=np.float64, copy=True)
    if np.any(np.isnan(prox)):
        check = prox.copy()
        np.fill_diagonal(check, 1)
        nan_frac = np.sum(np.isnan(check)) / check.size
        if nan_frac > 0:
            warnings.warn(f"Year {t}: Proximity matrix contains {nan_frac*100:.2}% non-diagonal values that are "
                          "NaN's, so some density values will be NaN.\nAssuming diagonals are 1 and that other "
                          "nan's are zero.")
        else:
            warnings.warn(f"Year {t}: Proximity matrix contains diagonal values that are NaN's. "
                          "Assuming all diagonal values to be one.")
        np.fill_diagonal(prox, 1)
        prox[np.isnan(prox)] = 0
    return prox


def _density_coi_cog(basis, mcp, prox, pci, knn, symmetric):
    """calc_density and calc_coi_cog (on the un-normalised PCI) for one period.

    density = basis @ (prox' / rowsums), cog = (1 - M) * ((1 - M) @ (prox * pci / rowsums)),
    with both products against prox done as one: for a symmetric proximity the row sums
    scale the result's columns, and (1 - M) @ diag(x) prox = ((1 - M) * x) @ prox.
    """
    absent = 1.0 - mcp
    L = mcp.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        sums = prox.sum(axis=1)
        weights = pci / sums
        if knn is None and symmetric:
            stack = np.empty((2 * L, mcp.shape[1]))
            stack[:L] = basis
            np.multiply(absent, weights[None, :], out=stack[L:])
            product = stack @ prox
            density = product[:L]
            # nansum equals sum where no proximity is NaN (the usual case: it skips a copy of prox)
            density /= (np.nansum(prox, axis=1) if np.isnan(sums).any() else sums)[None, :]
            gain = product[L:]
        else:
            density = _density(basis, prox, knn)
            gain = (absent * weights[None, :]) @ prox
    coi = (density * absent) @ pci
    gain *= absent
    return density, coi, gain


def _density(values, prox, knn):
    """calc_density; with knn, the same neighbours as scikit-learn's NearestNeighbors on 1 - proximity."""
    if knn is None:
        den = np.nansum(prox, axis=1)[np.newaxis, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            return values @ (prox.T / den)
    dist = 1 - prox
    if not np.isfinite(dist).all():
        raise S3InputError("knn needs a proximity matrix without NaN (scikit-learn rejects it too)")
    if (dist < 0).any():
        raise S3InputError("knn needs proximities of at most 1 (1 - proximity is a distance; "
                           "scikit-learn rejects it too)")
    n = dist.shape[0]
    if knn >= n:
        raise S3InputError(f"knn must be below the number of domains ({n}), not {knn}")
    k = knn + 1
    sample_range = np.arange(n)[:, None]
    neigh = np.argpartition(dist, k - 1, axis=1)[:, :k]
    neigh = neigh[sample_range, np.argsort(dist[sample_range, neigh])]
    mask = neigh != sample_range
    mask[:, 0][np.all(mask, axis=1)] = False
    neigh = neigh[mask].reshape(n, knn)
    # py-ecomplexity sums the neighbours' values unweighted (its weighted sum is computed and not used).
    return np.stack([np.nansum(values[:, row], axis=1) for row in neigh], axis=1)


