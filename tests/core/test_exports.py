"""Exports of organisations, regions and projects: CSV, XLSX and JSON, from the API of the module,
the list pages' helper and the `ris3hub export` command."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ris3hub.cli import main
from ris3hub.core.exports import (
    ATTRIBUTION,
    DATASETS,
    ExportError,
    export_dataset,
    export_response,
    neutralise,
)
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation

pytestmark = pytest.mark.django_db

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+39 051 123", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.fixture
def data(db):
    it = Region.objects.create(version=2021, code="IT", level=0, country="IT", name_latn="Italia", name="Italia")
    er = Region.objects.create(version=2021, code="ITH5", level=2, country="IT", name_latn="Emilia-Romagna",
                               name="Emilia-Romagna", parent=it, label_lon=11.0, label_lat=44.5)
    bologna = Region.objects.create(version=2021, code="ITH55", level=3, country="IT", name_latn="Bologna",
                                    name="Bologna", parent=er, urban_rural="Predominantly urban")
    Region.objects.create(version=2016, code="ITH5", level=2, country="IT", name_latn="Emilia-Romagna (2016)")
    unibo = Organisation.objects.create(name="Università di Bologna", kind="university", pic="999976305",
                                        city="Bologna", country="IT", region=bologna, is_sme=False, trl=4,
                                        description="Line one\nline two, with \"quotes\"")
    hostile = Organisation.objects.create(name=HOSTILE[0], short_name=HOSTILE[1], city=HOSTILE[2],
                                          street=HOSTILE[3], postcode=HOSTILE[4][:20], description=HOSTILE[5],
                                          kind="company", country="IT")
    project = Project.objects.create(number="101000001", framework="H2020", acronym="AGRIBOT",
                                     title="=1+1 robots", start=date(2021, 3, 1),
                                     eu_contribution=Decimal("2000000.50"), total_cost=Decimal("2500000"))
    Participation.objects.create(project=project, organisation=unibo, role="coordinator")
    return {"unibo": unibo, "hostile": hostile, "project": project}


def export(name, fmt, queryset=None) -> bytes:
    out = io.BytesIO()
    export_dataset(name, fmt, out, queryset=queryset)
    return out.getvalue()


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf"), "CSV starts with a UTF-8 byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content: bytes) -> tuple[list[dict], list[list]]:
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[1] == "source"
    rows = list(workbook.worksheets[0].values)
    source = [list(r) for r in workbook["source"].values]
    return [dict(zip(rows[0], r)) for r in rows[1:]], source


def test_every_dataset_in_every_format_has_its_columns(data):
    for name, dataset in DATASETS.items():
        assert list(read_csv(export(name, "csv"))[0]) == list(dataset.columns)
        assert list(json.loads(export(name, "json"))[0]) == list(dataset.columns)
        assert list(read_xlsx(export(name, "xlsx"))[0][0]) == list(dataset.columns)


def test_organisations_csv(data):
    rows = read_csv(export("organisations", "csv"))
    assert len(rows) == 2
    unibo = next(r for r in rows if r["pic"] == "999976305")
    assert unibo["name"] == "Università di Bologna"
    assert (unibo["region_code"], unibo["region_name"]) == ("ITH55", "Bologna")
    assert (unibo["is_sme"], unibo["trl"], unibo["participations"]) == ("false", "4", "1")
    assert unibo["description"] == "Line one\nline two, with \"quotes\""
    hostile = next(r for r in rows if r["pic"] == "")
    assert hostile["is_sme"] == "" and hostile["region_code"] == ""


def test_formulas_are_neutralised_in_csv_and_xlsx_not_in_json(data):
    csv_row = next(r for r in read_csv(export("organisations", "csv")) if r["kind"] == "company")
    xlsx_row = next(r for r in read_xlsx(export("organisations", "xlsx"))[0] if r["kind"] == "company")
    json_row = next(r for r in json.loads(export("organisations", "json")) if r["kind"] == "company")
    for column, value in [("name", HOSTILE[0]), ("short_name", HOSTILE[1]), ("city", HOSTILE[2]),
                          ("street", HOSTILE[3]), ("postcode", HOSTILE[4]), ("description", HOSTILE[5])]:
        assert csv_row[column] == "'" + value, column
        # XML reads a carriage return back as a line feed.
        assert xlsx_row[column] == "'" + value.replace("\r", "\n"), column
        assert json_row[column] == value, column
    project = read_xlsx(export("projects", "xlsx"))[0][0]
    assert project["title"] == "'=1+1 robots"
    assert neutralise(-3) == -3 and neutralise("a=b") == "a=b"


def test_xlsx_types_and_source_sheet(data):
    rows, source = read_xlsx(export("projects", "xlsx"))
    assert rows[0]["eu_contribution"] == 2000000.5
    assert rows[0]["start"].date() == date(2021, 3, 1)
    assert source[0] == [ATTRIBUTION]
    assert "© EuroGeographics" in ATTRIBUTION and "CORDIS" in ATTRIBUTION and "Eurostat" in ATTRIBUTION


def test_regions_default_to_the_nuts_version_in_use(data):
    rows = json.loads(export("regions", "json"))
    assert [r["code"] for r in rows] == ["IT", "ITH5", "ITH55"]
    assert rows[1] == {
        "version": 2021, "code": "ITH5", "level": 2, "country": "IT", "name": "Emilia-Romagna",
        "national_name": "Emilia-Romagna", "parent_code": "IT", "urban_rural": "", "metropolitan": "",
        "coastal": "", "mountain": "", "border": "", "island": "", "capital": "", "label_lon": 11.0,
        "label_lat": 44.5,
    }
    old = json.loads(export("regions", "json", Region.objects.filter(version=2016)))
    assert [r["name"] for r in old] == ["Emilia-Romagna (2016)"]


def test_projects_json_numbers_and_dates(data):
    (project,) = json.loads(export("projects", "json"))
    assert project["eu_contribution"] == 2000000.5
    assert project["total_cost"] == 2500000
    assert project["start"] == "2021-03-01" and project["end"] is None


def test_empty_export(db):
    assert json.loads(export("organisations", "json")) == []
    assert read_csv(export("projects", "csv")) == []


def test_unknown_dataset_or_format(data):
    with pytest.raises(ExportError, match="unknown dataset 'people'; choose one of organisations, regions"):
        export("people", "csv")
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export("regions", "pdf")


def test_export_response_streams_the_filtered_queryset(data):
    queryset = Organisation.objects.filter(kind="university")
    response = export_response("organisations", queryset, "csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ris3hub-organisations-')
    rows = read_csv(b"".join(response.streaming_content))
    assert [r["name"] for r in rows] == ["Università di Bologna"]

    response = export_response("organisations", queryset, "xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows, _ = read_xlsx(b"".join(response.streaming_content))
    response.file_to_stream.close()  # not response.close(): that signals the end of a request (closes the DB)
    assert [r["name"] for r in rows] == ["Università di Bologna"]

    response = export_response("projects", Project.objects.all(), "json")
    assert json.loads(b"".join(response.streaming_content))[0]["number"] == "101000001"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_cli_export_to_a_file(data, tmp_path, fmt):
    target = tmp_path / f"organisations.{fmt}"
    assert main(["export", "organisations", "--format", fmt, "-o", str(target)]) == 0
    content = target.read_bytes()
    if fmt == "csv":
        names = {r["name"] for r in read_csv(content)}
    elif fmt == "xlsx":
        names = {r["name"] for r in read_xlsx(content)[0]}
    else:
        names = {r["name"] for r in json.loads(content)}
    assert "Università di Bologna" in names and len(names) == 2


def test_xlsx_to_a_stream_that_cannot_seek(data):
    class Pipe(io.RawIOBase):
        def __init__(self):
            self.chunks = []

        def writable(self):
            return True

        def write(self, b):
            self.chunks.append(bytes(b))
            return len(b)

    pipe = Pipe()
    export_dataset("regions", "xlsx", pipe)
    rows, _ = read_xlsx(b"".join(pipe.chunks))
    assert len(rows) == 3
