"""Exports of organisations, regions and projects as CSV, XLSX or JSON.

Used by ``ris3hub export DATASET --format FMT`` (``export_dataset``) and by the list pages'
``?export=csv|xlsx`` (``export_response``, on the queryset the page's filters selected).

* CSV: UTF-8 with a byte-order mark, so that Excel opens accented names correctly (Python reads it
  with ``encoding="utf-8-sig"``); comma-separated, header row first, ``\\r\\n`` line ends; empty cell
  for a missing value, ``true``/``false`` for flags, ISO dates.
* XLSX: one sheet named after the dataset (written in openpyxl's write-only mode), and a second
  sheet "source" with the attribution of the data. Control characters that the XLSX format cannot
  hold (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F) are left out of its cells.
* JSON: a list of objects, one per row, keyed by the column names; null for a missing value.

CSV and JSON are streamed: rows are read from the database in chunks and written as they come.
In CSV and XLSX a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading ``'`` so that a spreadsheet shows it as text instead of running it as a formula.
"""

import csv
import io
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ris3hub import conf

ATTRIBUTION = "Source: CORDIS / Eurostat / © EuroGeographics for the administrative boundaries"
FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CHUNK_ROWS = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = b"\xef\xbb\xbf"


class ExportError(ValueError):
    """An export asked for something that does not exist (dataset or format)."""


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[str, ...]
    default_queryset: Callable[[], QuerySet]
    rows: Callable[[QuerySet], Iterator[tuple]]


def _organisation_queryset() -> QuerySet:
    from ris3hub.registry.models import Organisation

    return Organisation.objects.order_by("name", "pk")


def _organisation_rows(queryset: QuerySet) -> Iterator[tuple]:
    from ris3hub.projects.models import Participation

    fields = ("pk", "name", "short_name", "kind", "is_sme", "pic", "vat", "ror", "website", "street",
              "postcode", "city", "country", "region__code", "region__name_latn", "trl", "n_participations",
              "description")
    # A subquery, not a join: the count stays right whatever joins the caller's filters added.
    participations = (
        Participation.objects.filter(organisation=OuterRef("pk")).order_by()
        .values("organisation").annotate(n=Count("pk")).values("n")
    )
    annotated = queryset.annotate(n_participations=Coalesce(Subquery(participations), 0))
    return annotated.values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


def _region_queryset() -> QuerySet:
    from ris3hub.regions.models import Region

    return Region.objects.filter(version=conf.nuts_version()).order_by("code")


def _region_rows(queryset: QuerySet) -> Iterator[tuple]:
    fields = ("version", "code", "level", "country", "name_latn", "name", "parent__code", "urban_rural",
              "metropolitan", "coastal", "mountain", "border", "island", "capital", "label_lon", "label_lat")
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


def _project_queryset() -> QuerySet:
    from ris3hub.projects.models import Project

    return Project.objects.order_by("-start", "number")


def _project_rows(queryset: QuerySet) -> Iterator[tuple]:
    fields = ("number", "framework", "acronym", "title", "programme__code", "call__identifier", "topic_code",
              "type_of_action", "thematic_priority", "start", "end", "total_cost", "eu_contribution",
              "participant_count", "url", "abstract")
    return queryset.values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


DATASETS: dict[str, Dataset] = {
    "organisations": Dataset(
        "organisations",
        ("id", "name", "short_name", "kind", "is_sme", "pic", "vat", "ror", "website", "street", "postcode",
         "city", "country", "region_code", "region_name", "trl", "participations", "description"),
        _organisation_queryset,
        _organisation_rows,
    ),
    "regions": Dataset(
        "regions",
        ("version", "code", "level", "country", "name", "national_name", "parent_code", "urban_rural",
         "metropolitan", "coastal", "mountain", "border", "island", "capital", "label_lon", "label_lat"),
        _region_queryset,
        _region_rows,
    ),
    "projects": Dataset(
        "projects",
        ("number", "framework", "acronym", "title", "programme", "call", "topic_code", "type_of_action",
         "thematic_priority", "start", "end", "total_cost", "eu_contribution", "participant_count",
         "source_url", "abstract"),
        _project_queryset,
        _project_rows,
    ),
}


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise ExportError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}") from None


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(neutralise(value))


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _chunks(rows: Iterator[tuple], size: int = 500) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def iter_csv(dataset: Dataset, queryset: QuerySet) -> Iterator[bytes]:
    """The dataset as CSV bytes, a chunk of rows at a time, starting with the BOM and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.columns)
    yield UTF8_BOM + buffer.getvalue().encode("utf-8")
    for chunk in _chunks(dataset.rows(queryset)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_text(v) for v in row] for row in chunk)
        yield buffer.getvalue().encode("utf-8")


def iter_json(dataset: Dataset, queryset: QuerySet) -> Iterator[bytes]:
    """The dataset as a JSON list of objects, a chunk of rows at a time."""
    yield b"["
    separator = "\n"
    for chunk in _chunks(dataset.rows(queryset)):
        parts = []
        for row in chunk:
            obj = {column: _json_value(value) for column, value in zip(dataset.columns, row)}
            parts.append(separator + json.dumps(obj, ensure_ascii=False))
            separator = ",\n"
        yield "".join(parts).encode("utf-8")
    yield b"\n]\n"


def write_xlsx(dataset: Dataset, queryset: QuerySet, out: BinaryIO) -> None:
    """The dataset as an XLSX workbook (write-only mode: rows are not kept in memory) written to ``out``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(dataset.name)
    bold = Font(bold=True)
    header = []
    for column in dataset.columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in dataset.rows(queryset):
        sheet.append([_xlsx_value(v) for v in row])
    source = workbook.create_sheet("source")
    source.append([ATTRIBUTION])
    source.append([f"Exported from ris3hub on {timezone.now().date().isoformat()}: {dataset.name}"])
    workbook.save(out)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.make_naive(value)
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _write_chunks(chunks: Iterable[bytes], out: BinaryIO) -> None:
    for chunk in chunks:
        out.write(chunk)


def export_dataset(name: str, fmt: str, out: BinaryIO, queryset: QuerySet | None = None) -> None:
    """Write dataset ``name`` (all of it, or ``queryset``) as ``fmt`` to the binary stream ``out``."""
    dataset = get_dataset(name)
    _check_format(fmt)
    queryset = dataset.default_queryset() if queryset is None else queryset
    if fmt == "csv":
        _write_chunks(iter_csv(dataset, queryset), out)
    elif fmt == "json":
        _write_chunks(iter_json(dataset, queryset), out)
    elif out.seekable():
        write_xlsx(dataset, queryset, out)
    else:
        # A zip archive is written more simply to a seekable file: build it there, then copy (stdout, pipes).
        with tempfile.TemporaryFile() as spool:
            write_xlsx(dataset, queryset, spool)
            spool.seek(0)
            shutil.copyfileobj(spool, out)


def export_filename(name: str, fmt: str) -> str:
    return f"ris3hub-{name}-{timezone.now().date().isoformat()}.{fmt}"


def export_response(dataset: str, queryset: QuerySet, fmt: str) -> HttpResponseBase:
    """A download of ``queryset`` as dataset ``dataset`` in ``fmt``: streamed for CSV and JSON."""
    spec = get_dataset(dataset)
    _check_format(fmt)
    filename = export_filename(dataset, fmt)
    if fmt == "xlsx":
        spool = tempfile.TemporaryFile()
        write_xlsx(spec, queryset, spool)
        spool.seek(0)
        return FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
    chunks = iter_csv(spec, queryset) if fmt == "csv" else iter_json(spec, queryset)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
