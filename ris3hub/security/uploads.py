"""Checks every uploaded file passes before a form hands it on: size, name, extension, content.

A file's name is the uploader's text, never a path: ``safe_filename`` keeps its last part with
only letters, digits, '.', '-' and '_', for messages and download names; nothing on the server is
opened or written under it. The content must be what the extension says: an .xlsx a real
workbook (a zip holding xl/workbook.xml, not inflating past ``MAX_INFLATION`` times its size),
a .csv UTF-8 text without NUL bytes.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath, PureWindowsPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

XLSX_MAGIC = b"PK\x03\x04"
MAX_INFLATION = 100  # an .xlsx unpacks to at most this many times its size (zip bombs do far more)
MAX_NAME_LENGTH = 120
_UNSAFE = re.compile(r"[^\w.\-]+", re.ASCII)


def safe_filename(name: str, default: str = "upload") -> str:
    """The last part of ``name`` (either slash), stripped to [A-Za-z0-9._-]: '../../x.csv' -> 'x.csv'."""
    name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode("ascii")
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = _UNSAFE.sub("_", base).strip("._") or default
    if len(base) > MAX_NAME_LENGTH:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_NAME_LENGTH - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 10 \
            else base[:MAX_NAME_LENGTH]
    return base


def max_upload_bytes() -> int:
    return settings.RIS3HUB_MAX_UPLOAD_BYTES


def _head(upload: UploadedFile, size: int) -> bytes:
    upload.seek(0)
    data = upload.read(size)
    upload.seek(0)
    return data


def check_xlsx(upload: UploadedFile) -> None:
    if not _head(upload, 4).startswith(XLSX_MAGIC):
        raise ValidationError(_("The file is not an Excel workbook (.xlsx), whatever its name says."), code="content")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(_("The workbook is damaged and cannot be opened (%(reason)s).") % {"reason": exc},
                              code="content") from exc
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise ValidationError(_("The file is a zip archive but not an Excel workbook (.xlsx)."), code="content")
    if inflated > MAX_INFLATION * max(upload.size, 1):
        raise ValidationError(_("The workbook unpacks to %(mb).0f MB: too large to read.")
                              % {"mb": inflated / 1024 / 1024}, code="content")


def check_csv(upload: UploadedFile) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(_("Line %(line)d: byte 0x%(byte)02x is not UTF-8. Save the file as “CSV UTF-8”.")
                              % {"line": line, "byte": data[exc.start]}, code="encoding") from exc
    if "\x00" in text:
        raise ValidationError(_("The file holds binary data, not CSV text."), code="content")


CONTENT_CHECKS: dict[str, Callable[[UploadedFile], None]] = {".xlsx": check_xlsx, ".csv": check_csv}


def check_upload(upload: UploadedFile, extensions: Mapping[str, str], max_bytes: int | None = None) -> None:
    """Raise ValidationError (one message a person can act on) unless ``upload`` is acceptable.

    ``extensions`` maps each accepted suffix ('.csv') to its description ('CSV file').
    """
    limit = min(max_bytes or max_upload_bytes(), max_upload_bytes())
    if upload.size > limit:
        raise ValidationError(_("The file is %(size).1f MB; at most %(limit).1f MB are accepted.")
                              % {"size": upload.size / 1024 / 1024, "limit": limit / 1024 / 1024}, code="size")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    suffix = PurePosixPath(safe_filename(upload.name)).suffix.lower()
    if suffix not in extensions:
        accepted = ", ".join(f"{description} ({ext})" for ext, description in extensions.items())
        raise ValidationError(_("“%(suffix)s” files are not accepted; accepted: %(accepted)s.")
                              % {"suffix": suffix or upload.name, "accepted": accepted}, code="extension")
    check = CONTENT_CHECKS.get(suffix)
    if check is not None:
        check(upload)


class UploadField(forms.FileField):
    """A FileField that runs ``check_upload`` and replaces the file's name by its ``safe_filename``."""

    def __init__(self, *, extensions: Mapping[str, str], max_bytes: int | None = None, **kwargs):
        self.extensions = dict(extensions)
        self.max_bytes = max_bytes
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ",".join(self.extensions)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and isinstance(upload, UploadedFile):
            check_upload(upload, self.extensions, self.max_bytes)
            upload.name = safe_filename(upload.name)
        return upload
