"""The blank registry template an agency fills, made from the declared sheets and columns.

``python -m ris3hub.registry.template`` rewrites the shipped files of this folder: one
header-only CSV per sheet and ``registry-template.xlsx`` (the sheets, with drop-down lists of
the allowed values, and an 'instructions' sheet describing every column). The ``example``
folder holds an illustrative registry of the Emilia-Romagna High Technology Network.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ris3hub.importers.registry_template import FORMATS, INSTRUCTIONS_SHEET, SHEETS, Column, Sheet

TEMPLATE_DIR = Path(__file__).resolve().parent
WORKBOOK = TEMPLATE_DIR / "registry-template.xlsx"
EXAMPLE_DIR = TEMPLATE_DIR / "example"
INSTRUCTION_COLUMNS = ["sheet", "column", "required", "format", "allowed values", "example", "what it is"]
# rows of a sheet that get the drop-down list of allowed values and the text format
FILLED_ROWS = 2000


def allowed_values(column: Column) -> list[tuple[str, str]]:
    """(value, meaning) pairs a choice column accepts; empty for other columns."""
    if column.type != "choice":
        return []
    from ris3hub.registry.loaders.template import VOCABULARIES

    return [(value, str(label)) for value, label in VOCABULARIES[column.vocabulary].choices]


def column_format(column: Column) -> str:
    text = FORMATS[column.type]
    if column.max_length:
        text += f", at most {column.max_length} characters"
    if column.default:
        text += f"; blank means {column.default}"
    return text


def instruction_rows() -> list[list[str]]:
    rows = [INSTRUCTION_COLUMNS]
    for sheet in SHEETS.values():
        for column in sheet.columns:
            allowed = "; ".join(f"{v} ({label})" if label != v else v for v, label in allowed_values(column))
            rows.append([sheet.name, column.name, "yes" if column.required else "no", column_format(column),
                         allowed, column.example, column.help])
    return rows


def _read_example(folder: Path, sheet: Sheet) -> list[list[str]]:
    path = folder / f"{sheet.name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    return [[record.get(c, "") for c in sheet.column_names] for record in records]


def _cells(values: list[str]) -> list[str | None]:
    """Blank values as empty cells (openpyxl would not write '' anyway)."""
    return [v if v != "" else None for v in values]


def build_workbook(path: str | Path | None = None, rows_from: str | Path | None = None) -> Workbook:
    """The template workbook; filled with the CSVs of the folder ``rows_from`` when given; saved to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    for values in instruction_rows():
        ws.append(_cells(values))
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (14, 18, 9, 48, 48, 30, 70)):
        ws.column_dimensions[letter].width = width
        for cell in ws[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for sheet in SHEETS.values():
        ws = wb.create_sheet(sheet.name)
        ws.append(sheet.column_names)
        if rows_from is not None:
            for values in _read_example(Path(rows_from), sheet):
                ws.append(_cells(values))
        ws.freeze_panes = "A2"
        for i, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(i)
            header = ws.cell(row=1, column=i)
            header.font = Font(bold=True)
            ws.column_dimensions[letter].width = max(12, min(40, len(column.name) + 4, (column.max_length or 40)))
            if column.type in ("text", "ref", "pic"):  # identifiers such as VAT numbers keep their leading zeros
                ws.column_dimensions[letter].number_format = "@"
            allowed = allowed_values(column)
            if allowed:
                validation = DataValidation(type="list", formula1='"' + ",".join(v for v, _ in allowed) + '"',
                                            allow_blank=not column.required, showErrorMessage=True,
                                            errorTitle=f"{column.name}: not allowed",
                                            error="Choose one of the values in the list (see the instructions sheet).")
                validation.add(f"{letter}2:{letter}{FILLED_ROWS}")
                ws.add_data_validation(validation)
    if path is not None:
        wb.save(path)
    return wb


def write_blank_csvs(folder: str | Path = TEMPLATE_DIR) -> list[Path]:
    """One header-only CSV per sheet, UTF-8, comma-separated."""
    paths = []
    for sheet in SHEETS.values():
        path = Path(folder) / f"{sheet.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(sheet.column_names)
        paths.append(path)
    return paths


def columns_markdown(sheet: Sheet) -> str:
    """The Markdown table of a sheet's columns, as in docs/registry-template.md."""
    lines = ["| column | required | format | allowed values | example | what it is |",
             "|---|---|---|---|---|---|"]
    for column in sheet.columns:
        allowed = ", ".join(f"`{v}` ({label})" if label != v else f"`{v}`" for v, label in allowed_values(column))
        example = f"`{column.example}`" if column.example else ""
        cells = [f"`{column.name}`", "yes" if column.required else "no", column_format(column), allowed, example,
                 column.help]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    write_blank_csvs(TEMPLATE_DIR)
    build_workbook(WORKBOOK)
    print(f"wrote the blank template to {TEMPLATE_DIR}")
