"""The import mechanism every loader shares: one transaction, idempotent upserts, every error kept."""

import sys
import types

import pytest

from ris3hub.core import loading
from ris3hub.importers.base import InputError, RowError, read_csv
from ris3hub.regions.models import Region


def load_regions(paths, ctx):
    """A minimal loader: code,level,name rows into NUTS 2021 regions."""
    upsert = ctx.upserter(Region, ("version", "code"))
    for path in paths:
        for item in ctx.rows(read_csv(path, ["code", "level", "name"]), desc="regions"):
            line, row = item
            if not row["level"].isdigit():
                ctx.reject(RowError(str(path), line, "level", f"'{row['level']}' is not a NUTS level"))
                continue
            upsert.put((2021, row["code"]), {"level": int(row["level"]), "country": row["code"][:2],
                                              "name_latn": row["name"]})


@pytest.fixture(autouse=True)
def toy_loader(monkeypatch):
    module = types.ModuleType("toy_loader")
    module.load = load_regions
    monkeypatch.setitem(sys.modules, "toy_loader", module)
    monkeypatch.setitem(loading.LOADERS, "toy", ("toy_loader.load", "toy regions"))


def write(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_second_run_changes_nothing(tmp_path):
    path = write(tmp_path, "code,level,name\nIT,0,Italia\nITH,1,Nord-Est\n")
    first = loading.run_import("toy", [path], progress=False)
    assert first.committed and dict(first.counts["regions.Region"]) == {"created": 2}
    second = loading.run_import("toy", [path], progress=False)
    assert second.changed == 0 and second.counts["regions.Region"]["unchanged"] == 2


@pytest.mark.django_db
def test_a_changed_value_is_updated_in_place(tmp_path):
    loading.run_import("toy", [write(tmp_path, "code,level,name\nIT,0,Italia\n")], progress=False)
    report = loading.run_import("toy", [write(tmp_path, "code,level,name\nIT,0,Italy\n")], progress=False)
    assert report.counts["regions.Region"]["updated"] == 1
    assert Region.objects.get(code="IT").name_latn == "Italy"


@pytest.mark.django_db
def test_errors_write_nothing_and_every_error_is_reported(tmp_path):
    path = write(tmp_path, "code,level,name\nIT,0,Italia\nITH,x,Nord-Est\nITC,y,Nord-Ovest\n")
    report = loading.run_import("toy", [path], progress=False)
    assert not report.committed
    assert [str(e) for e in report.errors] == [
        "regions.csv, line 3, column level: 'x' is not a NUTS level",
        "regions.csv, line 4, column level: 'y' is not a NUTS level",
    ]
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_skip_invalid_writes_the_valid_rows_and_still_reports(tmp_path):
    path = write(tmp_path, "code,level,name\nIT,0,Italia\nITH,x,Nord-Est\n")
    report = loading.run_import("toy", [path], skip_invalid=True, progress=False)
    assert report.committed and len(report.errors) == 1
    assert list(Region.objects.values_list("code", flat=True)) == ["IT"]


@pytest.mark.django_db
def test_dry_run_counts_but_writes_nothing(tmp_path):
    report = loading.run_import("toy", [write(tmp_path, "code,level,name\nIT,0,Italia\n")], dry_run=True,
                                progress=False)
    assert report.counts["regions.Region"]["created"] == 1 and not report.committed
    assert Region.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("content, expected", [
    (b"", "regions.csv: the file is empty"),
    (b"code;level;name\nIT;0;Italia\n",
     "regions.csv, line 1, column code, level, name: missing column(s) code, level, name (the header looks "
     "semicolon-separated; expected comma)"),
    (b"code,level,name\nIT,0,It\xe0lia\n", "regions.csv, line 2: byte 0xe0 is not valid UTF-8; save the file as UTF-8"),
    (b"code,level,name\nIT,0,Italia\nITH,1", "regions.csv, line 3: 2 fields where the header has 3 "
                                             "(truncated row or stray delimiter?)"),
])
def test_broken_files_get_a_clear_error_and_nothing_is_written(tmp_path, content, expected):
    path = tmp_path / "regions.csv"
    path.write_bytes(content)
    report = loading.run_import("toy", [path], progress=False)
    assert expected in [str(e) for e in report.errors]
    assert Region.objects.count() == 0


def test_input_error_lists_every_problem():
    error = InputError([RowError("a.csv", 1, "x", "bad"), RowError("a.csv", 2, None, "worse")])
    assert str(error) == "a.csv, line 1, column x: bad; a.csv, line 2: worse"
