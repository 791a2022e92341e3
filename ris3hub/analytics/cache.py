"""Computed panels and measures kept in memory, one per (kind, matrix), until the data changes.

A page asks for the measures of one matrix (scheme, NUTS level, weight, depth); building them
reads the registry and runs the engines over every region, which takes a good part of a second.
The result is kept in this process, keyed by the matrix and by ``matrices.data_version()`` (counts
and largest ids of the tables the matrices are built from), so that an import that adds or
removes rows makes the next request compute afresh. The newest ``SIZE`` results are kept.

Panels (the counts) are also stored in the database (``StoredPanel``), so that another server
process, or the same one after a restart, reads them instead of counting the registry again.
"""

from __future__ import annotations

import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import IntegrityError

from ris3hub.analytics import aggregate, matrices

SIZE = 24
_lock = threading.Lock()
_store: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()
_building: dict[tuple, threading.Lock] = {}


def clear() -> None:
    with _lock:
        _store.clear()


def get(kind: str, key: tuple, build: Callable[[], Any], version: tuple | None = None) -> Any:
    """The cached value of (kind, key) for the current data, built by ``build()`` when missing.

    Two threads asking for the same missing value build it once: the second waits for the first.
    """
    version = matrices.data_version() if version is None else version
    slot = (kind, key)
    with _lock:
        found = _store.get(slot)
        if found is not None and found[0] == version:
            _store.move_to_end(slot)
            return found[1]
        builder = _building.setdefault(slot, threading.Lock())
    with builder:
        with _lock:
            found = _store.get(slot)
            if found is not None and found[0] == version:
                return found[1]
        value = build()
        with _lock:
            _store[slot] = (version, value)
            _store.move_to_end(slot)
            while len(_store) > SIZE:
                _store.popitem(last=False)
        return value


def panel(spec: matrices.MatrixSpec, version: tuple | None = None) -> matrices.Panel:
    """The panel of ``spec``, counted once per data version (and stored for other processes)."""
    version = matrices.data_version() if version is None else version
    return get("panel", spec.key, lambda: _stored_or_built(spec, version), version)


def _stored_or_built(spec: matrices.MatrixSpec, version: tuple) -> matrices.Panel:
    from ris3hub.analytics.models import StoredPanel

    key = ":".join(str(part) for part in spec.key)
    stamp = json.dumps(version)
    stored = StoredPanel.objects.filter(key=key, version=stamp).first()
    if stored is not None:
        counts = aggregate.counts_frame(pq.read_table(io.BytesIO(bytes(stored.counts))))
        return matrices.Panel(spec.scheme, spec.level, spec.weight, counts, stored.labels)
    built = matrices.build_panel(spec)
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(built.counts, preserve_index=False), buffer)
    try:
        StoredPanel.objects.update_or_create(key=key, defaults={"version": stamp, "counts": buffer.getvalue(),
                                                                "labels": built.labels})
    except IntegrityError:
        # Another server process stored the same panel between our read and our write: theirs
        # is as good as ours.
        pass
    return built


def space(spec: matrices.MatrixSpec, version: tuple | None = None):
    """The measures of the panel of ``spec`` (``measures.Space``), computed once per data version."""
    from ris3hub.analytics import measures

    version = matrices.data_version() if version is None else version
    return get("space", spec.key, lambda: measures.compute(panel(spec, version)), version)
