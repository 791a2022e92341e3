"""Hostile text rendered back and exported: markup is escaped in pages, formulas are neutralised in
spreadsheets, and a CLI import of a path that is no file is a clear error."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ris3hub.core.exports import export_dataset
from ris3hub.core.loading import run_import
from ris3hub.registry import actions
from ris3hub.registry.models import OrganisationKind

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]


def test_markup_in_a_name_and_in_the_search_query_is_escaped():
    org = actions.do_create_organisation(SCRIPT, OrganisationKind.LABORATORY, country="IT",
                                         description=f"Lab {SCRIPT} <img src=x onerror=alert(1)>")
    client = Client()
    for url in (org.get_absolute_url(), f"/search/?q={SCRIPT}", f"/organisations/?q={SCRIPT}"):
        response = client.get(url)
        assert response.status_code in (200, 503), url
        body = response.content.decode()
        assert SCRIPT not in body and "<img src=x" not in body, url
    assert "&lt;script&gt;" in client.get(org.get_absolute_url()).content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_core_exports_neutralise_formulas(fmt):
    for i, formula in enumerate(FORMULAS):
        actions.do_create_organisation(f"{formula} lab {i}", OrganisationKind.LABORATORY, country="IT")
    out = io.BytesIO()
    export_dataset("organisations", fmt, out)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")))
        names = [row[1] for row in rows]
    else:
        names = [row[1] for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)]
    assert len([n for n in names if " lab " in str(n)]) == len(FORMULAS)
    assert all(not str(v).startswith(tuple("=+-@\t\r")) for v in names if v), names


def test_consultation_answers_workbook_neutralises_every_cell_people_wrote():
    from ris3hub.consultation import actions as consultation
    from ris3hub.consultation.models import Question
    from ris3hub.consultation.reports import answers_xlsx

    user = get_user_model().objects.create_user("-1+1", "x@example.org")
    now = timezone.now()
    c = consultation.create_consultation("Priorities", opens=now - timedelta(days=1), closes=now + timedelta(days=9))
    q = consultation.add_question(c, "What first?", Question.Kind.OPEN, required=True)
    consultation.publish(c)
    for formula in FORMULAS:
        consultation.submit_response(c, {q.pk: formula}, consent=True)
    consultation.submit_response(c, {q.pk: "signed"}, consent=True, user=user)
    book = load_workbook(io.BytesIO(answers_xlsx(c)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(tuple("=+-@\t\r"))), (sheet.title, value)


@pytest.mark.parametrize("name", ["missing.csv", "../../etc/no-such-file.csv"])
def test_import_of_a_missing_path_is_a_clear_error(tmp_path, name):
    report = run_import("taxonomy", [tmp_path / name], progress=False)
    assert not report.committed
    assert [e.reason for e in report.errors] == ["no such file or folder"]


def test_import_of_a_folder_where_a_file_is_expected_is_a_clear_error(tmp_path):
    report = run_import("spinoffs", [tmp_path], progress=False)
    assert not report.committed and report.errors
    assert all(str(tmp_path) in e.file and e.reason for e in report.errors)
