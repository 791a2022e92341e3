"""Running an import: one transaction, idempotent upserts on natural keys, every rejected row reported.

A loader is a function ``load(paths, ctx)`` that reads files with the readers in
``ris3hub.importers``, checks rows against the database and writes them through
``ctx.upserter(...)``. ``run_import`` decides at the end whether anything is kept:

* no errors: committed (unless ``dry_run``);
* errors without ``skip_invalid``: rolled back, nothing written;
* errors with ``skip_invalid``: the valid rows are committed, the report says which rows were not.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm

from ris3hub.importers.base import InputError, RowError

# kind -> dotted path of its loader; the CLI's `ris3hub import KIND` reads this table.
LOADERS: dict[str, tuple[str, str]] = {
    "nuts": ("ris3hub.regions.loaders.load_nuts", "NUTS code lists and change tables (Eurostat xlsx, rOpenGov csv)"),
    "gisco": ("ris3hub.regions.loaders.load_gisco", "GISCO NUTS GeoJSON: region polygons or label points"),
    "cordis": ("ris3hub.projects.loaders.load_cordis", "CORDIS files, recognised from their header"),
    "eurostat": ("ris3hub.indicators.loaders.load_eurostat", "Eurostat TSV (and tidy CSV) tables by NUTS region"),
    "eurito": ("ris3hub.indicators.loaders.load_eurito", "Nesta EURITO indicator CSV with its JSON schema"),
    "spinoffs": ("ris3hub.registry.loaders.spinoffs.load_spinoffs", "Italian research spin-offs (knowledge-share JSON)"),
    "registry": ("ris3hub.registry.loaders.template.load_registry", "the ris3hub registry template (CSV folder or XLSX)"),
    "taxonomy": ("ris3hub.taxonomy.loaders.load_taxonomy", "classification schemes (Emilia-Romagna network JSON, scheme CSV)"),
    "strategy": ("ris3hub.strategies.loaders.load_strategy", "S3 strategies: priorities of a region and the domains they cover (CSV or XLSX)"),
}


class _Rollback(Exception):
    pass


@dataclass
class ImportReport:
    kind: str
    files: list[str]
    dry_run: bool = False
    skip_invalid: bool = False
    committed: bool = False
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def summary_lines(self) -> list[str]:
        lines = []
        for label, c in sorted(self.counts.items()):
            lines.append(f"{label}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged")
        if self.errors:
            lines.append(f"{len(self.errors)} rejected row(s):")
            lines += [f"  {e}" for e in self.errors]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        elif not self.committed:
            lines.append("nothing was written (fix the rows above, or pass --skip-invalid to import the valid rows)")
        elif self.errors:
            lines.append("the valid rows were written; the rejected rows were not")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "files": self.files,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "counts": {k: dict(v) for k, v in self.counts.items()},
            "errors": [e.as_dict() for e in self.errors],
        }


def _field_value(field: models.Field, value: Any) -> Any:
    """The value as the database gives it back, so that re-imports compare equal."""
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return Decimal(str(value)).quantize(Decimal(10) ** -field.decimal_places)
    if isinstance(field, models.ForeignKey):
        return value
    return field.to_python(value)


class BulkUpserter:
    """Creates or updates rows of one model by natural key, in batches, counting what changed."""

    def __init__(self, ctx: ImportContext, model: type[models.Model], key: tuple[str, ...], batch_size: int = 2000,
                 queryset: models.QuerySet | None = None):
        self.ctx = ctx
        self.model = model
        self.queryset = queryset if queryset is not None else model.objects.all()
        self.key = key
        self.batch_size = batch_size
        self.label = model._meta.label
        self._existing: dict[tuple, models.Model] | None = None
        self._new: list[models.Model] = []
        self._dirty: dict[int, tuple[models.Model, set[str]]] = {}
        self._fields = {f.attname: f for f in model._meta.concrete_fields}

    def _load(self) -> dict[tuple, models.Model]:
        if self._existing is None:
            rows = self.queryset.iterator(chunk_size=5000)
            self._existing = {tuple(getattr(o, k) for k in self.key): o for o in rows}
        return self._existing

    def get(self, key: tuple) -> models.Model | None:
        return self._load().get(key)

    def put(self, key: tuple, values: dict[str, Any] | None = None) -> models.Model:
        """Create the row with this key, or update its fields where they differ. Returns the object."""
        values = {k: _field_value(self._fields[k], v) for k, v in (values or {}).items()}
        existing = self._load()
        obj = existing.get(key)
        counts = self.ctx.report.counts[self.label]
        if obj is None:
            obj = self.model(**dict(zip(self.key, key)), **values)
            existing[key] = obj
            self._new.append(obj)
            counts["created"] += 1
            if len(self._new) >= self.batch_size:
                self.flush()
            return obj
        changed = {k for k, v in values.items() if getattr(obj, k) != v}
        if obj.pk is None:  # created earlier in this import, not yet flushed
            for k in changed:
                setattr(obj, k, values[k])
            return obj
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            if id(obj) not in self._dirty:
                counts["updated"] += 1
                self._dirty[id(obj)] = (obj, set())
            self._dirty[id(obj)][1].update(changed)
        elif id(obj) not in self._dirty:
            counts["unchanged"] += 1
        return obj

    def flush(self) -> None:
        if self._new:
            self.model.objects.bulk_create(self._new, batch_size=self.batch_size)
            self._new = []
        if self._dirty:
            by_fields: dict[frozenset, list] = defaultdict(list)
            for obj, fields in self._dirty.values():
                by_fields[frozenset(fields)].append(obj)
            from ris3hub.core.locking import is_versioned  # models: after Django is set up

            versioned = is_versioned(self.model)
            for fields, objs in by_fields.items():
                if versioned:  # a changed row is a new version: editors who loaded the old one are refused
                    for obj in objs:
                        obj.version = models.F("version") + 1
                    fields = fields | {"version"}
                self.model.objects.bulk_update(objs, list(fields), batch_size=self.batch_size)
            self._dirty = {}


class ImportContext:
    """What a loader gets: where to report rejected rows, progress, and upserters."""

    def __init__(self, report: ImportReport, progress: bool = True):
        self.report = report
        self.progress = progress
        self._upserters: list[BulkUpserter] = []
        self.cache: dict[str, Any] = {}

    def reject(self, error: RowError) -> None:
        self.report.errors.append(error)

    def rows(self, items: Iterable[Any], desc: str, total: int | None = None) -> Iterator[Any]:
        """Passes rows through with a progress bar; RowErrors are recorded and skipped."""
        bar = tqdm(items, desc=desc, total=total, unit=" rows", file=sys.stderr, leave=False,
                   disable=not self.progress or None, mininterval=0.5)
        for item in bar:
            if isinstance(item, RowError):
                self.reject(item)
            else:
                yield item

    def upserter(self, model: type[models.Model], key: tuple[str, ...], batch_size: int = 2000,
                 queryset: models.QuerySet | None = None) -> BulkUpserter:
        """An upserter by natural key; ``queryset`` limits the existing rows it compares with."""
        u = BulkUpserter(self, model, key, batch_size=batch_size, queryset=queryset)
        self._upserters.append(u)
        return u

    def flush(self) -> None:
        for u in self._upserters:
            u.flush()


def get_loader(kind: str):
    if kind not in LOADERS:
        raise KeyError(f"unknown import kind '{kind}'; choose one of {', '.join(LOADERS)}")
    module, _, name = LOADERS[kind][0].rpartition(".")
    return getattr(import_module(module), name)


def run_import(kind: str, paths: list[str | Path], dry_run: bool = False, skip_invalid: bool = False,
               progress: bool = True) -> ImportReport:
    """Import files of one kind in a single transaction; see the module docstring for what is kept."""
    report = ImportReport(kind=kind, files=[str(p) for p in paths], dry_run=dry_run, skip_invalid=skip_invalid)
    for p in paths:
        if not Path(p).exists():
            report.errors.append(RowError(str(p), None, None, "no such file or folder"))
    if report.errors:
        return report
    loader = get_loader(kind)
    ctx = ImportContext(report, progress=progress)
    from ris3hub.audit.imports import record_import, rows_not_logged  # models: after Django is set up

    started = timezone.now()
    try:
        with transaction.atomic(), rows_not_logged():
            loader([Path(p) for p in paths], ctx)
            ctx.flush()
            if dry_run or (report.errors and not skip_invalid):
                raise _Rollback
            report.committed = True
            # Imports write in bulk, past the signals: retire the cached page parts once this commits.
            from ris3hub.core.caching import note_data_changed

            note_data_changed()
    except _Rollback:
        pass
    except InputError as exc:
        report.errors.extend(exc.errors)
        report.committed = False
    if not dry_run:
        record_import(report, started, timezone.now())
    return report
