"""Reader of GISCO NUTS GeoJSON: region polygons (``NUTS_RG_*``) or label points (``NUTS_LB_*``).

The NUTS version is read from the file name (``NUTS_RG_60M_2021_4326.geojson`` is NUTS 2021),
as GISCO names its files; the coordinates must be WGS84 (EPSG:4326), the ``_4326`` files.
Geometries are kept as compact GeoJSON text with coordinates rounded to 4 decimals (about 10 m),
which keeps the full-resolution (1:1 million) files small enough to store and draw.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ris3hub.importers.base import InputError, RowError, clean_text, read_json
from ris3hub.importers.nuts import NUTS_CODE, is_extra_regio

DECIMALS = 4

# GISCO's typology codes, as the words of Eurostat's typology tables (0: not classified).
MOUNT_TYPE = {
    1: "mountain (> 50% of population live in mountain areas)",
    2: "mountain (> 50% of surface in mountain areas)",
    3: "mountain (> 50% of population live and > 50% of surface in mountain areas)",
    4: "non-mountain",
}
URBN_TYPE = {1: "predominantly urban", 2: "intermediate", 3: "predominantly rural"}
COAST_TYPE = {1: "coastal", 2: "coastal", 3: "non-coastal"}
TYPES = {"MOUNT_TYPE": ("mountain", MOUNT_TYPE), "URBN_TYPE": ("urban_rural", URBN_TYPE),
         "COAST_TYPE": ("coastal", COAST_TYPE)}
WGS84 = ("EPSG::4326", "EPSG:4326", "CRS84")


@dataclass
class Feature:
    index: int
    code: str
    name: str = ""
    name_latn: str = ""
    types: dict[str, str] = field(default_factory=dict)
    shape: dict[str, Any] = field(default_factory=dict)  # geometry text, or label_lon and label_lat


@dataclass
class GiscoFile:
    path: Path
    version: int
    features: list[Feature | RowError]


def version_from_name(path: Path) -> int:
    years = set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", path.name))
    if len(years) != 1:
        reason = "has no year" if not years else f"has several years ({', '.join(sorted(years))})"
        raise InputError(RowError(str(path), None, None,
                                  f"the file name {reason}, so the NUTS version is unknown; name the file as GISCO "
                                  "does, e.g. NUTS_RG_60M_2021_4326.geojson for NUTS 2021"))
    return int(years.pop())


def read_gisco(path: Path) -> GiscoFile:
    version = version_from_name(path)
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise InputError(RowError(str(path), None, None, "not a GeoJSON FeatureCollection"))
    crs = json.dumps(data.get("crs") or "")
    if data.get("crs") and not any(c in crs for c in WGS84):
        raise InputError(RowError(str(path), None, "crs", f"coordinates are not WGS84 ({crs}); use the _4326 file"))
    features: list[Feature | RowError] = []
    for index, item in enumerate(data["features"]):
        feature = _feature(path, index, item)
        if feature is not None:
            features.append(feature)
    if not features:
        raise InputError(RowError(str(path), None, None, "the file has no features"))
    return GiscoFile(path, version, features)


def _feature(path: Path, index: int, item: Any) -> Feature | RowError | None:
    where = f"feature {index}"

    def error(reason: str) -> RowError:
        return RowError(str(path), None, where, reason)

    if not isinstance(item, dict) or not isinstance(item.get("properties"), dict):
        return error("not a GeoJSON feature with properties")
    props = item["properties"]
    code = clean_text(props.get("NUTS_ID")).upper()
    if not NUTS_CODE.match(code):
        return error(f"NUTS_ID '{props.get('NUTS_ID')}' is not a NUTS code")
    if is_extra_regio(code):
        return None
    where = f"feature {index} ({code})"
    level = props.get("LEVL_CODE")
    if level is not None and level != len(code) - 2:
        return error(f"LEVL_CODE {level} does not match {code} (a level-{len(code) - 2} code)")
    feature = Feature(index, code, name=clean_text(props.get("NUTS_NAME")), name_latn=clean_text(props.get("NAME_LATN")))
    for prop, (field_name, words) in TYPES.items():
        value = props.get(prop)
        if value in (None, 0, ""):
            continue
        if value not in words:
            return error(f"{prop} {value!r} is not one of 0-{max(words)}")
        feature.types[field_name] = words[value]
    geometry = item.get("geometry")
    if not isinstance(geometry, dict):
        return error("the feature has no geometry")
    try:
        if geometry.get("type") == "Point":
            lon, lat = (_number(c) for c in geometry["coordinates"][:2])
            feature.shape = {"label_lon": round(lon, DECIMALS), "label_lat": round(lat, DECIMALS)}
        elif geometry.get("type") in ("Polygon", "MultiPolygon"):
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            kept = [p for p in (_polygon(p) for p in polygons) if p]
            if not kept:
                return error("the polygon is smaller than the stored precision")
            compact = {"type": "MultiPolygon", "coordinates": kept} if len(kept) > 1 else {"type": "Polygon", "coordinates": kept[0]}
            feature.shape = {"geometry": json.dumps(compact, separators=(",", ":"))}
        else:
            return error(f"geometry type {geometry.get('type')!r} is neither a Point nor a (Multi)Polygon")
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        return error(f"malformed coordinates: {exc}")
    return feature


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a number")
    return float(value)


def _polygon(rings: list) -> list:
    """Rounded rings without repeated positions; holes or islets that vanish at this precision go."""
    out = []
    for i, ring in enumerate(rings):
        kept: list[list[float]] = []
        for position in ring:
            point = [round(_number(position[0]), DECIMALS), round(_number(position[1]), DECIMALS)]
            if not kept or kept[-1] != point:
                kept.append(point)
        if len(kept) >= 4:
            out.append(kept)
        elif i == 0:
            return []
    return out
