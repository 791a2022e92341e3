"""`ris3hub complexity`, `ris3hub proximity`, `ris3hub relatedness`: S3 measures from a long CSV.

The input is a long table with a time, a region, a domain and a value column (names chosen
with --time, --loc, --prod, --val). `complexity` and `proximity` write what py-ecomplexity's
ecomplexity() and proximity() compute with the same options, as CSV. Problems in the input are
reported with their line numbers: non-numeric or negative values stop the command; what
py-ecomplexity would silently absorb (missing values, duplicate keys, regions or domains with
only zeros in a year) is said on standard error and handled as py-ecomplexity does, unless
--strict makes it an error. No database is needed.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

#: Rows an error message lists for each problem before "and N more".
SHOWN = 8
NAN_CHOICES = ("keep", "zero", "drop", "raise")
COMPLEXITY_COLUMNS = ["diversity", "ubiquity", "rca", "mcp", "eci", "pci", "density", "coi", "cog"]


class CommandError(Exception):
    """An input problem to report (already phrased for the person running the command)."""


def register(subparsers, common) -> None:
    io_args = argparse.ArgumentParser(add_help=False)
    io_args.add_argument("input", metavar="IN.csv",
                         help="long table: one row per time, region and domain (CSV, or Parquet if IN ends in .parquet)")
    io_args.add_argument("--time", default="time", metavar="COL", help="time column (default: time)")
    io_args.add_argument("--loc", default="loc", metavar="COL", help="region column (default: loc)")
    io_args.add_argument("--prod", default="prod", metavar="COL", help="domain column (default: prod)")
    io_args.add_argument("--val", default="val", metavar="COL", help="value column (default: val)")
    io_args.add_argument("--delimiter", default=",", help="field separator of IN.csv (default: ,)")
    io_args.add_argument("-o", "--output", required=True, metavar="OUT.csv",
                         help="file to write: CSV, Parquet if it ends in .parquet, '-' for standard output")
    io_args.add_argument("--nan", choices=NAN_CHOICES, default="keep",
                         help="missing values: keep them, as py-ecomplexity does (their cell gets no RCA and counts "
                              "as absent; default), count them as 0, drop their rows, or stop with an error")
    io_args.add_argument("--strict", action="store_true",
                         help="stop on duplicate keys and on regions or domains with only zeros in a year "
                              "instead of handling them as py-ecomplexity does")
    io_args.add_argument("--threshold", type=float, default=1.0,
                         help="RCA at or above which a region is present (default 1)")
    parents = [common, io_args]

    p = subparsers.add_parser("complexity", parents=parents,
                              help="ECI, PCI, density, COI, COG of every region and domain",
                              description="Write, for every (time, region, domain) of the rectangularised input, "
                                          "diversity, ubiquity, rca, mcp, eci, pci, density, coi and cog, as "
                                          "py-ecomplexity's ecomplexity() computes them.")
    p.add_argument("--presence", choices=["rca", "manual"], default="rca",
                   help="rca: presence where RCA >= threshold (default); manual: the value column is the presence")
    p.add_argument("--continuous", action="store_true", help="continuous proximity from RCA correlations")
    p.add_argument("--asymmetric", action="store_true", help="asymmetric proximity (probability of q given p)")
    p.add_argument("--knn", type=int, help="density from the k nearest domains only")
    p.set_defaults(func=cmd_complexity, skip_setup=True)

    p = subparsers.add_parser("proximity", parents=parents, help="proximity of every pair of domains in every year",
                              description="Write time, <prod>_1, <prod>_2, proximity for every year and pair of "
                                          "domains, as py-ecomplexity's proximity() computes them.")
    p.add_argument("--presence", choices=["rca", "manual"], default="rca",
                   help="rca: presence where RCA >= threshold (default); manual: the value column is the presence")
    p.add_argument("--continuous", action="store_true", help="continuous proximity from RCA correlations")
    p.add_argument("--asymmetric", action="store_true", help="asymmetric proximity (probability of q given p)")
    p.set_defaults(func=cmd_proximity, skip_setup=True)

    p = subparsers.add_parser("relatedness", parents=parents, help="relatedness of every pair of domains (EconGeo)",
                              description="Write time, <prod>_1, <prod>_2, relatedness: co-occurrences of domains "
                                          "in the same regions, normalised as EconGeo's relatedness() does.")
    p.add_argument("--method", choices=["prob", "association", "cosine", "jaccard"], default="prob")
    p.add_argument("--presence", choices=["rca", "count", "manual"], default="rca",
                   help="which regions hold a domain: RCA >= threshold (default), value >= threshold, or the "
                        "value column as a 0/1 presence")
    p.set_defaults(func=cmd_relatedness, skip_setup=True)


def cmd_complexity(args) -> int:
    from ris3hub.engines.s3 import ecomplexity_table

    def compute(data, cols):
        table = ecomplexity_table(data, cols, presence_test=args.presence, rca_mcp_threshold=args.threshold,
                                  continuous=args.continuous, asymmetric=args.asymmetric, knn=args.knn,
                                  check_logsupermodularity=False, verbose=False)
        keys = [cols["time"], cols["loc"], cols["prod"], cols["val"]]
        return table[keys + COMPLEXITY_COLUMNS]

    return _run(args, compute)


def cmd_proximity(args) -> int:
    from ris3hub.engines.s3 import proximity_table

    def compute(data, cols):
        return proximity_table(data, cols, presence_test=args.presence, rca_mcp_threshold=args.threshold,
                               continuous=args.continuous, asymmetric=args.asymmetric)

    return _run(args, compute)


def cmd_relatedness(args) -> int:
    from ris3hub.engines.s3 import co_occurrence, panel_from_long, presence, rca, relatedness

    def compute(data, cols):
        panel = panel_from_long(data, cols["time"], cols["loc"], cols["prod"], cols["val"], nan="zero", drop_empty=True)
        frames = []
        for t in panel.times:
            year = panel.year(t)
            if args.presence == "rca":
                incidence = presence(rca(year.X), args.threshold)
            elif args.presence == "count":
                incidence = presence(year.X, args.threshold)
            else:
                incidence = year.X
            rel = np.asarray(relatedness(co_occurrence(incidence), args.method))
            n = len(year.prods)
            frames.append(pd.DataFrame({cols["time"]: np.full(n * n, t),
                                        cols["prod"] + "_1": np.repeat(year.prods.to_numpy(), n),
                                        cols["prod"] + "_2": np.tile(year.prods.to_numpy(), n),
                                        "relatedness": rel.ravel()}))
        return pd.concat(frames, ignore_index=True)

    return _run(args, compute)


def _run(args, compute) -> int:
    from ris3hub.engines.s3 import S3InputError
    from ris3hub.engines.s3.ecomplexity_compat import DataWarning

    cols = {"time": args.time, "loc": args.loc, "prod": args.prod, "val": args.val}
    try:
        data = _read(Path(args.input), cols, args.delimiter)
        data = _check(args.input, data, cols, args)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table = compute(data, cols)
        for w in caught:
            if issubclass(w.category, UserWarning) and not issubclass(w.category, DataWarning):  # those are said above
                print(f"{args.input}: note: {w.message}", file=sys.stderr)
        _write(table, args.output)
    except (CommandError, S3InputError) as exc:
        print(f"{args.input}: {exc}", file=sys.stderr)
        return 1
    return 0


def _read(path: Path, cols: dict, delimiter: str) -> pd.DataFrame:
    if not path.is_file():
        raise CommandError("no such file")
    if path.suffix.lower() == ".parquet":
        return _read_parquet(path, cols)
    try:
        header = pd.read_csv(path, sep=delimiter, nrows=0, encoding="utf-8-sig").columns
    except UnicodeDecodeError as exc:
        raise CommandError(f"line 1: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except pd.errors.EmptyDataError as exc:
        raise CommandError("the file is empty") from exc
    missing = [f"{c} (--{k})" for k, c in cols.items() if c not in header]
    if missing:
        raise CommandError(f"line 1: no column {', '.join(missing)}; the header has {', '.join(map(str, header))}"
                           + ("" if len(header) > 1 else f" (is the delimiter {delimiter!r} right?)"))
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        arrow = pacsv.read_csv(path, parse_options=pacsv.ParseOptions(delimiter=delimiter),
                               convert_options=pacsv.ConvertOptions(
                                   include_columns=list(dict.fromkeys(cols.values())),
                                   column_types={cols[k]: pa.string() for k in ("time", "loc", "prod")}))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise CommandError(f"unreadable CSV: {exc}") from exc
    arrow = _numeric_times(arrow, cols["time"])
    data = arrow.to_pandas()
    if not pd.api.types.is_numeric_dtype(data[cols["time"]]):
        # years as numbers (sorted as numbers), anything else (dates, "2020-Q1") as written
        times = pd.to_numeric(data[cols["time"]], errors="coerce")
        if times.notna().sum() == data[cols["time"]].notna().sum():
            data[cols["time"]] = times
    if data.empty:
        raise CommandError("no rows after the header")
    data.index = pd.RangeIndex(2, len(data) + 2)  # line numbers, the header being line 1
    data.attrs["unit"] = "line"
    return data


def _numeric_times(arrow, column: str):
    """The time column as integers, or as floats, when every cell is one (a cast in Arrow: about a hundred
    times faster than pandas.to_numeric on millions of strings); unchanged otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    index = arrow.schema.get_field_index(column)
    for kind in (pa.int64(), pa.float64()):
        try:
            return arrow.set_column(index, column, pc.cast(arrow.column(index), kind))
        except pa.ArrowException:  # a cell that is not such a number
            continue
    return arrow


def _read_parquet(path: Path, cols: dict) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except pa.ArrowInvalid as exc:
        raise CommandError(f"not a Parquet file: {exc}") from exc
    missing = [f"{c} (--{k})" for k, c in cols.items() if c not in names]
    if missing:
        raise CommandError(f"no column {', '.join(missing)}; the file has {', '.join(names)}")
    data = pd.read_parquet(path, columns=list(dict.fromkeys(cols.values())))
    if data.empty:
        raise CommandError("no rows")
    data.index = pd.RangeIndex(1, len(data) + 1)
    data.attrs["unit"] = "row"
    return data


def _check(name: str, data: pd.DataFrame, cols: dict, args) -> pd.DataFrame:
    """Errors for what cannot be computed, notes (or --strict errors) for what py-ecomplexity absorbs."""
    errors, notes = [], []
    unit = data.attrs["unit"]

    def _lines(what, lines):
        lines = list(lines)
        shown = ", ".join(str(x) for x in lines[:SHOWN])
        more = f" and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
        return f"{what} at {unit}(s) {shown}{more}"

    for key in ("time", "loc", "prod"):
        empty = data[cols[key]].isna().to_numpy()
        if empty.any():
            errors.append(_lines(f"column {cols[key]}: empty", data.index[empty]))
    raw = data[cols["val"]]
    values = raw if pd.api.types.is_numeric_dtype(raw) else pd.to_numeric(raw, errors="coerce")
    missing = raw.isna().to_numpy()
    text = values.isna().to_numpy() & ~missing
    if text.any():
        shown = [f"{line} ({raw[line]!r})" for line in data.index[text][:SHOWN]]
        errors.append(f"column {cols['val']}: not a number at {unit}(s) {', '.join(shown)}"
                      + (f" and {int(text.sum()) - SHOWN} more" if text.sum() > SHOWN else ""))
    negative = (values < 0).to_numpy()
    if negative.any():
        errors.append(_lines(f"column {cols['val']}: negative value", data.index[negative]))
    if errors:
        raise CommandError("\n".join(errors))
    data = data.assign(**{cols["val"]: values})
    if missing.any():
        where = data.index[missing]
        if args.nan == "raise":
            raise CommandError(_lines(f"column {cols['val']}: missing value (choose --nan keep, zero or drop)", where))
        if args.nan == "zero":
            data.loc[missing, cols["val"]] = 0
        elif args.nan == "drop":
            data = data[~missing]
        notes.append(_lines(f"column {cols['val']}: missing value ({args.nan})", where))
    codes = {key: pd.factorize(data[cols[key]]) for key in ("time", "loc", "prod")}
    (t, times), (l, locs), (p, prods) = codes["time"], codes["loc"], codes["prod"]
    key = (t.astype(np.int64) * len(locs) + l) * len(prods) + p
    first = pd.Series(key).duplicated(keep="first").to_numpy()
    if first.any():
        repeated = np.isin(key, key[first])
        message = _lines(f"the same time, region and domain on more than one {unit} (the first is used)",
                         data.index[repeated])
        (errors if args.strict else notes).append(message)
        data, t, l, p = data[~first], t[~first], l[~first], p[~first]
    values = np.nan_to_num(data[cols["val"]].to_numpy(dtype=np.float64, na_value=np.nan))
    for codes_, labels, what in ((l, locs, "region"), (p, prods, "domain")):
        group = t.astype(np.int64) * len(labels) + codes_
        size = len(times) * len(labels)
        zero = np.flatnonzero((np.bincount(group, minlength=size) > 0)
                              & (np.bincount(group, weights=values, minlength=size) == 0))
        if len(zero):
            shown = [f"{labels[g % len(labels)]} in {times[g // len(labels)]}" for g in zero[:SHOWN]]
            (errors if args.strict else notes).append(
                f"{len(zero)} {what}(s) with only zero values in a year, left out of that year's computation: "
                f"{', '.join(shown)}" + (f" and {len(zero) - SHOWN} more" if len(zero) > SHOWN else ""))
    if errors:
        raise CommandError("\n".join(errors))
    for note in notes:
        print(f"{name}: note: {note}", file=sys.stderr)
    return data


def _write(table: pd.DataFrame, output: str) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if output.lower().endswith(".parquet"):
        table.to_parquet(output, index=False)
        return
    arrow = pa.Table.from_pandas(table, preserve_index=False)  # NaN becomes an empty cell
    options = pacsv.WriteOptions(quoting_style="needed")
    if output == "-":
        pacsv.write_csv(arrow, pa.PythonFile(sys.stdout.buffer, mode="w"), write_options=options)
        sys.stdout.flush()
    else:
        pacsv.write_csv(arrow, output, write_options=options)
