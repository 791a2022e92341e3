"""`ris3hub import nuts`: the Eurostat NUTS workbooks and the rOpenGov tables, real and broken."""

import shutil

import openpyxl
import pytest

from ris3hub.core.loading import run_import
from ris3hub.importers.nuts import merge, read_nuts_file
from ris3hub.regions.models import NutsChange, Region

WORKBOOKS = ["NUTS2021-NUTS2024.xlsx", "NUTS2016-NUTS2021.xlsx", "NUTS2013-NUTS2016.xlsx"]
ITALY_NUTS2 = {"ITC1", "ITC2", "ITC3", "ITC4", "ITF1", "ITF2", "ITF3", "ITF4", "ITF5", "ITF6", "ITG1", "ITG2",
               "ITH1", "ITH2", "ITH3", "ITH4", "ITH5", "ITI1", "ITI2", "ITI3", "ITI4"}


@pytest.fixture(scope="module")
def nuts(django_db_setup, django_db_blocker, shared_data):
    """The three Eurostat workbooks, imported once for this module and removed after it."""
    with django_db_blocker.unblock():
        report = run_import("nuts", [shared_data / "nuts" / name for name in WORKBOOKS], progress=False)
        assert report.committed, [str(e) for e in report.errors]
        yield report
        NutsChange.objects.all().delete()
        Region.objects.all().delete()


def region(version, code):
    return Region.objects.get(version=version, code=code)


@pytest.mark.django_db
def test_versions_and_the_italian_regions(nuts):
    assert set(Region.objects.values_list("version", flat=True)) == {2013, 2016, 2021, 2024}
    italy = set(Region.objects.filter(version=2021, country="IT", level=2).values_list("code", flat=True))
    assert italy == ITALY_NUTS2
    emilia = region(2021, "ITH5")
    assert (emilia.name, emilia.name_latn, emilia.level, emilia.country) == ("Emilia-Romagna", "Emilia-Romagna", 2, "IT")
    assert emilia.parent.code == "ITH" and emilia.parent.parent.code == "IT"
    assert sorted(emilia.children.values_list("code", flat=True)) == [f"ITH5{i}" for i in range(1, 10)]
    assert Region.objects.get(version=2021, code="IT").name == "Italia"
    assert not Region.objects.filter(code__in=["ITZ", "ITZZ", "ITZZZ"]).exists()  # Extra-Regio is left out


@pytest.mark.django_db
def test_typologies_of_a_nuts3_region(nuts):
    for version in (2021, 2024):
        bologna = region(version, "ITH55")
        assert (bologna.urban_rural, bologna.coastal, bologna.metropolitan, bologna.mountain, bologna.border,
                bologna.island) == ("intermediate", "non-coastal", "metropolitan region (other)", "non-mountain",
                                    "Non-border", "Non-island")
    assert region(2024, "ITH52").mountain == "mountain (> 50% of surface in mountain areas)"
    assert region(2024, "BE100").capital == "Capital region"


@pytest.mark.django_db
def test_latin_names_of_regions_written_in_other_scripts(nuts):
    vidin = region(2024, "BG311")
    assert (vidin.name, vidin.name_latn) == ("Видин", "Vidin")
    assert region(2021, "EL30").name_latn == "Attiki"


@pytest.mark.django_db
def test_change_pairs_map_every_code(nuts):
    def pairs(fv, code):
        return set(NutsChange.objects.filter(from_version=fv, from_code=code).values_list("to_code", flat=True))

    assert pairs(2016, "ITH55") == {"ITH55"}  # identity pairs are kept
    assert pairs(2016, "ITG25") == {"ITG2D"}  # recoded
    assert pairs(2016, "ITG29") == {"ITG2D"}  # discontinued: successor named by ITG2D's line
    assert pairs(2016, "HR04") == {"HR02", "HR05", "HR06"}  # "split into new HR02, HR05 and HR06"
    assert pairs(2021, "DEG04") == {"DEG0S"}  # followed by the new region of the same name
    assert pairs(2013, "FR24") == {"FRB0"}
    codes_2016 = set(Region.objects.filter(version=2016).values_list("code", flat=True))
    mapped = set(NutsChange.objects.filter(from_version=2016, to_version=2021).values_list("from_code", flat=True))
    assert codes_2016 <= mapped


@pytest.mark.django_db
def test_an_amendment_inside_a_version_adds_the_code_to_it(nuts):
    # Norway merged NO061 and NO062 into NO060 on 1 January 2018, while NUTS 2016 was in force.
    assert region(2016, "NO060").name == "Trøndelag"


@pytest.mark.django_db
def test_second_run_changes_nothing_and_dry_run_writes_nothing(nuts, shared_data):
    again = run_import("nuts", [shared_data / "nuts" / name for name in WORKBOOKS], progress=False)
    assert again.committed and again.changed == 0
    before = Region.objects.count()
    dry = run_import("nuts", [shared_data / "nuts" / "all_valid_nuts_codes.csv"], dry_run=True, progress=False)
    assert dry.counts["regions.Region"]["created"] > 0 and not dry.committed
    assert Region.objects.count() == before


def test_order_of_the_files_does_not_matter(shared_data):
    files = [read_nuts_file(shared_data / "nuts" / name) for name in WORKBOOKS]
    forward, backward = merge(files), merge(list(reversed(files)))
    assert forward.regions == backward.regions
    assert forward.changes.keys() == backward.changes.keys()


@pytest.mark.django_db
def test_ropengov_tables_add_every_version_without_overwriting_eurostat(nuts, shared_data):
    report = run_import("nuts", [shared_data / "nuts" / "all_valid_nuts_codes.csv",
                                 shared_data / "nuts" / "nuts_changes.csv"], progress=False)
    assert report.committed, [str(e) for e in report.errors]
    assert {1999, 2003, 2006, 2010} <= set(Region.objects.values_list("version", flat=True))
    assert region(2006, "ITD5").name == "Emilia-Romagna"
    assert region(2016, "BE").name == "BELGIQUE-BELGIË"  # as the NUTS 2013-2016 workbook spells it
    assert NutsChange.objects.filter(from_version=2006, from_code="ITD5", to_version=2010, to_code="ITH5").exists()


# ---- broken inputs: a clear error, nothing written


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_rejected(report, *words):
    assert not report.committed and report.errors
    text = " ".join(str(e) for e in report.errors)
    for word in words:
        assert word in text, text


@pytest.mark.django_db
def test_broken_csv_tables(tmp_path, shared_data):
    valid = (shared_data / "nuts" / "all_valid_nuts_codes.csv").read_bytes()
    cases = {
        "empty.csv": (b"", ["empty"]),
        "truncated.csv": (b"\n".join(valid.splitlines()[:50]) + b"\nnuts_level_3,ITH55", ["line 51", "2 fields"]),
        "latin1.csv": ("typology,geo,nuts\ncountry,IT,code_2021\nnuts_level_2,ITH5,code_2021\n"
                       "nuts_level_3,ITH5É,code_2021\n".encode("latin-1"), ["line 4", "UTF-8"]),
        "semicolons.csv": (valid[:500].replace(b",", b";"), ["semicolon-separated"]),
        "bad_code.csv": (b"typology,geo,nuts\ncountry,IT,code_2021\nnuts_level_3,IT h55,code_2021\n", ["line 3", "geo"]),
    }
    before = Region.objects.count()
    for name, (data, words) in cases.items():
        report = run_import("nuts", [write(tmp_path, name, data)], progress=False)
        assert_rejected(report, name, *words)
        assert Region.objects.count() == before


def _workbook(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "NUTS2024"
    sheet.append(["Country code", "NUTS Code", "NUTS label", "NUTS level"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.django_db
def test_broken_workbooks(tmp_path):
    before = Region.objects.count()
    duplicate = _workbook(tmp_path / "dup.xlsx", [["IT", "ITH", "Nord-Est", 1], ["IT", "ITH5", "Emilia-Romagna", 2],
                                                  ["IT", "ITH5", "Emilia Romagna", 2]])
    assert_rejected(run_import("nuts", [duplicate], progress=False), "line 4", "also on line 3")
    level = _workbook(tmp_path / "level.xlsx", [["IT", "ITH5", "Emilia-Romagna", 3]])
    assert_rejected(run_import("nuts", [level], progress=False), "line 2", "does not match")
    other = openpyxl.Workbook()
    other.active.append(["name", "value"])
    other.save(tmp_path / "other.xlsx")
    assert_rejected(run_import("nuts", [tmp_path / "other.xlsx"], progress=False), "not a NUTS workbook")
    assert_rejected(run_import("nuts", [write(tmp_path, "cut.xlsx", b"PK\x03\x04 truncated")], progress=False),
                    "not a readable Excel workbook")
    assert Region.objects.count() == before
    good = _workbook(tmp_path / "good.xlsx", [["IT", "ITH", "Nord-Est", 1], ["IT", "ITH5", "Emilia-Romagna", 2]])
    report = run_import("nuts", [good, duplicate], skip_invalid=True, progress=False)
    assert report.committed and report.errors
    assert Region.objects.get(version=2024, code="ITH5").name == "Emilia-Romagna"


def test_a_copy_under_another_name_is_recognised_by_its_sheets(tmp_path, shared_data):
    copy = tmp_path / "codes.xlsx"
    shutil.copy(shared_data / "nuts" / "NUTS2016-NUTS2021.xlsx", copy)
    assert read_nuts_file(copy).kind == "NUTS 2021 regions, NUTS 2016->2021 changes"
