"""Hypothesis strategies for hostile files: random bytes, wrong encodings, BOMs, huge or empty fields,
missing and extra columns, NaN and infinities, formulas, markup and path-traversal names.

Shared by the fuzz tests of the importers and the engines; no Django here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import strategies as st

from ris3hub.importers.base import InputError, RowError

HOSTILE_TEXTS = [
    "", " ", "NA", "N/A", ".", "-", "nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309", "0", "-1",
    "1.234,50", "1,234.50", "12345678901234567890123", "2021", "2021-13-45", "29/02/2021", "1999-01-01",
    "=HYPERLINK(\"http://x\")", "=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1",
    "../../etc/passwd", "..\\..\\windows\\system32", "/etc/passwd", "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>", "\x00", "\ufeff", "\ufffd", "\u202e", '"', '""', "'", ";", ",", "\t", "|",
    "\n", "\r\n", "ITH5", "ITH55", "IT", "ITZZ", "XX999", "EU27_2020", "999976305", "H2020", "HORIZON",
    "coordinator", "participant", "PRC", "yes", "no", "true", "1 p", ": c", "5400 pq", "er-rat:x; bad",
    "x" * 5000,
]

cells = st.one_of(st.sampled_from(HOSTILE_TEXTS), st.text(max_size=20))
huge_cells = st.integers(min_value=70_000, max_value=200_000).map(lambda n: "A" * n)


def column_names(known: Sequence[str]) -> st.SearchStrategy[list[str]]:
    """A header: some of the known columns (maybe all, maybe repeated), in any order, plus strangers."""
    return st.tuples(
        st.lists(st.sampled_from(list(known)), max_size=len(known) + 2) if known else st.just([]),
        st.booleans(),
        st.lists(cells, max_size=2),
    ).map(lambda t: (list(known) if t[1] else t[0]) + t[2])


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def delimited(draw, known: Sequence[str], delimiters: Sequence[str] = (",", ";", "\t", "|")) -> bytes:
    """A delimited text file with a header from ``known`` and rows of hostile cells, in some encoding."""
    header = draw(column_names(known))
    delimiter = draw(st.sampled_from(list(delimiters)))
    width = max(len(header), 1)
    rows = draw(st.lists(st.lists(st.one_of(cells, huge_cells) if draw(st.booleans()) else cells,
                                  min_size=max(width - 2, 0), max_size=width + 2), max_size=6))
    out = io.StringIO()
    if draw(st.booleans()):
        writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
        writer.writerow(header)
        writer.writerows(rows)
        text = out.getvalue()
    else:  # written by hand: stray quotes, unbalanced fields, a truncated last line
        text = "\n".join(delimiter.join(r) for r in [header, *rows])
        if draw(st.booleans()):
            text = text[: draw(st.integers(0, len(text)))]
    return encode(text, draw(st.sampled_from(ENCODINGS)))


def files(*structured: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    """Structured files, or plain random bytes, or nothing at all."""
    return st.one_of(st.binary(max_size=400), st.sampled_from([b"", b"\n\n", b"\xef\xbb\xbf", b"\xff\xfe"]),
                     *structured)


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                         st.sampled_from(HOSTILE_TEXTS), st.text(max_size=10))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=20)


@st.composite
def json_records(draw, keys: Sequence[str], top: str = "list") -> bytes:
    """JSON whose records have the known keys (some of them) with any kind of value."""
    def record():
        return st.dictionaries(st.one_of(st.sampled_from(list(keys)), st.text(max_size=6)),
                               st.one_of(json_values, st.sampled_from(HOSTILE_TEXTS)), max_size=len(keys) + 1)
    records = draw(st.lists(st.one_of(record(), json_values), max_size=4))
    data: Any = records if top == "list" else draw(st.sampled_from([records, {"x": records}, records[:1]]))
    text = json.dumps(data, allow_nan=True)  # NaN and Infinity are not JSON, but files have them
    return encode(text, draw(st.sampled_from(ENCODINGS)))


@st.composite
def workbooks(draw, known: Sequence[str], sheet_names: Sequence[str] = ("Sheet1",)) -> bytes:
    """An .xlsx workbook whose sheets have a header from ``known`` and hostile cells (numbers too)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    names = draw(st.lists(st.sampled_from(list(sheet_names) + ["Other", "instructions"]), min_size=1, max_size=3,
                          unique=True))
    xl_cells = st.one_of(cells.map(_xlsx_safe), st.integers(-10**6, 10**6), st.floats(allow_nan=False,
                         allow_infinity=False), st.none())
    for name in names:
        ws = wb.create_sheet(name[:31] or "S")
        header = draw(column_names(known))
        for row in [header, *draw(st.lists(st.lists(xl_cells, max_size=len(header) + 2), max_size=5))]:
            ws.append([_xlsx_safe(c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _xlsx_safe(text: str) -> str:
    """openpyxl refuses control characters in cells (a workbook cannot hold them)."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 32)[:32767]


def consume(result: Any) -> list[Any]:
    """Everything a reader gives (its iterator run to the end)."""
    if isinstance(result, Iterator):
        return list(result)
    return [result]


def check_clear(error: InputError) -> None:
    """An InputError that names the file and says what is wrong."""
    assert error.errors, "an InputError without errors"
    for e in error.errors:
        assert isinstance(e, RowError) and e.file and e.reason.strip(), e


def check_items(items: list[Any]) -> None:
    for item in items:
        if isinstance(item, RowError):
            assert item.file and item.reason.strip(), item
