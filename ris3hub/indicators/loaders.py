"""Loaders of indicators by region and year: Eurostat tables (``import eurostat``), Nesta EURITO (``import eurito``).

Each dataset and combination of dimensions is one Indicator (upserted on its code, e.g.
``nama_10r_3gdp:unit=PPS_EU27_2020_HAB``); each value one Observation, upserted on
(indicator, geo code, year). GDP per head in PPS of a region and year is then
``Observation.objects.get(indicator__code="nama_10r_3gdp:unit=PPS_EU27_2020_HAB", region_code="ITH5", year=2021)``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ris3hub.importers.base import InputError, RowError
from ris3hub.importers.eurito import EuritoFile, Schema, read_eurito, read_schema
from ris3hub.importers.eurostat import EurostatTable, indicator_code, indicator_label, read_eurostat
from ris3hub.indicators.models import Indicator, Observation
from ris3hub.regions.resolve import RegionResolver

OBSERVATION_KEY = ("indicator_id", "region_code", "year")


def observation_upserter(ctx, indicator_ids: list[int]):
    """Observations of the given indicators only: the table may hold millions of others."""
    return ctx.upserter(Observation, OBSERVATION_KEY, batch_size=5000,
                        queryset=Observation.objects.filter(indicator_id__in=indicator_ids))


def _files(paths: list[Path], pattern: str) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += sorted(p.glob(pattern)) if p.is_dir() else [p]
    return out


def _rejecting(ctx, read, *args):
    """The result of a reader, or None after recording why the whole file was rejected."""
    try:
        return read(*args)
    except InputError as exc:
        for error in exc.errors:
            ctx.reject(error)
        return None


# ---- Eurostat


def load_eurostat(paths: list[Path], ctx) -> None:
    tables: list[EurostatTable] = []
    datasets: dict[str, Path] = {}
    files = _files(paths, "*.[tc]sv*")
    if not files:
        named = ", ".join(str(p) for p in paths)
        ctx.reject(RowError(str(paths[0]) if paths else "", None, None,
                            f"no Eurostat file (*.tsv, *.csv, optionally .gz) in {named}"))
        return
    for path in files:
        table = _rejecting(ctx, read_eurostat, path)
        if table is None:
            continue
        for error in table.errors:
            ctx.reject(error)
        if table.dataset in datasets:
            ctx.reject(RowError(str(path), None, None,
                                f"the dataset {table.dataset} is also in {datasets[table.dataset].name}; import one of them"))
            continue
        datasets[table.dataset] = path
        tables.append(table)
    indicators = ctx.upserter(Indicator, ("code",))
    codes: dict[tuple[str, tuple], str] = {}
    for table in tables:
        for dims in dict.fromkeys(o.dims for o in table.observations):
            code = indicator_code(table.dataset, dims)
            values = {
                "code": code,
                "dataset": table.dataset,
                "unit": dict(dims).get("unit", ""),
                "label": indicator_label(table.dataset, dims),
                "description": ", ".join(f"{d}={v}" for d, v in dims),
                "source": "Eurostat",
                "source_url": (f"https://ec.europa.eu/eurostat/databrowser/view/{table.dataset}/default/table"
                               if table.official_tsv else ""),
            }
            too_long = _too_long(Indicator, values)
            if too_long:
                ctx.reject(RowError(str(table.path), None, too_long, f"'{values[too_long]}' is longer than the database allows"))
                continue
            codes[(table.dataset, dims)] = code
            indicators.put((values.pop("code"),), values)
    indicators.flush()
    ids = {code: indicators.get((code,)).pk for code in codes.values()}
    observations = observation_upserter(ctx, list(ids.values()))
    for table in tables:
        for o in ctx.rows(table.observations, desc=table.path.name, total=len(table.observations)):
            code = codes.get((table.dataset, o.dims))
            if code is None:
                continue
            observations.put((ids[code], o.geo, o.year), {"value": o.value, "flags": o.flags, "nuts_version": None})
    observations.flush()


# ---- EURITO


def _pair_schemas(paths: list[Path], ctx) -> list[tuple[Path, Path]]:
    """(CSV, schema) pairs: a schema named on the command line with the CSV's name, the only
    schema named beside the only CSV, or the JSON file of the same name beside the CSV."""
    csvs = [p for p in _files(paths, "*.csv") if p.suffix.lower() == ".csv"]
    schemas = [p for p in paths if p.is_file() and p.suffix.lower() == ".json"]
    if not csvs:
        ctx.reject(RowError(str(paths[0]), None, None, "no EURITO CSV file among the paths"))
        return []
    named = {s.stem: s for s in schemas}
    pairs, used = [], set()
    for csv_path in csvs:
        schema = named.get(csv_path.stem)
        if schema is None and len(csvs) == 1 and len(schemas) == 1:
            schema = schemas[0]
        if schema is None:
            schema = csv_path.with_suffix(".json")
        if not schema.exists():
            ctx.reject(RowError(str(csv_path), None, None,
                                f"no JSON schema: {schema.name} is not beside the CSV; name it on the command line"))
            continue
        used.add(schema)
        pairs.append((csv_path, schema))
    for schema in schemas:
        if schema not in used:
            ctx.reject(RowError(str(schema), None, None, "no CSV file of this schema among the paths"))
    return pairs


class _NutsCodes:
    """Which codes are NUTS codes of a version, with the nearest version for countries a list leaves out."""

    def __init__(self, resolver: RegionResolver):
        self.codes = {v: set(codes) for v, codes in resolver.codes.items()}
        self.countries: dict[str, list[int]] = defaultdict(list)
        for version, codes in self.codes.items():
            for country in {c[:2] for c in codes}:
                self.countries[country].append(version)

    def check(self, code: str, version: int) -> str | None:
        """None when ``code`` is a NUTS ``version`` code, else the reason it is not.

        The official NUTS lists of a version cover the EU members of the time (and the
        statistical regions agreed then); a country the loaded list of ``version`` does not cover
        (Switzerland in NUTS 2013) is checked against the nearest version that covers it.
        """
        if code in self.codes.get(version, ()):
            return None
        country = code[:2]
        covering = self.countries.get(country, [])
        if version in covering or not covering:
            loaded = ", ".join(map(str, sorted(self.codes)))
            return f"'{code}' is not a NUTS {version} code (NUTS versions loaded: {loaded})"
        nearest = min(covering, key=lambda v: (abs(v - version), -v))
        if code in self.codes[nearest]:
            return None
        return (f"'{code}' is not a NUTS {version} code, nor a code of NUTS {nearest} "
                f"(the nearest version listing {country})")


def load_eurito(paths: list[Path], ctx) -> None:
    resolver = RegionResolver()
    if not resolver.codes:
        raise InputError(RowError(str(paths[0]), None, None, "no NUTS regions are loaded; run `ris3hub import nuts` first"))
    nuts = _NutsCodes(resolver)
    files: list[EuritoFile] = []
    seen: dict[str, Path] = {}
    for csv_path, schema_path in _pair_schemas(paths, ctx):
        schema = _rejecting(ctx, read_schema, schema_path)
        if schema is None:
            continue
        if schema.value_id in seen:
            ctx.reject(RowError(str(csv_path), None, None,
                                f"the indicator {schema.value_id} is also in {seen[schema.value_id].name}"))
            continue
        eurito = _rejecting(ctx, read_eurito, csv_path, schema)
        if eurito is None:
            continue
        seen[schema.value_id] = csv_path
        for error in eurito.errors:
            ctx.reject(error)
        files.append(eurito)
    indicators = ctx.upserter(Indicator, ("code",))
    for eurito in list(files):
        values = _eurito_indicator(eurito.schema)
        too_long = _too_long(Indicator, values)
        if too_long:
            ctx.reject(RowError(str(eurito.schema.path), None, too_long, "longer than the database allows"))
            files.remove(eurito)
            continue
        indicators.put((_eurito_code(eurito.schema),), values)
    indicators.flush()
    ids = {eurito.path: indicators.get((_eurito_code(eurito.schema),)).pk for eurito in files}
    observations = observation_upserter(ctx, list(ids.values()))
    for eurito in files:
        unloaded = defaultdict(list)
        for row in eurito.rows:
            if row.nuts_version not in nuts.codes:
                unloaded[row.nuts_version].append(row.line)
        for version, lines in sorted(unloaded.items()):
            ctx.reject(RowError(str(eurito.path), lines[0], "region_year_spec",
                                f"{len(lines)} row(s) use NUTS {version} codes, and no NUTS {version} regions are loaded; "
                                f"import a code list of NUTS {version} first (rOpenGov all_valid_nuts_codes.csv lists "
                                "every version 1999-2021)"))
        for row in ctx.rows(eurito.rows, desc=eurito.path.name, total=len(eurito.rows)):
            if row.nuts_version in unloaded:
                continue
            reason = nuts.check(row.region_id, row.nuts_version)
            if reason:
                ctx.reject(RowError(str(eurito.path), row.line, "region_id", reason))
                continue
            observations.put((ids[eurito.path], row.region_id, row.year),
                             {"value": row.value, "flags": "", "nuts_version": row.nuts_version})
    observations.flush()


def _too_long(model, values: dict) -> str | None:
    """The first text field longer than its column, if any."""
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            return name
    return None


def _eurito_code(schema: Schema) -> str:
    return f"eurito:{schema.value_id}"


def _eurito_indicator(schema: Schema) -> dict:
    measure = re.search(r"\(([^)]*)\)\s*$", schema.title)
    return {
        "dataset": "eurito",
        "unit": measure.group(1) if measure else "",
        "label": schema.label,
        "description": schema.description,
        "source": schema.source,
        "source_url": schema.source_url,
        "topic": re.sub(r"\s*\([^)]*\)\s*$", "", schema.title),
    }
