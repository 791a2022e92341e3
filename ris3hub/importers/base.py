"""What every reader shares: row errors a person can act on, and strict CSV/XLSX/JSON access."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RowError:
    """A rejected row (or a whole-file problem when ``line`` is None)."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [Path(self.file).name]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "reason": self.reason}


class InputError(Exception):
    """The file cannot be read at all; nothing of it is imported."""

    def __init__(self, errors: list[RowError] | RowError):
        self.errors = errors if isinstance(errors, list) else [errors]
        super().__init__("; ".join(str(e) for e in self.errors))


@dataclass
class Row:
    """A validated record of a file, with where it came from."""

    file: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str | None, reason: str) -> RowError:
        return RowError(self.file, self.line, column, reason)


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """The whole text of a file, refusing bytes that are not in ``encoding`` (naming the line)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(RowError(str(path), None, None, f"cannot read the file: {exc.strerror}")) from exc
    if not raw.strip():
        raise InputError(RowError(str(path), None, None, "the file is empty"))
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            RowError(str(path), line, None, f"byte 0x{raw[exc.start]:02x} is not valid {encoding.upper()}; "
                     f"save the file as {encoding.upper()}")
        ) from exc
    return text.lstrip("\ufeff")


def read_csv(
    path: str | Path,
    required: list[str],
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Iterator[tuple[int, dict[str, str]] | RowError]:
    """Rows of a CSV file as (line number, {column: text}), checking the header and each row's width.

    A header without the ``required`` columns raises InputError (naming a likely wrong delimiter);
    a row with too few or too many fields (a truncated file, a stray delimiter) is a RowError.
    """
    path = Path(path)
    text = read_text(path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError(RowError(str(path), 1, None, f"cannot read the header: {exc}")) from exc
    missing = [c for c in required if c not in header]
    if missing:
        hint = ""
        for other in (",", ";", "\t", "|"):
            if other != delimiter and other in text.split("\n", 1)[0]:
                hint = f" (the header looks {_delimiter_name(other)}-separated; expected {_delimiter_name(delimiter)})"
                break
        raise InputError(
            RowError(str(path), 1, ", ".join(missing), f"missing column(s) {', '.join(missing)}{hint}")
        )
    width = len(header)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(str(path), reader.line_num, None, f"malformed CSV: {exc}")
            return
        line = reader.line_num
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != width:
            yield RowError(str(path), start, None,
                           f"{len(values)} fields where the header has {width} (truncated row or stray delimiter?)")
            continue
        yield start, dict(zip(header, values))


def _delimiter_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(d, repr(d))


def read_xlsx(path: str | Path, sheet: str | int = 0, header_row: int = 0) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header and data rows of a worksheet; rows are (spreadsheet row number, values)."""
    from python_calamine import CalamineError, CalamineWorkbook

    path = Path(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(RowError(str(path), None, None, f"not a readable Excel workbook: {exc}")) from exc
    names = wb.sheet_names
    if isinstance(sheet, int):
        if sheet >= len(names):
            raise InputError(RowError(str(path), None, None, f"the workbook has no sheet number {sheet + 1}"))
        sheet = names[sheet]
    if sheet not in names:
        raise InputError(RowError(str(path), None, None, f"the workbook has no sheet '{sheet}' (it has {', '.join(names)})"))
    rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    if len(rows) <= header_row:
        raise InputError(RowError(str(path), None, None, f"sheet '{sheet}' is empty"))
    header = [str(h).strip() for h in rows[header_row]]

    def body() -> Iterator[tuple[int, list[Any]]]:
        for i, values in enumerate(rows[header_row + 1:], start=header_row + 2):
            if any(str(v).strip() for v in values):
                yield i, list(values)

    return header, body()


def read_json(path: str | Path) -> Any:
    path = Path(path)
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(RowError(str(path), exc.lineno, None, f"invalid JSON: {exc.msg} (column {exc.colno})")) from exc


# ---- field parsers: each returns the value or raises ValueError with a reason a person can act on


def parse_decimal(text: Any) -> float | None:
    """Numbers as published: '1234.5', '1,234.50', '1.234,50', '' or 'NA' for none."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text)
    s = str(text).strip()
    if s in ("", "NA", "N/A", "-", ".", "nan"):
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", s):
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def parse_date(text: Any) -> date | None:
    """Dates as published: ISO '2021-11-29', European '29/11/2021', Excel dates."""
    if text is None:
        return None
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    s = str(text).strip()
    if s in ("", "NA", "N/A", "-"):
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")


def parse_bool(text: Any) -> bool | None:
    s = str(text if text is not None else "").strip().lower()
    if s in ("", "na", "n/a"):
        return None
    if s in ("yes", "y", "true", "1", "si", "sì"):
        return True
    if s in ("no", "n", "false", "0"):
        return False
    raise ValueError(f"'{text}' is not yes or no")


def clean_text(value: Any) -> str:
    """Text with surrounding blanks removed; 'NA' and '.' placeholders become empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return "" if s in ("NA", ".", "nan") else s
