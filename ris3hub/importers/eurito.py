"""Reader of Nesta EURITO indicator files: a CSV and the JSON schema that describes it.

The CSV has the columns ``year, region_type, region_year_spec, region_id, region_level`` and a
last column named by the schema's ``value.id`` (``arxiv_count``); the schema (``arxiv_count.json``
beside the CSV) gives the column order, the value's type (int or float), its label, title,
description and source. The reader checks the CSV against the schema and each row by itself
(types, a NUTS-shaped code whose level matches ``region_level``, no region twice in a year);
whether the code is a NUTS code of ``region_year_spec`` is for the loader, which knows the regions.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ris3hub.importers.base import InputError, RowError, clean_text, read_csv, read_json, read_text
from ris3hub.importers.nuts import NUTS_CODE

KEY_COLUMNS = ["year", "region_type", "region_year_spec", "region_id", "region_level"]
VALUE_TYPES = {"int": int, "float": float}


@dataclass
class Schema:
    path: Path
    value_id: str
    value_type: str
    label: str
    title: str
    description: str
    source: str
    source_url: str
    region_types: list[str]


class EuritoRow(NamedTuple):
    year: int
    nuts_version: int
    region_id: str
    value: float | None
    line: int


@dataclass
class EuritoFile:
    path: Path
    schema: Schema
    rows: list[EuritoRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(clean_text(v) for v in value if clean_text(v))
    return clean_text(value)


def read_schema(path: Path) -> Schema:
    data = read_json(path)

    def fail(column: str | None, reason: str) -> InputError:
        return InputError(RowError(str(path), None, column, reason))

    if not isinstance(data, dict) or not isinstance(data.get("schema"), dict):
        raise fail("schema", "not a EURITO schema: no 'schema' object")
    value = data["schema"].get("value")
    if not isinstance(value, dict) or not clean_text(value.get("id")):
        raise fail("schema.value.id", "the schema names no value column (schema.value.id is empty)")
    value_type = clean_text(value.get("data_type"))
    if value_type not in VALUE_TYPES:
        raise fail("schema.value.data_type", f"'{value_type}' is not one of {', '.join(VALUE_TYPES)}")
    order = data.get("order")
    expected = KEY_COLUMNS + ["value.id"]
    if order is not None and order != expected:
        raise fail("order", f"the column order {order} is not {expected}")
    urls = data.get("source_url")
    url = urls[0] if isinstance(urls, list) and urls else urls
    return Schema(
        path=path,
        value_id=clean_text(value["id"]),
        value_type=value_type,
        label=_text(value.get("label")) or clean_text(value["id"]),
        title=_text(data.get("title")),
        description=_text(data.get("subtitle")) or _text(data.get("description")),
        source=_text(data.get("source_name")) or "Nesta",
        source_url=clean_text(url),
        region_types=[clean_text(t) for t in data.get("region_types") or ["NUTS"]],
    )


def read_eurito(csv_path: Path, schema: Schema) -> EuritoFile:
    out = EuritoFile(csv_path, schema)
    columns = KEY_COLUMNS + [schema.value_id]
    try:
        header = [h.strip() for h in next(csv.reader([read_text(csv_path).split("\n", 1)[0].rstrip("\r")]))]
    except csv.Error as exc:  # a lone quote or carriage return in the header line
        raise InputError(RowError(str(csv_path), 1, None, f"cannot read the header: {exc}")) from exc
    rows = read_csv(csv_path, KEY_COLUMNS)
    if header != columns and all(c in header for c in KEY_COLUMNS):
        raise InputError(RowError(str(csv_path), 1, header[-1],
                                  f"the columns are {', '.join(header)}; the schema {schema.path.name} says "
                                  f"{', '.join(columns)}"))
    seen: dict[tuple[int, str], int] = {}
    twice: set[tuple[int, str]] = set()
    cast = VALUE_TYPES[schema.value_type]
    for item in rows:
        if isinstance(item, RowError):
            out.errors.append(item)
            continue
        line, row = item
        checked = _check(csv_path, line, row, schema, cast)
        if isinstance(checked, RowError):
            out.errors.append(checked)
            continue
        key = (checked.year, checked.region_id)
        if key in seen:
            out.errors.append(RowError(str(csv_path), line, "region_id",
                                       f"{checked.region_id} in {checked.year} is also on line {seen[key]}; "
                                       "neither line is imported"))
            twice.add(key)
            continue
        seen[key] = line
        out.rows.append(checked)
    out.rows = [r for r in out.rows if (r.year, r.region_id) not in twice]
    if not out.rows and not out.errors:
        raise InputError(RowError(str(csv_path), None, None, "the file has a header but no rows"))
    return out


def _check(path: Path, line: int, row: dict[str, str], schema: Schema, cast) -> EuritoRow | RowError:
    def error(column: str, reason: str) -> RowError:
        return RowError(str(path), line, column, reason)

    numbers = {}
    for column in ("year", "region_year_spec", "region_level"):
        text = row[column].strip()
        if not re.fullmatch(r"\d+", text):
            return error(column, f"'{text}' is not a whole number")
        numbers[column] = int(text)
    if row["region_type"].strip() not in schema.region_types:
        return error("region_type", f"'{row['region_type']}' is not one of {', '.join(schema.region_types)}")
    code = row["region_id"].strip().upper()
    if not NUTS_CODE.match(code):
        return error("region_id", f"'{row['region_id']}' is not a NUTS code")
    if numbers["region_level"] != len(code) - 2:
        return error("region_level", f"level {numbers['region_level']} does not match {code} (a level-{len(code) - 2} code)")
    text = row[schema.value_id].strip()
    if text in ("", "NA", "nan"):
        value = None
    else:
        try:
            number = float(text)
        except ValueError:
            return error(schema.value_id, f"'{text}' is not a number")
        if cast is int and not number.is_integer():
            return error(schema.value_id, f"'{text}' is not a whole number, as the schema's data_type int says")
        value = number
    return EuritoRow(numbers["year"], numbers["region_year_spec"], code, value, line)
