"""`ris3hub import gisco`: GISCO NUTS polygons and label points, real and broken."""

import json

import pytest

from ris3hub.core.loading import run_import
from ris3hub.importers.base import InputError
from ris3hub.importers.gisco import read_gisco
from ris3hub.regions.models import NutsChange, Region

GISCO = ["NUTS_RG_60M_2021_4326.geojson", "NUTS_LB_2021_4326.geojson"]


@pytest.fixture(scope="module")
def shapes(django_db_setup, django_db_blocker, shared_data):
    """NUTS 2021 regions with their GISCO shapes, imported once for this module and removed after it."""
    with django_db_blocker.unblock():
        nuts = run_import("nuts", [shared_data / "nuts" / "NUTS2016-NUTS2021.xlsx",
                                   shared_data / "nuts" / "NUTS2021-NUTS2024.xlsx"], progress=False)
        assert nuts.committed, [str(e) for e in nuts.errors]
        report = run_import("gisco", [shared_data / "nuts" / name for name in GISCO], progress=False)
        assert report.committed, [str(e) for e in report.errors]
        yield report
        NutsChange.objects.all().delete()
        Region.objects.all().delete()


def _positions(coordinates):
    if isinstance(coordinates[0], (int, float)):
        yield coordinates
    else:
        for part in coordinates:
            yield from _positions(part)


@pytest.mark.django_db
def test_every_region_gets_its_polygon_and_label_point(shapes):
    assert shapes.counts["regions.Region"]["updated"] == 2010 + 8  # + 8 NUTS 2024 Latin names shared (below)
    emilia = Region.objects.get(version=2021, code="ITH5")
    geometry = json.loads(emilia.geometry)
    assert geometry["type"] in ("Polygon", "MultiPolygon")
    assert all(round(x, 4) == x for p in _positions(geometry["coordinates"]) for x in p)
    assert " " not in emilia.geometry  # compact JSON
    assert (emilia.label_lon, emilia.label_lat) == pytest.approx((11.03, 44.53), abs=0.05)
    assert not Region.objects.filter(version=2021, geometry="").exists()


@pytest.mark.django_db
def test_names_and_typologies_fill_what_the_code_lists_left_empty(shapes):
    # DEG04 is a NUTS 2021 region only: the NUTS-3 typology table (of NUTS 2024) does not classify it.
    suhl = Region.objects.get(version=2021, code="DEG04")
    assert (suhl.urban_rural, suhl.coastal) == ("intermediate", "non-coastal")  # URBN_TYPE 2, COAST_TYPE 3
    assert Region.objects.get(version=2021, code="ITH55").urban_rural == "intermediate"  # the xlsx word stays
    greece = Region.objects.get(version=2021, code="EL")
    assert (greece.name, greece.name_latn) == ("Ελλάδα", "Elláda")
    assert Region.objects.get(version=2024, code="EL").name_latn == "Elláda"  # same national name, other version


@pytest.mark.django_db
def test_second_run_changes_nothing(shapes, shared_data):
    again = run_import("gisco", [shared_data / "nuts" / name for name in GISCO], progress=False)
    assert again.committed and again.changed == 0


def _collection(features, crs="urn:ogc:def:crs:EPSG::4326"):
    return {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": crs}}, "features": features}


def _feature(code, geometry, **props):
    return {"type": "Feature", "geometry": geometry,
            "properties": {"NUTS_ID": code, "LEVL_CODE": len(code) - 2, "CNTR_CODE": code[:2], **props}}


def test_full_resolution_coordinates_are_rounded_and_slivers_dropped(tmp_path):
    islet = [[[10.00001, 44.00001], [10.00002, 44.00001], [10.00002, 44.00002], [10.00001, 44.00001]]]
    land = [[[10.123456789, 44.987654321], [11.5, 44.0], [11.0, 45.0], [10.123456789, 44.987654321]]]
    path = tmp_path / "NUTS_RG_01M_2021_4326.geojson"
    path.write_text(json.dumps(_collection([_feature("ITH55", {"type": "MultiPolygon", "coordinates": [land, islet]},
                                                     URBN_TYPE=2, MOUNT_TYPE=4, COAST_TYPE=3)])))
    shapes = read_gisco(path)
    feature = shapes.features[0]
    assert shapes.version == 2021
    assert json.loads(feature.shape["geometry"]) == {
        "type": "Polygon", "coordinates": [[[10.1235, 44.9877], [11.5, 44.0], [11.0, 45.0], [10.1235, 44.9877]]]}
    assert feature.types == {"urban_rural": "intermediate", "mountain": "non-mountain", "coastal": "non-coastal"}


def test_file_name_without_a_year_or_coordinates_in_another_projection(tmp_path):
    unnamed = tmp_path / "regions.geojson"
    unnamed.write_text(json.dumps(_collection([])))
    with pytest.raises(InputError, match="file name has no year"):
        read_gisco(unnamed)
    projected = tmp_path / "NUTS_RG_60M_2021_3035.geojson"
    projected.write_text(json.dumps(_collection([], crs="urn:ogc:def:crs:EPSG::3035")))
    with pytest.raises(InputError, match="not WGS84"):
        read_gisco(projected)


@pytest.mark.django_db
def test_unknown_region_is_a_row_error_and_nothing_is_written(shapes, tmp_path):
    point = {"type": "Point", "coordinates": [11.0, 44.0]}
    path = tmp_path / "NUTS_LB_2021_4326.geojson"
    path.write_text(json.dumps(_collection([_feature("ITH55", point), _feature("ITH5X", point)])))
    report = run_import("gisco", [path], progress=False)
    assert not report.committed
    assert [str(e) for e in report.errors] == [
        "NUTS_LB_2021_4326.geojson, column feature 1: NUTS_ID ITH5X is not a NUTS 2021 region "
        "(import the NUTS 2021 code list first)"]
    assert Region.objects.get(version=2021, code="ITH55").label_lon != 11.0
    report = run_import("gisco", [path], skip_invalid=True, progress=False)
    assert report.committed and Region.objects.get(version=2021, code="ITH55").label_lon == 11.0


@pytest.mark.django_db
def test_broken_files(shapes, tmp_path, shared_data):
    real = (shared_data / "nuts" / "NUTS_LB_2021_4326.geojson").read_bytes()
    cases = {
        "empty": (b"", "empty"),
        "truncated": (real[: len(real) // 2], "invalid JSON"),
        "latin1": ('{"type": "FeatureCollection", "features": [], "name": "Région"}'.encode("latin-1"), "UTF-8"),
        "not_geojson": (b'{"NUTS_ID": "ITH5"}', "not a GeoJSON FeatureCollection"),
        "bad_type": (json.dumps(_collection([_feature("ITH55", {"type": "Point", "coordinates": [1, 2]},
                                                      URBN_TYPE=7)])).encode(), "URBN_TYPE 7"),
    }
    before = list(Region.objects.filter(version=2021).values_list("label_lon", flat=True).order_by("code"))
    for name, (data, reason) in cases.items():
        path = tmp_path / f"NUTS_LB_2021_4326_{name}.geojson"
        path.write_bytes(data)
        report = run_import("gisco", [path], progress=False)
        assert not report.committed and reason in " ".join(str(e) for e in report.errors), (name, report.errors)
    assert list(Region.objects.filter(version=2021).values_list("label_lon", flat=True).order_by("code")) == before
