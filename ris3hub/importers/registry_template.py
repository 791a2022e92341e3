"""Reader of the ris3hub registry template: the sheets an agency fills to load its network.

The template has six sheets, given as the sheets of one .xlsx workbook, as CSV files named
after them (``organisations.csv``, ...) in a folder, or as any single one of those CSVs:

* organisations: one row per organisation, with ``ref``, the agency's own identifier, that
  the other sheets use to point at it;
* memberships, competences, equipment, services, contracts: rows pointing at organisations
  by ``ref``.

:data:`SHEETS` declares every column (type, whether it is required, help, example); the
blank template files, the 'instructions' sheet and docs/registry-template.md are made from
it. This module checks what a file can tell by itself: the header, required values,
formats, allowed values (the vocabularies are passed in by the loader) and duplicate keys.
References to organisations, NUTS codes and concepts are checked by the loader.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ris3hub.importers.base import (
    InputError,
    Row,
    RowError,
    clean_text,
    parse_bool,
    parse_date,
    parse_decimal,
    read_csv,
    read_xlsx,
)

INSTRUCTIONS_SHEET = "instructions"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # one of FORMATS
    required: bool = False
    help: str = ""
    example: str = ""
    max_length: int | None = None
    vocabulary: str = ""  # for type "choice": the name of the allowed values, passed in by the loader
    default: str = ""  # for type "choice": the value a blank cell means


FORMATS = {
    "text": "text",
    "ref": "text: the ref of an organisation (organisations sheet, or already loaded)",
    "choice": "one of the allowed values",
    "nuts": "NUTS code of any version (2013, 2016, 2021, 2024), e.g. ITH55",
    "country": "two-letter country code (ISO 3166-1; EL for Greece as in NUTS)",
    "url": "web address starting with http:// or https://",
    "pic": "9 digits",
    "date": "date as YYYY-MM-DD or DD/MM/YYYY (or a spreadsheet date)",
    "decimal": "number in euro, e.g. 125000.50 (no currency sign)",
    "trl": "whole number from 1 to 9",
    "bool": "yes or no",
    "concepts": "scheme:code of loaded concepts, separated by ';', e.g. er-rat:ict-e-design/big-data",
}


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


_REF_HELP = "The ref of the organisation (column ref of the organisations sheet)."

SHEETS: dict[str, Sheet] = {s.name: s for s in (
    Sheet("organisations", "One row per organisation of the network.", (
        Column("ref", "text", True, "Your own identifier of the organisation, unique in your registry; the other "
               "sheets point at the organisation with it. Kept as the organisation's 'registry' identifier.",
               "ciri-ict", 200),
        Column("name", "text", True, "Official name.", "CIRI ICT - Centro Interdipartimentale di Ricerca "
               "Industriale ICT", 400),
        Column("kind", "choice", True, "What the organisation is.", "laboratory", vocabulary="organisation_kind"),
        Column("short_name", "text", False, "Acronym or usual short name.", "CIRI ICT", 120),
        Column("is_sme", "bool", False, "For companies: whether it is a small or medium-sized enterprise.", "no"),
        Column("pic", "pic", False, "EU Participant Identification Code, as in the EU Funding & Tenders portal.",
               ""),
        Column("vat", "text", False, "VAT number (partita IVA), with or without the country prefix.", "", 30),
        Column("ror", "text", False, "Research Organization Registry identifier.", "", 40),
        Column("website", "url", False, "Home page.", "https://www.unibo.it", 300),
        Column("street", "text", False, "Street and number.", "", 300),
        Column("postcode", "text", False, "Postal code.", "", 20),
        Column("city", "text", False, "City.", "Bologna", 120),
        Column("country", "country", False, "Country; when blank, the country of the region's NUTS code.", "IT"),
        Column("region", "nuts", False, "NUTS region, preferably NUTS-3; any NUTS version is accepted and "
               "mapped to the version in use.", "ITH55"),
        Column("description", "text", False, "What the organisation does, in English.", ""),
        Column("description_it", "text", False, "What the organisation does, in Italian.", ""),
        Column("trl", "trl", False, "Technology readiness level of its main offer.", "6"),
        Column("looking_for", "text", False, "What it is looking for (partners, investors, ...).", "", 500),
        Column("domains", "concepts", False, "Specialisation domains: concepts of loaded classification schemes.",
               "er-rat:ict-e-design; er-rat:ict-e-design/big-data"),
    ), key=("ref",)),
    Sheet("memberships", "Who belongs to which network: lab in technopole, member of cluster, ...", (
        Column("member_ref", "ref", True, "The ref of the member.", "ciri-ict"),
        Column("network_ref", "ref", True, "The ref of the network, technopole, platform, cluster or district.",
               "rete-alta-tecnologia"),
        Column("kind", "choice", True, "What kind of membership.", "network_member", vocabulary="membership_kind"),
        Column("status", "choice", False, "Accreditation status.", "accredited", vocabulary="membership_status",
               default="none"),
        Column("start", "date", False, "Since when.", "2021-01-01"),
        Column("end", "date", False, "Until when (blank while it lasts).", ""),
    ), key=("member_ref", "network_ref", "kind")),
    Sheet("competences", "What an organisation knows how to do.", (
        Column("organisation_ref", "ref", True, _REF_HELP, "mist-er"),
        Column("name", "text", True, "The competence, in a few words.", "Micro and nano fabrication", 300),
        Column("description", "text", False, "More detail.", ""),
        Column("concepts", "concepts", False, "Concepts of loaded classification schemes it relates to.",
               "er-rat:meccanica-materiali/materiali"),
    ), key=("organisation_ref", "name")),
    Sheet("equipment", "Equipment and facilities, and how others can use them.", (
        Column("organisation_ref", "ref", True, _REF_HELP, "mist-er"),
        Column("name", "text", True, "The equipment or facility.", "Clean room", 300),
        Column("description", "text", False, "What it is and what it can do.", ""),
        Column("location", "text", False, "Where it is.", "Bologna", 300),
        Column("access", "choice", False, "How others can use it.", "service", vocabulary="equipment_access",
               default="service"),
        Column("conditions", "text", False, "Access conditions: prices, booking rules, ...", ""),
        Column("booking_contact", "text", False, "Who to ask, e.g. an e-mail address.", "", 200),
    ), key=("organisation_ref", "name")),
    Sheet("services", "The services catalogue.", (
        Column("organisation_ref", "ref", True, _REF_HELP, "art-er"),
        Column("category", "choice", True, "Kind of service.", "calls", vocabulary="service_category"),
        Column("name", "text", True, "The service.", "Support to regional calls", 300),
        Column("description", "text", False, "More detail.", ""),
    ), key=("organisation_ref", "name")),
    Sheet("contracts", "Research contracts of laboratories with companies.", (
        Column("lab_ref", "ref", True, "The ref of the laboratory (or research organisation).", "ciri-ict"),
        Column("company_ref", "ref", True, "The ref of the company.", "acme"),
        Column("reference", "text", True, "The contract's identifier, unique for the laboratory.", "2023/117", 100),
        Column("title", "text", False, "Title or subject.", "", 400),
        Column("value", "decimal", False, "Value in euro.", "48000"),
        Column("date", "date", False, "Date of signature.", "2023-05-16"),
    ), key=("lab_ref", "reference")),
)}


def sheet_label(path: Path, sheet: str) -> str:
    """How errors name where a row is: the file, and the sheet of a workbook."""
    return f"{path} (sheet {sheet})" if path.suffix.lower() in (".xlsx", ".xlsm") else str(path)


@dataclass
class Source:
    """One sheet of the template, read: its rows (or the errors of rows that could not be read)."""

    sheet: Sheet
    label: str
    items: list[tuple[int, dict[str, Any]] | RowError] = field(default_factory=list)


def _check_header(label: str, sheet: Sheet, header: list[str]) -> list[RowError]:
    errors = []
    missing = [c for c in sheet.required if c not in header]
    if missing:
        errors.append(RowError(label, 1, ", ".join(missing), f"missing column(s) {', '.join(missing)}"))
    unknown = [h for h in header if h and h not in sheet.column_names]
    if unknown:
        errors.append(RowError(label, 1, ", ".join(unknown), f"unknown column(s) for sheet {sheet.name}; "
                               f"the columns are {', '.join(sheet.column_names)}"))
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        errors.append(RowError(label, 1, ", ".join(repeated), "column(s) given twice"))
    return errors


def _read_csv_source(path: Path, sheet: Sheet) -> Source:
    source = Source(sheet, str(path))
    items = list(read_csv(path, sheet.required))
    if items and not isinstance(items[0], RowError):
        errors = _check_header(str(path), sheet, list(items[0][1]))
        if errors:
            raise InputError(errors)
    source.items = items
    return source


def _read_workbook(path: Path) -> list[Source]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        names = CalamineWorkbook.from_path(str(path)).sheet_names
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(RowError(str(path), None, None, f"not a readable Excel workbook: {exc}")) from exc
    sources, errors = [], []
    unknown = [n for n in names if n not in SHEETS and n.strip().lower() != INSTRUCTIONS_SHEET]
    if unknown:
        errors.append(RowError(str(path), None, None, f"unknown sheet(s) {', '.join(unknown)}; "
                               f"the sheets are {', '.join(SHEETS)} (and {INSTRUCTIONS_SHEET})"))
    for name in (n for n in SHEETS if n in names):
        sheet = SHEETS[name]
        label = sheet_label(path, name)
        try:
            header, body = read_xlsx(path, name)
        except InputError as exc:
            if [e.reason for e in exc.errors] == [f"sheet '{name}' is empty"]:
                continue  # a sheet left blank, without even its header: nothing to load
            raise
        header_errors = _check_header(label, sheet, header)
        if header_errors:
            errors += header_errors
            continue
        source = Source(sheet, label)
        for line, values in body:
            source.items.append((line, {h: v for h, v in zip(header, values) if h}))
        sources.append(source)
    if errors:
        raise InputError(errors)
    return sources


def read_sources(path: str | Path) -> list[Source]:
    """The sheets found at ``path``: an .xlsx workbook, a folder of sheet CSVs, or one sheet CSV."""
    path = Path(path)
    expected = ", ".join(f"{n}.csv" for n in SHEETS)
    if path.is_dir():
        csvs = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        unknown = [p.name for p in csvs if p.stem not in SHEETS]
        if unknown:
            raise InputError(RowError(str(path), None, None,
                                      f"unknown file(s) {', '.join(unknown)}; the sheet files are {expected}"))
        if not csvs:
            raise InputError(RowError(str(path), None, None, f"the folder holds none of the sheet files {expected}"))
        by_sheet = {p.stem: p for p in csvs}
        sources, errors = [], []
        for name in (n for n in SHEETS if n in by_sheet):
            try:
                sources.append(_read_csv_source(by_sheet[name], SHEETS[name]))
            except InputError as exc:
                errors += exc.errors
        if errors:
            raise InputError(errors)
        return sources
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if suffix == ".csv":
        if path.stem not in SHEETS:
            raise InputError(RowError(str(path), None, None,
                                      f"cannot tell which sheet this is: name the file one of {expected}"))
        return [_read_csv_source(path, SHEETS[path.stem])]
    raise InputError(RowError(str(path), None, None,
                              "expected an .xlsx workbook, a folder of sheet CSVs or one sheet CSV"))


# ---- values


_CONCEPT = re.compile(r"^(?P<scheme>[A-Za-z0-9_.-]+):(?P<code>\S(?:.*\S)?)$")
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def parse_concepts(text: Any) -> list[tuple[str, str]]:
    """'scheme:code; scheme:code' as [(scheme, code), ...].

    >>> parse_concepts("er-rat:ict-e-design; er-rat:ict-e-design/big-data")
    [('er-rat', 'ict-e-design'), ('er-rat', 'ict-e-design/big-data')]
    """
    out = []
    for part in clean_text(text).split(";"):
        part = part.strip()
        if not part:
            continue
        match = _CONCEPT.match(part)
        if not match:
            raise ValueError(f"'{part}' is not scheme:code")
        out.append((match["scheme"], match["code"]))
    return out


def _parse_trl(text: Any) -> int | None:
    value = parse_decimal(text)
    if value is None:
        return None
    if not value.is_integer() or not 1 <= value <= 9:
        raise ValueError(f"'{clean_text(text)}' is not a TRL (a whole number from 1 to 9)")
    return int(value)


def _parse_nuts(text: Any) -> str:
    code = clean_text(text).upper().replace(" ", "")
    if code and not _NUTS.match(code):
        raise ValueError(f"'{clean_text(text)}' is not a NUTS code (two letters and up to three more characters)")
    return code


def _parse_country(text: Any) -> str:
    code = clean_text(text).upper()
    if code and not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"'{clean_text(text)}' is not a two-letter country code")
    return code


def _parse_pic(text: Any) -> str:
    pic = clean_text(text)
    if pic and not re.fullmatch(r"[0-9]{9}", pic):
        raise ValueError(f"'{pic}' is not a PIC (9 digits)")
    return pic


def _parse_url(text: Any) -> str:
    url = clean_text(text)
    if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        raise ValueError(f"'{url}' is not a web address (it must start with http:// or https://)")
    return url


def _parse_decimal(text: Any) -> float | None:
    value = parse_decimal(text)
    if value is not None and value < 0:
        raise ValueError(f"'{clean_text(text)}' is negative")
    return value


PARSERS: dict[str, Callable[[Any], Any]] = {
    "text": clean_text,
    "ref": clean_text,
    "choice": clean_text,
    "nuts": _parse_nuts,
    "country": _parse_country,
    "pic": _parse_pic,
    "url": _parse_url,
    "date": parse_date,
    "decimal": _parse_decimal,
    "trl": _parse_trl,
    "bool": parse_bool,
    "concepts": parse_concepts,
}


def parse_row(sheet: Sheet, row: Row, values: dict[str, Any],
              vocabularies: dict[str, list[str]]) -> tuple[dict[str, Any], list[RowError]]:
    """The typed values of one row, and what is wrong with it (one error per bad cell)."""
    data: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in sheet.columns:
        raw = values.get(column.name)
        try:
            value = PARSERS[column.type](raw)
        except ValueError as exc:
            errors.append(row.error(column.name, str(exc)))
            continue
        if column.required and value in (None, "", []):
            errors.append(row.error(column.name, f"{column.name} is required"))
            continue
        if column.type == "choice":
            allowed = vocabularies[column.vocabulary]
            value = value or column.default
            if value and value not in allowed:
                lowered = {a.lower(): a for a in allowed}
                hint = f" (did you mean '{lowered[value.lower()]}'?)" if value.lower() in lowered else ""
                errors.append(row.error(column.name, f"'{value}' is not allowed{hint}; use one of {', '.join(allowed)}"))
                continue
        if column.max_length and isinstance(value, str) and len(value) > column.max_length:
            errors.append(row.error(column.name, f"{len(value)} characters; at most {column.max_length}"))
            continue
        data[column.name] = value
    return data, errors


def read_rows(source: Source, vocabularies: dict[str, list[str]],
              seen: dict[tuple, str]) -> Iterator[Row | RowError]:
    """The rows of one sheet, typed and checked; ``seen`` holds the keys met so far (shared across files)."""
    sheet = source.sheet
    for item in source.items:
        if isinstance(item, RowError):
            yield item
            continue
        line, values = item
        row = Row(source.label, line)
        data, errors = parse_row(sheet, row, values, vocabularies)
        if not errors:
            key = (sheet.name, *(str(data[k]) for k in sheet.key))
            where = f"{Path(source.label).name} line {line}"
            if key in seen:
                shown = ", ".join(f"{k} '{data[k]}'" for k in sheet.key)
                errors.append(row.error(sheet.key[-1], f"{shown} is repeated: {seen[key]} and {where}"))
            else:
                seen[key] = where
        if errors:
            yield from errors
            continue
        row.data = data
        yield row
