"""The shipped blank template, its documentation and the importer's column declarations agree."""

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ris3hub.importers.registry_template import SHEETS
from ris3hub.registry import models
from ris3hub.registry.template import EXAMPLE_DIR, TEMPLATE_DIR, WORKBOOK, build_workbook, columns_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "registry-template.md"
MODELS = {"organisations": models.Organisation, "memberships": models.Membership, "competences": models.Competence,
          "equipment": models.Equipment, "services": models.Service, "contracts": models.ResearchContract}


def values(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("name", list(SHEETS))
def test_the_blank_csvs_and_the_example_have_the_declared_header(name):
    for folder in (TEMPLATE_DIR, EXAMPLE_DIR):
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == SHEETS[name].column_names


def test_the_shipped_workbook_is_what_the_script_makes():
    shipped, built = load_workbook(WORKBOOK), build_workbook()
    assert shipped.sheetnames == built.sheetnames == ["instructions", *SHEETS]
    for name in shipped.sheetnames:
        assert values(shipped[name]) == values(built[name]), name
    kinds = shipped["organisations"].data_validations.dataValidation
    assert any('"company,university,research,' in v.formula1 for v in kinds)


def test_the_instructions_sheet_describes_every_column():
    rows = values(build_workbook()["instructions"])
    assert rows[0] == ["sheet", "column", "required", "format", "allowed values", "example", "what it is"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(s.name, c.name) for s in SHEETS.values() for c in s.columns]
    kind = next(r for r in rows if r[:2] == ["organisations", "kind"])
    assert "technopole" in kind[4] and "spinoff (start-up / spin-off)" in kind[4]


@pytest.mark.parametrize("name", list(SHEETS))
def test_the_documentation_holds_every_column_table(name):
    assert columns_markdown(SHEETS[name]) in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", list(SHEETS))
def test_text_limits_are_the_database_limits(name):
    model = MODELS[name]
    fields = {f.name: f for f in model._meta.get_fields()}
    for column in SHEETS[name].columns:
        field = fields.get(column.name)
        if column.max_length and field is not None:
            assert column.max_length == field.max_length, (name, column.name)
        elif field is not None and column.type == "text" and getattr(field, "max_length", None):
            pytest.fail(f"{name}.{column.name} has no declared limit but the database allows {field.max_length}")
