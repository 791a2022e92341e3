"""Column values to JSON and back, and the checksum of a table's rows.

A row of a table is one JSON array, its values in the order of the table's columns. Values that JSON
has no type for are written as text that reads back exactly:

- datetimes: ISO 8601 in UTC with microseconds (``2024-05-02T08:30:00.123456+00:00``);
- dates and times: ISO 8601;
- decimals: their digits as text (``"45000.50"``), never a float;
- binary: base 64; UUIDs: the hyphenated text; durations: whole microseconds;
- JSON columns: the JSON value itself, keys in the order the database gave them.

The checksum of a table is order-free (the sum of the rows' hashes modulo 2**128), so a table reads
back with the same checksum whatever order a database returns it in; it is computed on the rows
with the keys of JSON values sorted, since PostgreSQL's jsonb keeps its own key order.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

MODULUS = 2**128

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _datetime(value: datetime) -> str:
    return (value.astimezone(UTC) if value.tzinfo is not None else value).isoformat()


def _isoformat(value: date | time) -> str:
    return value.isoformat()


def _binary(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


def _duration(value: timedelta) -> int:
    return value // timedelta(microseconds=1)


ENCODERS: dict[str, Encoder] = {
    "DateTimeField": _datetime,
    "DateField": _isoformat,
    "TimeField": _isoformat,
    "DecimalField": str,
    "FloatField": float,
    "BinaryField": _binary,
    "UUIDField": str,
    "DurationField": _duration,
}

DECODERS: dict[str, Decoder] = {
    "DateTimeField": datetime.fromisoformat,
    "DateField": date.fromisoformat,
    "TimeField": time.fromisoformat,
    "DecimalField": Decimal,
    "FloatField": float,
    "BinaryField": base64.b64decode,
    "UUIDField": uuid.UUID,
    "DurationField": lambda micro: timedelta(microseconds=micro),
}


def storage_type(field) -> str:
    """The internal type of what a column holds: a foreign key holds its target's type."""
    target = field
    while getattr(target, "remote_field", None) is not None and getattr(target, "target_field", None) is not None:
        target = target.target_field
    return target.get_internal_type()


def _converters(fields, table: dict[str, Callable]) -> list[tuple[int, Callable]]:
    return [(i, table[storage_type(f)]) for i, f in enumerate(fields) if storage_type(f) in table]


class RowCodec:
    """Encodes and decodes the rows of one table, whose columns are ``fields`` (Django model fields)."""

    def __init__(self, fields):
        self.fields = list(fields)
        self._encoders = _converters(self.fields, ENCODERS)
        self._decoders = _converters(self.fields, DECODERS)
        self.has_json = any(storage_type(f) == "JSONField" for f in self.fields)

    def encode(self, row: tuple) -> list:
        values = list(row)
        for i, encode in self._encoders:
            if values[i] is not None:
                values[i] = encode(values[i])
        return values

    def decode(self, values: list) -> list:
        values = list(values)
        for i, decode in self._decoders:
            if values[i] is not None:
                values[i] = decode(values[i])
        return values

    def line(self, values: list) -> bytes:
        """The row as written in a backup: one line of compact JSON."""
        return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def canonical(self, values: list, line: bytes) -> bytes:
        """What the checksum is taken of: the line, with the keys of JSON values sorted."""
        if not self.has_json:
            return line
        return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


class TableChecksum:
    """Row count and order-free checksum of a table's rows."""

    def __init__(self):
        self.rows = 0
        self._sum = 0

    def add(self, canonical: bytes) -> None:
        self.rows += 1
        self._sum = (self._sum + int.from_bytes(hashlib.blake2b(canonical, digest_size=16).digest(), "big")) % MODULUS

    @property
    def hexdigest(self) -> str:
        return f"{self._sum:032x}"
