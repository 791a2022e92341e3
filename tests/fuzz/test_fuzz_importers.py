"""hypothesis on every importer reader: hostile files give RowErrors or an InputError naming the file, never a crash.

A reader may accept a file, reject rows (RowError with the file and a reason) or refuse the whole
file (InputError); a cordis or taxonomy file of no known kind may also be refused with the
documented UnknownFormat (a ValueError saying what the header is). Anything else (KeyError,
IndexError, UnicodeDecodeError, ZeroDivisionError, ...) is a bug at the boundary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import (
    check_clear, check_items, consume, delimited, encode, files, json_records, json_values, workbooks,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ris3hub.importers import cordis, cordis_formats, eurito, eurostat, gisco, nuts, registry_template, spinoffs
from ris3hub.importers import taxonomy
from ris3hub.importers.base import InputError

FEW = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 40)), deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                      HealthCheck.data_too_large, HealthCheck.large_base_example])
FEWER = settings(FEW, max_examples=15)  # workbooks: slower to write and to read


def run(call, *, also=()) -> list:
    """The reader's items, or [] when it refused the file with a clear error."""
    try:
        items = consume(call())
    except InputError as error:
        check_clear(error)
        return []
    except also as error:
        assert str(error).strip()
        return []
    check_items(items)
    return items


@pytest.fixture
def place(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    counter = iter(range(10**9))

    def write(name: str, content: bytes) -> Path:
        path = folder / str(next(counter))
        path.mkdir()
        path = path / name
        path.write_bytes(content)
        return path

    return write


ROPENGOV = ["typology", "geo", "nuts", "code_2016", "code_2021", "geo_name_2021", "change_2021", "nuts_level"]


@FEW
@given(content=files(delimited(ROPENGOV, delimiters=(",", ";"))))
def test_nuts_tables(place, content):
    for result in run(lambda: nuts.read_nuts_file(place("nuts_changes.csv", content))):
        nuts.merge([result])


NUTS_SHEET = ["Code 2021", "Code 2024", "Country", "NUTS level 1", "NUTS level 2", "NUTS level 3", "Level",
              "Change", "Label", "Explanation", "NUTS Code", "NUTS label", "NUTS-3 Code", "Urban-rural", "Coastal"]


@FEWER
@given(content=files(workbooks(NUTS_SHEET, ("NUTS & SR 2021", "NUTS2021-NUTS2024", "NUTS-3 Typologies"))))
def test_nuts_workbooks(place, content):
    for result in run(lambda: nuts.read_nuts_file(place("NUTS2021-NUTS2024.xlsx", content))):
        nuts.merge([result])


GEOJSON_PROPS = ["NUTS_ID", "LEVL_CODE", "NUTS_NAME", "NAME_LATN", "MOUNT_TYPE", "URBN_TYPE", "COAST_TYPE"]


@st.composite
def geojson(draw) -> bytes:
    def feature():
        return st.fixed_dictionaries({
            "properties": st.one_of(json_values, st.dictionaries(st.sampled_from(GEOJSON_PROPS), json_values)),
            "geometry": st.one_of(json_values, st.fixed_dictionaries({
                "type": st.sampled_from(["Point", "Polygon", "MultiPolygon", "Line"]), "coordinates": json_values})),
        })
    data = {"type": draw(st.sampled_from(["FeatureCollection", "Feature"])),
            "features": draw(st.one_of(st.lists(feature(), max_size=3), json_values)),
            "crs": draw(st.one_of(st.none(), json_values))}
    return encode(json.dumps(data), draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])))


@FEW
@given(content=files(geojson()), name=st.sampled_from(["NUTS_RG_60M_2021_4326.geojson", "NUTS_2016_2021.geojson",
                                                       "nuts.geojson", "../NUTS_LB_2021.geojson"]))
def test_gisco(place, content, name):
    run(lambda: gisco.read_gisco(place(Path(name).name, content)))
    run(lambda: gisco.version_from_name(Path(name)))


@st.composite
def eurostat_tsv(draw) -> bytes:
    header = draw(st.sampled_from(["freq,unit,geo\\TIME_PERIOD", "unit,geo\\time", "geo\\TIME_PERIOD", "unit\\time"]))
    years = draw(st.lists(st.sampled_from(["2020", "2021", "2021 ", "2021-Q1", "x"]), max_size=3))
    from hostile import cells
    rows = draw(st.lists(st.lists(cells, min_size=1, max_size=len(years) + 2), max_size=4))
    lines = ["\t".join([header, *years]), *("\t".join(r) for r in rows)]
    return encode("\n".join(lines), draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])))


@FEW
@given(content=files(eurostat_tsv(), delimited(["geo", "time", "TIME_PERIOD", "values", "OBS_VALUE", "flags",
                                                 "unit", "freq"], delimiters=(",", ";"))),
       name=st.sampled_from(["nama_10r_3gdp.tsv", "estat_pat.csv", "x.tsv.gz"]))
def test_eurostat(place, content, name):
    import gzip

    if name.endswith(".gz"):
        content = gzip.compress(content)[: max(len(content) // 2, 10)] if content[:1] == b"x" else gzip.compress(content)
    run(lambda: eurostat.read_eurostat(place(name, content)))


EURITO_SCHEMA = {"schema": {"value": {"id": "arxiv_count", "data_type": "int", "label": "arXiv papers"}},
                 "order": eurito.KEY_COLUMNS + ["value.id"], "title": "t", "source_url": ["http://x"]}


@FEW
@given(schema=st.one_of(st.just(json.dumps(EURITO_SCHEMA).encode()), json_records(["schema", "order", "value"],
                                                                                  top="any")),
       content=files(delimited([*eurito.KEY_COLUMNS, "arxiv_count"], delimiters=(",", ";"))))
def test_eurito(place, schema, content):
    loaded = run(lambda: eurito.read_schema(place("arxiv_count.json", schema)))
    good = eurito.read_schema(place("arxiv_count.json", json.dumps(EURITO_SCHEMA).encode()))
    for parsed in [*loaded, good]:
        run(lambda: eurito.read_eurito(place("arxiv_count.csv", content), parsed))


CORDIS_COLUMNS = sorted({c for f in cordis_formats.FORMATS for c in f.columns})


@st.composite
def cordis_files(draw) -> tuple[bytes, cordis_formats.CordisFormat]:
    fmt = draw(st.sampled_from(cordis_formats.FORMATS))
    content = draw(files(delimited(list(fmt.columns) + draw(st.lists(st.sampled_from(CORDIS_COLUMNS), max_size=3)),
                                   delimiters=(fmt.delimiter,))))
    return content, fmt


@FEW
@given(data=cordis_files())
def test_cordis_csv(place, data):
    content, fmt = data
    path = place("project.csv", content)
    run(lambda: cordis.recognise(path), also=(cordis_formats.UnknownFormat,))
    run(lambda: cordis.read_cordis(path, fmt))


@FEWER
@given(data=st.sampled_from(cordis_formats.FORMATS).flatmap(
    lambda fmt: st.tuples(files(workbooks(list(fmt.columns))), st.just(fmt))))
def test_cordis_workbooks(place, data):
    content, fmt = data
    path = place("cordis-h2020projects.xlsx", content)
    run(lambda: cordis.recognise(path), also=(cordis_formats.UnknownFormat,))
    run(lambda: cordis.read_cordis(path, fmt))


SPINOFF_KEYS = ["id", "name", "title", "abstract", "description", "owners", "trl", "lookingFor", "categories", "tags",
                "enablingTechnologies", "mainApplications", "fundingStage", "status"]


@FEW
@given(content=files(json_records(SPINOFF_KEYS)))
def test_spinoffs(place, content):
    run(lambda: spinoffs.read_spinoffs(place("spinoffs.json", content)))


VOCABULARIES = {name: ["a", "b"] for name in ("equipment_access", "membership_kind", "membership_status",
                                                "organisation_kind", "service_category")}


@FEW
@given(sheet=st.sampled_from(list(registry_template.SHEETS)), data=st.data())
def test_registry_template_csv(place, sheet, data):
    columns = registry_template.SHEETS[sheet].column_names
    content = data.draw(files(delimited(columns, delimiters=(",", ";"))))
    seen: dict = {}
    for sources in run(lambda: registry_template.read_sources(place(f"{sheet}.csv", content))):
        for source in sources:
            run(lambda: registry_template.read_rows(source, VOCABULARIES, seen))


@FEWER
@given(data=st.data())
def test_registry_template_workbook(place, data):
    columns = sorted({c for s in registry_template.SHEETS.values() for c in s.column_names})
    content = data.draw(files(workbooks(columns, list(registry_template.SHEETS))))
    seen: dict = {}
    for sources in run(lambda: registry_template.read_sources(place("registry.xlsx", content))):
        for source in sources:
            run(lambda: registry_template.read_rows(source, VOCABULARIES, seen))


@FEW
@given(content=files(delimited(taxonomy.SCHEME_COLUMNS, delimiters=(",", ";"))),
       mappings=files(delimited(taxonomy.MAPPING_COLUMNS, delimiters=(",", ";"))),
       tree=files(json_records(["Rete Alta Tecnologia", "_origin", "_scheme"], top="any")))
def test_taxonomy(place, content, mappings, tree):
    scheme_path, mappings_path = place("scheme.csv", content), place("mappings.csv", mappings)
    run(lambda: taxonomy.kind_of(scheme_path))
    run(lambda: taxonomy.read_scheme_csv(scheme_path))
    run(lambda: taxonomy.read_mappings_csv(mappings_path, ["exact", "broad"]))
    run(lambda: taxonomy.read_tree_json(place("tree.json", tree)))


@FEW
@given(value=st.one_of(json_values, st.sampled_from(["", "1.234,50", "1e400", "-", "x" * 1000])))
def test_field_parsers(value):
    """The shared field parsers raise ValueError with a reason, or return a value."""
    from ris3hub.importers import base

    for parse in (base.parse_decimal, base.parse_date, base.parse_bool, base.clean_text, cordis.parse_amount,
                  registry_template.parse_concepts):
        try:
            parse(value)
        except ValueError as error:
            assert str(error).strip()


@pytest.mark.parametrize("name", ["missing.csv", "a-folder"])
def test_a_path_that_is_no_file_is_an_input_error(tmp_path, name):
    (tmp_path / "a-folder").mkdir()
    for reader in (nuts.read_nuts_file, eurostat.read_eurostat, spinoffs.read_spinoffs, taxonomy.read_scheme_csv,
                   registry_template.read_sources):
        run(lambda: reader(tmp_path / name))
