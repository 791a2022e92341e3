"""Loaders of NUTS regions: code lists and change tables (``import nuts``), GISCO shapes (``import gisco``).

Regions are upserted on (version, code); a region's parent is the code one character shorter in
the same version, looked up after every file of the import has been read, so the order of the
files does not matter. Facts from Eurostat's own files overwrite what the database holds; facts
of lower rank (rOpenGov tables, GISCO properties, names borrowed from another version) only fill
fields that are empty, so that importing them after the Eurostat files changes nothing that
Eurostat said.
"""

from __future__ import annotations

from pathlib import Path

from ris3hub.importers.base import InputError, RowError
from ris3hub.importers.gisco import read_gisco
from ris3hub.importers.nuts import (
    OFFICIAL,
    TYPOLOGY_FIELDS,
    Merged,
    NutsFile,
    fold,
    is_latin,
    merge,
    read_nuts_file,
)
from ris3hub.regions.models import NutsChange, Region

NUTS_SUFFIXES = {".xlsx", ".xlsm", ".csv"}


def _files(paths: list[Path], suffixes: set[str]) -> list[Path]:
    """The files named, and those of the given kinds inside a folder named."""
    out: list[Path] = []
    for p in paths:
        out += sorted(f for f in p.iterdir() if f.suffix.lower() in suffixes) if p.is_dir() else [p]
    return out


def load_nuts(paths: list[Path], ctx) -> None:
    files: list[NutsFile] = []
    for path in _files(paths, NUTS_SUFFIXES):
        try:
            nuts_file = read_nuts_file(path)
        except InputError as exc:
            for error in exc.errors:
                ctx.reject(error)
            continue
        for error in nuts_file.errors:
            ctx.reject(error)
        files.append(nuts_file)
    if not files:
        return
    merged = merge(files)
    _write_regions(merged, ctx)
    _write_changes(merged, ctx)


def _write_regions(merged: Merged, ctx) -> None:
    regions = ctx.upserter(Region, ("version", "code"))
    by_level = sorted(merged.regions.values(), key=lambda r: (r.level, r.version, r.code))
    latin_names = _latin_names(merged)
    level = 0
    for region in ctx.rows(by_level, desc="regions", total=len(by_level)):
        if region.level != level:
            regions.flush()  # parents get their ids before their children are written
            level = region.level
        key = (region.version, region.code)
        current = regions.get(key)
        values = {"level": region.level, "country": region.country}
        ranked = {"name": region.name, "name_latn": region.name_latn, **region.types}
        for field, fact in ranked.items():
            if fact is None:
                continue
            value, rank = fact
            have = getattr(current, field, "") if current is not None else ""
            if field == "name_latn" and not is_latin(have):
                have = ""  # a name in another script, kept only until a Latin one comes
            if field == "name_latn" and not is_latin(value):
                value = values.get("name", getattr(current, "name", "") if current is not None else "") or value
            if rank >= OFFICIAL or not have:
                values[field] = value
        name = values.get("name", getattr(current, "name", ""))
        latin = latin_names.get((region.code, fold(name)))
        if latin and not is_latin(values.get("name_latn", getattr(current, "name_latn", ""))):
            values["name_latn"] = latin
        parent = regions.get((region.version, region.code[:-1])) if region.level > 0 else None
        values["parent_id"] = parent.pk if parent is not None else None
        limit = Region._meta.get_field("name").max_length
        if len(values.get("name", "")) > limit or len(values.get("name_latn", "")) > limit:
            source = region.named_by
            ctx.reject(RowError(source.file if source else "", source.line if source else None, "label",
                                f"the name of {region.code} is longer than {limit} characters"))
            continue
        regions.put(key, values)


def _latin_names(merged: Merged) -> dict[tuple[str, str], str]:
    """Latin names by code and national name, from this import and the database: a name
    transliterated for one version serves every version that names the region the same way."""
    found: dict[tuple[str, str], str] = {}
    for code, name, latin in Region.objects.exclude(name="").values_list("code", "name", "name_latn").iterator():
        if is_latin(latin) and not is_latin(name):
            found.setdefault((code, fold(name)), latin)
    for region in merged.regions.values():
        if region.name and region.name_latn and is_latin(region.name_latn[0]) and not is_latin(region.name[0]):
            found[(region.code, fold(region.name[0]))] = region.name_latn[0]
    return found


def _write_changes(merged: Merged, ctx) -> None:
    changes = ctx.upserter(NutsChange, ("from_version", "from_code", "to_version", "to_code"))
    limits = {f: NutsChange._meta.get_field(f).max_length for f in ("change", "explanation")}
    for key in ctx.rows(sorted(merged.changes), desc="code changes", total=len(merged.changes)):
        fact = merged.changes[key]
        current = changes.get(key)
        values = {f: getattr(fact, f) for f in limits
                  if fact.rank >= OFFICIAL or current is None or not getattr(current, f)}
        too_long = [f for f, limit in limits.items() if len(values.get(f, "")) > limit]
        if too_long:
            ctx.reject(RowError(fact.file, fact.line, too_long[0],
                                f"longer than {limits[too_long[0]]} characters"))
            continue
        changes.put(key, values)


# ---- GISCO


def load_gisco(paths: list[Path], ctx) -> None:
    regions = ctx.upserter(Region, ("version", "code"))
    versions = sorted(set(Region.objects.values_list("version", flat=True)))
    for path in _files(paths, {".geojson", ".json"}):
        try:
            shapes = read_gisco(path)
        except InputError as exc:
            for error in exc.errors:
                ctx.reject(error)
            continue
        if not Region.objects.filter(version=shapes.version).exists():
            ctx.reject(RowError(str(path), None, None,
                                f"no NUTS {shapes.version} regions are loaded; run `ris3hub import nuts` first"))
            continue
        for feature in ctx.rows(shapes.features, desc=path.name, total=len(shapes.features)):
            current = regions.get((shapes.version, feature.code))
            if current is None:
                ctx.reject(RowError(str(path), None, f"feature {feature.index}",
                                    f"NUTS_ID {feature.code} is not a NUTS {shapes.version} region "
                                    f"(import the NUTS {shapes.version} code list first)"))
                continue
            values = dict(feature.shape)
            if feature.name and not current.name:
                values["name"] = feature.name
            if feature.name_latn and (not current.name_latn or not is_latin(current.name_latn)):
                values["name_latn"] = feature.name_latn
            for field, word in feature.types.items():
                if field in TYPOLOGY_FIELDS and not getattr(current, field):
                    values[field] = word
            regions.put((shapes.version, feature.code), values)
            if "name_latn" in values:
                _share_latin_name(regions, versions, current, values["name_latn"])


def _share_latin_name(regions, versions: list[int], region: Region, latin: str) -> None:
    """The same code with the same national name in another version, still without a Latin name,
    takes this one (the NUTS 2024 country names, which no code list gives in Latin script)."""
    for version in versions:
        other = regions.get((version, region.code))
        if (other is not None and other is not region and fold(other.name) == fold(region.name)
                and not is_latin(other.name_latn)):
            regions.put((version, region.code), {"name_latn": latin})
