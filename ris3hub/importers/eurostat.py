"""Reader of Eurostat tables by region and year: the TSV as downloaded, and tidy CSV.

* TSV (``nama_10r_3gdp.tsv``, also gzip-compressed ``.tsv.gz``): a header
  ``freq,unit,geo\\TIME_PERIOD<TAB>2000<TAB>2001 ...`` (any number of dimensions before ``geo``
  or after it), then one line per combination of dimensions, each year's cell a number followed
  by its flags (``5400 p``) or ``:`` where there is no value (``: c`` with a flag).
* Tidy CSV, as R's eurostat package and Eurostat's SDMX-CSV give it: one column per dimension,
  ``geo``, a time column (``time`` / ``TIME_PERIOD``), a value column (``values`` / ``OBS_VALUE``)
  and optionally the flags (``flags`` / ``OBS_FLAG``).

The dataset code is the file name (``nama_10r_3gdp.tsv.gz``, ``estat_nama_10r_3gdp.tsv``); each
combination of the dimensions other than geo and time is one indicator, coded
``nama_10r_3gdp:unit=PPS_EU27_2020_HAB`` (the annual ``freq=A`` is left out). Only annual data can
be stored. Geo codes are kept as published: NUTS codes of any version, and aggregates such as
EU27_2020 that regional pages compare with.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ris3hub.importers.base import InputError, RowError

GEO = re.compile(r"^[A-Z]{2}[A-Z0-9_-]{0,18}$")
CELL = re.compile(r"^(?P<value>:|[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?:\s+(?P<flags>[a-z]+))?$|^(?P<flagged>:)(?P<flags2>[a-z]+)$")
# Eurostat flags: b break in time series, c confidential, d definition differs, e estimated, f forecast,
# i see metadata, n not significant, p provisional, r revised, s Eurostat estimate, u low reliability, z not applicable.
FLAGS = "bcdefinprsuz"

DATASET_TITLES = {
    "nama_10r_3gdp": "Gross domestic product (GDP) at current market prices by NUTS 3 regions",
    "nama_10r_2gdp": "Gross domestic product (GDP) at current market prices by NUTS 2 regions",
    "pat_ep_rtot": "Patent applications to the EPO by priority year by NUTS 3 regions",
    "pat_ep_rtot_and_gdp": "Patent applications to the EPO by priority year (pat_ep_rtot) and GDP, by NUTS region",
    "rd_p_persreg": "R&D personnel and researchers by sector of performance, sex and NUTS 2 regions",
    "regional_rd_personnel": "R&D personnel by sector of performance, sex and NUTS region (rd_p_persreg)",
}
UNIT_LABELS = {
    "MIO_EUR": "million euro",
    "MIO_NAC": "million units of national currency",
    "MIO_PPS_EU27_2020": "million purchasing power standards (PPS, EU27 from 2020)",
    "EUR_HAB": "euro per inhabitant",
    "EUR_HAB_EU27_2020": "euro per inhabitant in percentage of the EU27 (from 2020) average",
    "PPS_EU27_2020_HAB": "purchasing power standard (PPS, EU27 from 2020) per inhabitant",
    "PPS_HAB_EU27_2020": "purchasing power standard (PPS, EU27 from 2020) per inhabitant in percentage of the EU27 (from 2020) average",
    "NR": "number",
    "P_MHAB": "per million inhabitants",
    "P_MACT": "per million of active population",
    "GDP_BEUR": "GDP, billion euro",
    "FTE": "full-time equivalent (FTE)",
    "HC": "head count",
}
TIME_COLUMNS = ("time", "time_period", "year")
VALUE_COLUMNS = ("values", "value", "obs_value")
FLAG_COLUMNS = ("flags", "flag", "obs_flag")
IGNORED_COLUMNS = ("dataflow", "last update")


class Observation(NamedTuple):
    dims: tuple[tuple[str, str], ...]
    geo: str
    year: int
    value: float | None
    flags: str
    line: int


@dataclass
class EurostatTable:
    path: Path
    dataset: str
    official_tsv: bool
    observations: list[Observation] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def dataset_from_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".tsv", ".csv", ".txt"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    name = re.sub(r"^estat_", "", name, flags=re.I)
    return name.lower()


def indicator_code(dataset: str, dims: tuple[tuple[str, str], ...]) -> str:
    if not dims:
        return dataset
    return f"{dataset}:" + ",".join(f"{d}={v}" for d, v in dims)


def indicator_label(dataset: str, dims: tuple[tuple[str, str], ...]) -> str:
    parts = [UNIT_LABELS.get(v, v) if d == "unit" else f"{d}={v}" for d, v in dims]
    title = DATASET_TITLES.get(dataset, dataset)
    return f"{title}: {', '.join(parts)}" if parts else title


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of a plain or gzip-compressed UTF-8 file, refusing other encodings."""
    try:
        with open(path, "rb") as fh:
            compressed = fh.read(2) == b"\x1f\x8b"
    except OSError as exc:  # missing, a folder, unreadable
        raise InputError(RowError(str(path), None, None, f"cannot read the file: {exc.strerror}")) from exc
    opener = gzip.open if compressed else open
    number = 0
    try:
        with opener(path, "rb") as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(RowError(str(path), number, None,
                                              f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")) from exc
                if number == 1:
                    text = text.lstrip("\ufeff")
                yield number, text.rstrip("\r\n")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(RowError(str(path), number + 1, None, f"the compressed file is truncated or damaged ({exc})")) from exc


def read_eurostat(path: Path) -> EurostatTable:
    """Observations of a Eurostat TSV or tidy CSV; InputError when the file cannot be read as one."""
    lines = _lines(path)
    first = next(((n, t) for n, t in lines if t.strip()), None)
    if first is None:
        raise InputError(RowError(str(path), None, None, "the file is empty"))
    dataset = dataset_from_name(path)
    header_cell = first[1].split("\t", 1)[0]
    read = _read_tsv if "\\" in header_cell else _read_csv
    table = read(path, dataset, first, lines)
    if not table.observations and not table.errors:
        raise InputError(RowError(str(path), None, None, "the file has a header but no rows"))
    return table


def _year(text: str) -> int | None:
    m = re.fullmatch(r"(\d{4})(?:\.0+|-01-01)?", text.strip())
    return int(m.group(1)) if m else None


def _read_tsv(path: Path, dataset: str, first: tuple[int, str], lines: Iterator[tuple[int, str]]) -> EurostatTable:
    table = EurostatTable(path, dataset, official_tsv=True)
    cells = first[1].split("\t")
    if len(cells) < 2:
        raise InputError(RowError(str(path), first[0], None,
                                  "the header has no tab: a Eurostat TSV separates the years by tabs (wrong delimiter?)"))
    dims_part = cells[0].split("\\", 1)[0]
    dims = [d.strip() for d in dims_part.split(",")]
    if "geo" not in [d.lower() for d in dims]:
        raise InputError(RowError(str(path), first[0], cells[0], "the header names no 'geo' dimension"))
    geo_index = [d.lower() for d in dims].index("geo")
    years: list[int] = []
    for cell in cells[1:]:
        year = _year(cell)
        if year is None:
            raise InputError(RowError(str(path), first[0], cell.strip(),
                                      f"'{cell.strip()}' is not a year: only annual data can be imported"))
        if year in years:
            raise InputError(RowError(str(path), first[0], cell.strip(), f"the year {year} appears twice in the header"))
        years.append(year)
    seen: dict[tuple, int] = {}
    ambiguous: set[tuple] = set()
    width = len(cells)
    for number, text in lines:
        if not text.strip():
            continue
        row = text.split("\t")
        if len(row) != width:
            table.errors.append(RowError(str(path), number, None,
                                         f"{len(row)} tab-separated fields where the header has {width} (truncated line?)"))
            continue
        codes = [c.strip() for c in row[0].split(",")]
        if len(codes) != len(dims):
            table.errors.append(RowError(str(path), number, cells[0].strip(),
                                         f"{len(codes)} comma-separated codes where the header names {len(dims)} ({dims_part})"))
            continue
        geo = codes[geo_index]
        if not GEO.match(geo):
            table.errors.append(RowError(str(path), number, "geo", f"'{geo}' is not a geo code"))
            continue
        key_dims = tuple((d, c) for i, (d, c) in enumerate(zip(dims, codes)) if i != geo_index and not _is_annual_freq(d, c))
        key = (key_dims, geo)
        if key in seen:
            table.errors.append(RowError(str(path), number, "geo",
                                         f"{geo} of {indicator_code(dataset, key_dims)} is also on line {seen[key]}; "
                                         "neither line is imported"))
            ambiguous.add(key)
            continue
        seen[key] = number
        for year, cell in zip(years, row[1:]):
            parsed = _cell(cell)
            if isinstance(parsed, str):
                table.errors.append(RowError(str(path), number, str(year), parsed))
                continue
            table.observations.append(Observation(key_dims, geo, year, parsed[0], parsed[1], number))
    if ambiguous:
        table.observations = [o for o in table.observations if (o.dims, o.geo) not in ambiguous]
    return table


def _is_annual_freq(dim: str, code: str) -> bool:
    return dim.lower() == "freq" and code == "A"


def _cell(text: str) -> tuple[float | None, str] | str:
    """(value, flags) of a TSV cell, or the reason it is malformed."""
    s = text.strip()
    m = CELL.match(s)
    if not m:
        return f"'{s}' is not a number with optional flags (such as '5400 p') or ':'"
    flags = m.group("flags") or m.group("flags2") or ""
    if set(flags) - set(FLAGS):
        return f"'{s}' has unknown flags '{flags}' (Eurostat flags are {', '.join(FLAGS)})"
    value = m.group("value")
    if value is None or value == ":":
        return None, flags
    return float(value), flags


def _read_csv(path: Path, dataset: str, first: tuple[int, str], lines: Iterator[tuple[int, str]]) -> EurostatTable:
    table = EurostatTable(path, dataset, official_tsv=False)
    try:
        header = next(csv.reader([first[1]]))
    except csv.Error as exc:  # a lone quote or carriage return in the header line
        raise InputError(RowError(str(path), first[0], None, f"cannot read the header: {exc}")) from exc
    names = [h.strip() for h in header]
    lower = [n.lower() for n in names]

    def find(options: tuple[str, ...]) -> int | None:
        return next((lower.index(o) for o in options if o in lower), None)

    geo_i, time_i, value_i, flag_i = find(("geo",)), find(TIME_COLUMNS), find(VALUE_COLUMNS), find(FLAG_COLUMNS)
    if geo_i is None or time_i is None or value_i is None:
        missing = [n for n, i in (("geo", geo_i), ("time", time_i), ("values", value_i)) if i is None]
        hint = ""
        for other, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if other in first[1]:
                hint = f" (the header looks {name}-separated; expected comma-separated)"
                break
        raise InputError(RowError(str(path), first[0], ", ".join(missing),
                                  f"not a Eurostat table: missing column(s) {', '.join(missing)}{hint}"))
    dim_cols = [i for i, n in enumerate(lower) if i not in (geo_i, time_i, value_i, flag_i) and n not in IGNORED_COLUMNS]
    seen: dict[tuple, int] = {}
    ambiguous: set[tuple] = set()
    numbered = iter(lines)
    current = [first[0]]

    def texts() -> Iterator[str]:
        for number, text in numbered:
            current[0] = number
            yield text + "\n"

    reader = csv.reader(texts(), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.errors.append(RowError(str(path), current[0], None, f"malformed CSV: {exc}"))
            break
        number = current[0]
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(names):
            table.errors.append(RowError(str(path), number, None,
                                         f"{len(row)} fields where the header has {len(names)} (truncated row or stray delimiter?)"))
            continue
        geo = row[geo_i].strip()
        if not GEO.match(geo):
            table.errors.append(RowError(str(path), number, names[geo_i], f"'{geo}' is not a geo code"))
            continue
        year = _year(row[time_i])
        if year is None:
            table.errors.append(RowError(str(path), number, names[time_i], f"'{row[time_i].strip()}' is not a year"))
            continue
        raw = row[value_i].strip()
        if raw in ("", "NA", ":"):
            value = None
        else:
            try:
                value = float(raw)
            except ValueError:
                table.errors.append(RowError(str(path), number, names[value_i], f"'{raw}' is not a number"))
                continue
        flags = row[flag_i].strip() if flag_i is not None else ""
        if set(flags) - set(FLAGS):
            table.errors.append(RowError(str(path), number, names[flag_i], f"'{flags}' are not Eurostat flags ({FLAGS})"))
            continue
        dims = tuple((names[i], row[i].strip()) for i in dim_cols if not _is_annual_freq(names[i], row[i].strip()))
        key = (dims, geo, year)
        if key in seen:
            table.errors.append(RowError(str(path), number, names[geo_i],
                                         f"{geo} {year} of {indicator_code(dataset, dims)} is also on line {seen[key]}; "
                                         "neither line is imported"))
            ambiguous.add(key)
            continue
        seen[key] = number
        table.observations.append(Observation(dims, geo, year, value, flags, number))
    if ambiguous:
        table.observations = [o for o in table.observations if (o.dims, o.geo, o.year) not in ambiguous]
    return table
