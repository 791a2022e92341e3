"""Uploads: size, extension and content checked with a field error; names never used as paths."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ris3hub.security.uploads import UploadField, check_upload, safe_filename

ACCEPTED = {".xlsx": "Excel workbook", ".csv": "CSV file"}


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _reason(upload, max_bytes=None) -> str:
    with pytest.raises(ValidationError) as error:
        check_upload(upload, ACCEPTED, max_bytes)
    return " ".join(error.value.messages)


@pytest.mark.parametrize(("name", "expected"), [
    ("../../x.csv", "x.csv"),
    ("..\\..\\windows\\system32\\x.csv", "x.csv"),
    ("/etc/passwd", "passwd"),
    ("report 2025 (final).xlsx", "report_2025_final_.xlsx"),
    ("rapporto_città.csv", "rapporto_citta.csv"),
    ("..", "upload"),
    ("", "upload"),
    ("a\x00b.csv", "a_b.csv"),
    ("x" * 300 + ".csv", "x" * 116 + ".csv"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_good_files_pass():
    check_upload(SimpleUploadedFile("report.xlsx", _xlsx()), ACCEPTED)
    check_upload(SimpleUploadedFile("report.csv", "organisation_id,città\n1,2\n".encode()), ACCEPTED)


def test_too_large():
    reason = _reason(SimpleUploadedFile("r.csv", b"a" * 3 * 1024 * 1024), max_bytes=2 * 1024 * 1024)
    assert reason == "The file is 3.0 MB; at most 2.0 MB are accepted."


def test_global_limit_caps_a_form_limit(settings):
    settings.RIS3HUB_MAX_UPLOAD_BYTES = 50
    assert "are accepted" in _reason(SimpleUploadedFile("r.csv", b"a" * 100), max_bytes=10_000)


@pytest.mark.parametrize("name", ["x.exe", "x.csv.php", "x.xls", "x", "x.html"])
def test_wrong_extension(name):
    assert "not accepted" in _reason(SimpleUploadedFile(name, b"a,b\n"))


def test_empty_file():
    assert "empty" in _reason(SimpleUploadedFile("r.csv", b""))


def test_xlsx_that_is_not_a_workbook():
    assert "not an Excel workbook" in _reason(SimpleUploadedFile("r.xlsx", b"id,name\n1,x\n"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "zip archive but not an Excel workbook" in _reason(SimpleUploadedFile("r.xlsx", buffer.getvalue()))
    assert "damaged" in _reason(SimpleUploadedFile("r.xlsx", b"PK\x03\x04" + b"\x00" * 100))


def test_xlsx_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * 20_000_000)
    assert "unpacks to" in _reason(SimpleUploadedFile("r.xlsx", buffer.getvalue()))


def test_csv_in_another_encoding():
    reason = _reason(SimpleUploadedFile("r.csv", "id,name\n1,Università\n".encode("latin-1")))
    assert "Line 2" in reason and "UTF-8" in reason


def test_csv_with_binary_data():
    assert "binary data" in _reason(SimpleUploadedFile("r.csv", b"id,name\n1,\x00\x00\n"))


def test_upload_field_gives_a_field_error_and_a_safe_name():
    from django import forms

    class Form(forms.Form):
        file = UploadField(extensions=ACCEPTED, max_bytes=1024)

    form = Form(files={"file": SimpleUploadedFile("../../evil.exe", b"MZ")})
    assert not form.is_valid()
    assert "not accepted" in form.errors["file"][0]
    form = Form(files={"file": SimpleUploadedFile("../../good.csv", b"a,b\n1,2\n")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name == "good.csv"
    assert 'accept=".xlsx,.csv"' in str(form["file"])


def test_every_form_file_field_checks_uploads():
    """Each FileField of a ris3hub form is an UploadField (size, extension, content checked)."""
    import importlib
    import pkgutil

    from django import forms

    import ris3hub

    unchecked = []
    for module_info in pkgutil.walk_packages(ris3hub.__path__, "ris3hub."):
        if not module_info.name.endswith(("forms", ".forms")) and ".forms." not in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                for name, field in value.base_fields.items():
                    if isinstance(field, forms.FileField) and not isinstance(field, UploadField):
                        unchecked.append(f"{module.__name__}.{value.__name__}.{name}")
    assert not unchecked, f"file fields without upload checks: {unchecked}"


def test_monitoring_upload_form_rejects_a_renamed_file():
    from ris3hub.monitoring.forms import UploadForm

    form = UploadForm(files={"file": SimpleUploadedFile("report.xlsx", b"<html>not a workbook</html>")})
    assert not form.is_valid()
    assert "not an Excel workbook" in form.errors["file"][0]


def test_request_body_over_the_limit_is_refused_before_reading(client, settings):
    settings.RIS3HUB_MAX_UPLOAD_BYTES = 1024
    body = b"x" * (1024 + 300 * 1024)
    response = client.generic("POST", "/search/", body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "File too large" in response.content.decode()
    response = client.generic("POST", "/api/regions/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
