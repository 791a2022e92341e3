"""The spreadsheet of a reporting round: the template a member downloads, and reading it back.

The template (XLSX, made with openpyxl) has a sheet "Report" with one row per organisation:
``organisation_id`` and ``organisation`` (filled in), then one column per field of the round's form,
headed by the field's name, with the field's label and help in the header cell's note and Excel's
own validation (whole numbers, numbers, dates, a list of choices). A sheet "Fields" explains each
field. A CSV with the same columns is accepted too.

An upload is checked whole before anything is stored: file size and type, the header, and every
cell of every row; each problem names the file, sheet, row and column. One problem and nothing is
stored, so a bad upload never half-overwrites a report.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from ris3hub.monitoring.models import ReportingRound, ReportSubmission, SubmissionVersion
from ris3hub.monitoring.reporting import FieldSpec, do_save_values, round_fields

SHEET = "Report"
FIELDS_SHEET = "Fields"
ID_COLUMN = "organisation_id"
NAME_COLUMN = "organisation"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_ERRORS = 200  # past this many the list stops: the file is likely not the template at all
ALLOWED = {".xlsx": "Excel workbook", ".csv": "CSV file"}
XLSX_MAGIC = b"PK\x03\x04"
HEADER_FILL = PatternFill("solid", fgColor="0B3A6E")


@dataclass(frozen=True)
class UploadError:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


class UploadRejected(Exception):
    """The upload has problems; nothing of it was stored."""

    def __init__(self, errors: list[UploadError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


# ---- the template


def template_filename(round: ReportingRound) -> str:
    return f"report-round-{round.pk}-{round.period}.xlsx"


def build_template(round: ReportingRound, submissions: Iterable[ReportSubmission]) -> bytes:
    """The round's workbook, with a row for each of ``submissions`` holding its current values."""
    specs = round_fields(round)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    headers = [ID_COLUMN, NAME_COLUMN, *(s.name for s in specs)]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top")
    ws.cell(1, 1).comment = Comment("Do not change: the organisation's number in ris3hub.", "ris3hub")
    ws.cell(1, 2).comment = Comment("The organisation's name, for reading only.", "ris3hub")
    rows = list(submissions)
    for submission in rows:
        ws.append([submission.organisation_id, submission.organisation.name,
                   *(_cell_value(spec, submission.values.get(spec.name)) for spec in specs)])
    last_row = max(len(rows) + 1, 50)
    for i, spec in enumerate(specs, start=3):
        letter = get_column_letter(i)
        note = f"{spec.label} ({spec.type_label}{', required' if spec.required else ''})"
        if spec.help:
            note += f"\n{spec.help}"
        if spec.choices:
            note += "\nOne of: " + ", ".join(spec.choices)
        ws.cell(1, i).comment = Comment(note, "ris3hub", width=260, height=110)
        validation = _validation(spec)
        if validation is not None:
            ws.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
        ws.column_dimensions[letter].width = max(14, min(40, len(spec.name) + 4))
        if spec.type == "date":
            for row in range(2, last_row + 1):
                ws.cell(row, i).number_format = "yyyy-mm-dd"
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 44
    ws.freeze_panes = "C2"

    about = wb.create_sheet(FIELDS_SHEET)
    about.append([round.title])
    about.append([(f"Period {round.period} · deadline {round.deadline.isoformat()} · fill in the sheet "
                   f"'{SHEET}', one row per organisation, and upload it on the report's page.")])
    about.append([])
    about.append(["name", "label", "type", "required", "help", "choices"])
    for cell in about[4]:
        cell.font = Font(bold=True)
    for spec in specs:
        about.append([spec.name, spec.label, spec.type_label, "yes" if spec.required else "no", spec.help,
                      ", ".join(spec.choices)])
    about.cell(1, 1).font = Font(bold=True, size=13)
    for letter, width in zip("ABCDEF", (22, 40, 14, 10, 60, 30)):
        about.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _cell_value(spec: FieldSpec, stored: Any) -> Any:
    if stored is None:
        return None
    if spec.type == "decimal":
        return float(stored)
    if spec.type == "date":
        return date.fromisoformat(stored)
    return stored


def _validation(spec: FieldSpec) -> DataValidation | None:
    message = spec.help or spec.label
    if spec.type == "int":
        dv = DataValidation(type="whole", operator="between", formula1="-1000000000000", formula2="1000000000000")
    elif spec.type == "decimal":
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15")
    elif spec.type == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1")
    elif spec.type == "choice":
        listed = ",".join(c.replace('"', "'") for c in spec.choices)
        if len(listed) > 250:  # Excel's limit on an inline list
            return None
        dv = DataValidation(type="list", formula1=f'"{listed}"')
    else:
        return None
    dv.error = f"{spec.label}: expected a {spec.type_label}"
    dv.errorTitle = "ris3hub"
    dv.prompt = message[:250]
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.allow_blank = True
    return dv


# ---- reading an upload


@dataclass
class _Table:
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    letters: bool  # columns are named by letter (a workbook) or by header alone (a CSV)

    def column(self, index: int) -> str:
        name = self.header[index] if index < len(self.header) else ""
        if self.letters:
            return f"{get_column_letter(index + 1)} ({name})" if name else get_column_letter(index + 1)
        return name or f"number {index + 1}"


def _check_file(name: str, data: bytes) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED:
        raise UploadRejected([UploadError(name, None, None, None,
                                          f"'{suffix or name}' files are not accepted: upload the .xlsx template "
                                          "or a .csv with the same columns")])
    if len(data) > MAX_BYTES:
        raise UploadRejected([UploadError(name, None, None, None,
                                          f"the file is {len(data) / 1024 / 1024:.1f} MB; at most "
                                          f"{MAX_BYTES // 1024 // 1024} MB are accepted")])
    if not data.strip():
        raise UploadRejected([UploadError(name, None, None, None, "the file is empty")])
    if suffix == ".xlsx" and not data.startswith(XLSX_MAGIC):
        raise UploadRejected([UploadError(name, None, None, None,
                                          "the file is not an Excel workbook (.xlsx), whatever its name says")])
    return suffix


def _read_xlsx(name: str, data: bytes) -> _Table:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise UploadRejected([UploadError(name, None, None, None, f"the workbook cannot be read: {exc}")]) from exc
    try:
        if SHEET not in wb.sheetnames:
            sheets = ", ".join(wb.sheetnames)
            raise UploadRejected([UploadError(name, None, None, None, f"the workbook has no sheet '{SHEET}' (it has "
                                                                      f"{sheets}); start from the round's template")])
        rows = wb[SHEET].iter_rows(values_only=True)
        header_values = next(rows, None)
        if header_values is None:
            raise UploadRejected([UploadError(name, SHEET, None, None, "the sheet is empty")])
        header = [str(h).strip() if h is not None else "" for h in header_values]
        body = []
        for number, values in enumerate(rows, start=2):
            values = list(values)
            if any(v is not None and str(v).strip() for v in values):
                body.append((number, values))
                if len(body) > MAX_ROWS:
                    raise UploadRejected([UploadError(name, SHEET, number, None,
                                                      f"more than {MAX_ROWS} rows: this is not a report")])
    finally:
        wb.close()
    return _Table(SHEET, header, body, letters=True)


def _read_csv(name: str, data: bytes) -> _Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        reason = f"byte 0x{data[exc.start]:02x} is not UTF-8: save the file as CSV UTF-8"
        raise UploadRejected([UploadError(name, None, line, None, reason)]) from exc
    if "\x00" in text:
        raise UploadRejected([UploadError(name, None, None, None, "the file holds binary data, not CSV text")])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        body = []
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if any(v.strip() for v in values):
                body.append((start, list(values)))
                if len(body) > MAX_ROWS:
                    raise UploadRejected([UploadError(name, None, start, None,
                                                      f"more than {MAX_ROWS} rows: this is not a report")])
    except csv.Error as exc:
        raise UploadRejected([UploadError(name, None, reader.line_num, None, f"malformed CSV: {exc}")]) from exc
    return _Table(None, header, body, letters=False)


def _columns(name: str, table: _Table, specs: list[FieldSpec]) -> tuple[int, dict[str, int], list[UploadError]]:
    """Index of the organisation column, field name -> column index, and header problems."""
    errors = []
    by_key = {}
    for spec in specs:
        by_key[spec.name.casefold()] = spec.name
        by_key.setdefault(spec.label.strip().casefold(), spec.name)
    id_index, fields, seen = None, {}, {}
    for index, heading in enumerate(table.header):
        key = heading.casefold()
        if not key:
            if any(index < len(values) and values[index] not in (None, "") for _, values in table.rows):
                errors.append(UploadError(name, table.sheet, 1, table.column(index),
                                          "this column has values but no heading"))
            continue
        if key == ID_COLUMN:
            id_index = index
        elif key == NAME_COLUMN:
            continue
        elif key in by_key:
            field = by_key[key]
            if field in seen:
                errors.append(UploadError(name, table.sheet, 1, table.column(index),
                                          f"the field {field} has two columns ({table.column(seen[field])} too)"))
            seen[field] = index
            fields[field] = index
        else:
            errors.append(UploadError(name, table.sheet, 1, table.column(index),
                                      f"'{heading}' is not a field of this round's form "
                                      f"(the fields are {', '.join(s.name for s in specs)})"))
    if id_index is None:
        errors.append(UploadError(name, table.sheet, 1, None,
                                  f"the column {ID_COLUMN} is missing: start from the round's template"))
    for spec in specs:
        if spec.name not in fields:
            errors.append(UploadError(name, table.sheet, 1, None, f"the column of the field {spec.name} "
                                                                  f"({spec.label}) is missing"))
    return id_index if id_index is not None else -1, fields, errors


def read_upload(name: str, data: bytes, round: ReportingRound,
                submissions: dict[int, ReportSubmission]) -> dict[int, dict[str, Any]]:
    """The values of each organisation in the file: {organisation id: {field: value}}.

    ``submissions`` are the reports the uploader may change, by organisation id. Raises
    UploadRejected with every problem found (up to MAX_ERRORS) if there is any.
    """
    name = PurePath(name).name or "upload"
    suffix = _check_file(name, data)
    table = _read_xlsx(name, data) if suffix == ".xlsx" else _read_csv(name, data)
    specs = round_fields(round)
    id_index, columns, errors = _columns(name, table, specs)
    if errors:
        raise UploadRejected(errors)
    if not table.rows:
        raise UploadRejected([UploadError(name, table.sheet, None, None,
                                          "there is no row of data under the header")])
    result: dict[int, dict[str, Any]] = {}
    first_row: dict[int, int] = {}
    for number, values in table.rows:
        raw_id = values[id_index] if id_index < len(values) else None
        organisation = _organisation_id(raw_id)
        if organisation is None:
            errors.append(UploadError(name, table.sheet, number, table.column(id_index),
                                      f"'{raw_id if raw_id is not None else ''}' is not an organisation number "
                                      "of the template"))
        elif organisation not in submissions:
            errors.append(UploadError(name, table.sheet, number, table.column(id_index),
                                      f"organisation {organisation} has no report in this round that you may fill"))
            organisation = None
        elif organisation in first_row:
            errors.append(UploadError(name, table.sheet, number, table.column(id_index),
                                      f"organisation {organisation} is also on row {first_row[organisation]}"))
            organisation = None
        elif not submissions[organisation].editable:
            state = submissions[organisation].get_status_display()
            errors.append(UploadError(name, table.sheet, number, table.column(id_index),
                                      f"the report of {submissions[organisation].organisation} is {state}: "
                                      "it cannot be changed now"))
            organisation = None
        parsed = {}
        for spec in specs:
            index = columns[spec.name]
            raw = values[index] if index < len(values) else None
            try:
                parsed[spec.name] = spec.parse(raw)
            except ValueError as exc:
                errors.append(UploadError(name, table.sheet, number, table.column(index), str(exc)))
        if organisation is not None:
            first_row[organisation] = number
            result[organisation] = parsed
        if len(errors) >= MAX_ERRORS:
            errors.append(UploadError(name, table.sheet, None, None, f"more than {MAX_ERRORS} problems: stopped here"))
            break
    if errors:
        raise UploadRejected(errors)
    return result


def _organisation_id(raw: Any) -> int | None:
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    text = str(raw).strip()
    return int(text) if text.isdigit() else None


@transaction.atomic
def do_upload(round: ReportingRound, name: str, data: bytes, by,
              submissions: dict[int, ReportSubmission]) -> list[ReportSubmission]:
    """Store the values of an uploaded spreadsheet in the reports it names: all of them, or none."""
    values = read_upload(name, data, round, submissions)
    changed = []
    for organisation, raw in values.items():
        changed.append(do_save_values(submissions[organisation], raw, by, action=SubmissionVersion.Action.UPLOADED))
    return changed
