"""`ris3hub import eurostat`: Eurostat TSV (plain and gzip) and tidy CSV, real and broken."""

import gzip

import pytest

from ris3hub.core.loading import run_import
from ris3hub.importers.eurostat import read_eurostat
from ris3hub.indicators.models import Indicator, Observation

GDP_PPS_HAB = "nama_10r_3gdp:unit=PPS_EU27_2020_HAB"


@pytest.fixture(scope="module")
def gdp_lines(shared_data):
    """The header and the lines of Italy, Emilia-Romagna, Albania and the EU of the real GDP table."""
    lines = (shared_data / "eurostat" / "nama_10r_3gdp.tsv").read_text(encoding="utf-8").splitlines()
    wanted = [line for line in lines[1:] if line.split("\t")[0].split(",")[-1] in ("IT", "ITH5", "ITH55", "AL", "EU27_2020")]
    return [lines[0], *wanted]


def write(tmp_path, name, lines_or_bytes):
    path = tmp_path / name
    if isinstance(lines_or_bytes, bytes):
        path.write_bytes(lines_or_bytes)
    else:
        path.write_text("\n".join(lines_or_bytes) + "\n", encoding="utf-8")
    return path


def value(code, geo, year):
    return Observation.objects.get(indicator__code=code, region_code=geo, year=year)


def test_the_full_gdp_table_reads_without_errors(shared_data):
    table = read_eurostat(shared_data / "eurostat" / "nama_10r_3gdp.tsv")
    assert table.errors == [] and table.dataset == "nama_10r_3gdp" and table.official_tsv
    assert len(table.observations) == 12453 * 23
    assert {o.dims for o in table.observations} == {(("unit", u),) for u in (
        "EUR_HAB", "EUR_HAB_EU27_2020", "MIO_EUR", "MIO_NAC", "MIO_PPS_EU27_2020", "PPS_EU27_2020_HAB", "PPS_HAB_EU27_2020")}


@pytest.mark.django_db
def test_gdp_per_head_flags_and_missing_values(tmp_path, gdp_lines):
    path = write(tmp_path, "nama_10r_3gdp.tsv", gdp_lines)
    report = run_import("eurostat", [path], progress=False)
    assert report.committed, report.errors
    assert report.counts["indicators.Indicator"]["created"] == 7
    assert report.counts["indicators.Observation"]["created"] == (len(gdp_lines) - 1) * 23
    assert value(GDP_PPS_HAB, "ITH5", 2021).value == 38700
    assert value("nama_10r_3gdp:unit=PPS_HAB_EU27_2020", "ITH5", 2021).value == 118  # % of the EU average
    provisional = value("nama_10r_3gdp:unit=EUR_HAB", "AL", 2021)
    assert (provisional.value, provisional.flags) == (5400, "p")
    missing = value("nama_10r_3gdp:unit=EUR_HAB", "AL", 2000)
    assert (missing.value, missing.flags) == (None, "")
    assert value(GDP_PPS_HAB, "EU27_2020", 2021).value > 0  # aggregates are kept
    gdp = Indicator.objects.get(code=GDP_PPS_HAB)
    assert (gdp.dataset, gdp.unit, gdp.source) == ("nama_10r_3gdp", "PPS_EU27_2020_HAB", "Eurostat")
    assert "per inhabitant" in gdp.label and gdp.source_url.endswith("/nama_10r_3gdp/default/table")
    again = run_import("eurostat", [path], progress=False)
    assert again.committed and again.changed == 0


@pytest.mark.django_db
def test_gzip_file_and_dry_run(tmp_path, gdp_lines):
    path = write(tmp_path, "estat_nama_10r_3gdp.tsv.gz", gzip.compress(("\n".join(gdp_lines) + "\n").encode()))
    dry = run_import("eurostat", [path], dry_run=True, progress=False)
    assert dry.counts["indicators.Observation"]["created"] > 0 and not Observation.objects.exists()
    report = run_import("eurostat", [path], progress=False)
    assert report.committed and value(GDP_PPS_HAB, "ITH55", 2020).value > 0


@pytest.mark.django_db
def test_tidy_csv_files(shared_data):
    report = run_import("eurostat", [shared_data / "eurostat" / "regional_rd_personnel.csv"], progress=False)
    assert report.committed and report.counts["indicators.Observation"]["created"] == 956
    fte = value("regional_rd_personnel:prof_pos=TOTAL,sex=T,sectperf=TOTAL,unit=FTE", "AT", 2009)
    assert fte.value == 56438 and fte.nuts_version is None


def test_tidy_csv_with_float_years_and_several_units(shared_data):
    table = read_eurostat(shared_data / "eurostat" / "pat_ep_rtot_and_gdp.csv")
    assert table.errors == [] and len(table.observations) == 103075
    assert {o.dims for o in table.observations} == {(("unit", u),) for u in ("GDP_BEUR", "NR", "P_MACT", "P_MHAB")}
    first = table.observations[0]
    assert (first.geo, first.year, first.value) == ("AT", 2012, 5.062)


# ---- broken inputs


def errors_of(report):
    assert not report.committed
    return [str(e) for e in report.errors]


@pytest.mark.django_db
def test_malformed_value_names_line_and_year_and_skip_invalid_keeps_the_rest(tmp_path, gdp_lines):
    broken = list(gdp_lines)
    cells = broken[2].split("\t")
    cells[3] = "12x3 "
    broken[2] = "\t".join(cells)
    path = write(tmp_path, "nama_10r_3gdp.tsv", broken)
    assert errors_of(run_import("eurostat", [path], progress=False)) == [
        "nama_10r_3gdp.tsv, line 3, column 2002: '12x3' is not a number with optional flags (such as '5400 p') or ':'"]
    assert not Observation.objects.exists()
    report = run_import("eurostat", [path], skip_invalid=True, progress=False)
    assert report.committed and Observation.objects.count() == (len(gdp_lines) - 1) * 23 - 1


@pytest.mark.django_db
def test_same_region_twice_for_an_indicator(tmp_path, gdp_lines):
    path = write(tmp_path, "nama_10r_3gdp.tsv", [*gdp_lines, gdp_lines[3]])
    errors = errors_of(run_import("eurostat", [path], progress=False))
    _, unit, geo = gdp_lines[3].split("\t")[0].split(",")
    assert errors == [f"nama_10r_3gdp.tsv, line {len(gdp_lines) + 1}, column geo: {geo} of "
                      f"nama_10r_3gdp:unit={unit} is also on line 4; neither line is imported"]
    csv_path = write(tmp_path, "rd.csv", ["unit,geo,time,values", "FTE,AT,2009,1", "FTE,BE,2009,2", "FTE,AT,2009,3"])
    assert errors_of(run_import("eurostat", [csv_path], progress=False)) == [
        "rd.csv, line 4, column geo: AT 2009 of rd:unit=FTE is also on line 2; neither line is imported"]
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_broken_files_write_nothing(tmp_path, gdp_lines):
    text = "\n".join(gdp_lines) + "\n"
    cases = {
        "empty.tsv": (b"", "the file is empty"),
        "header_only.tsv": (gdp_lines[0].encode() + b"\n", "a header but no rows"),
        "truncated.tsv": ("\n".join(gdp_lines[:4]) + "\n" + gdp_lines[4][:40], "line 5: 5 tab-separated fields where the header has 24"),
        "truncated.tsv.gz": (gzip.compress(text.encode())[:300], "truncated or damaged"),
        "latin1.tsv": (text.replace("EU27_2020", "EU27_2020é", 1).encode("latin-1"), "not valid UTF-8"),
        "commas.tsv": (text.replace("\t", ","), "has no tab"),
        "quarters.tsv": (text.replace("2000 ", "2000Q1", 1), "'2000Q1' is not a year"),
        "semicolons.csv": ("unit;geo;time;values\nFTE;AT;2009;1\n", "semicolon-separated"),
        "flags.tsv": (text.replace("5400 p", "5400 q", 1), "unknown flags 'q'"),
        "geo.csv": ("unit,geo,time,values\nFTE,at 1,2009,1\n", "'at 1' is not a geo code"),
    }
    for name, (data, reason) in cases.items():
        path = write(tmp_path, name, data if isinstance(data, bytes) else data.encode("utf-8"))
        errors = errors_of(run_import("eurostat", [path], progress=False))
        assert any(reason in e for e in errors) and all(e.startswith(name) for e in errors), (name, errors)
    assert not Observation.objects.exists() and not Indicator.objects.exists()


@pytest.mark.django_db
def test_a_folder_without_eurostat_files_is_an_error_not_an_empty_import(tmp_path):
    (tmp_path / "notes.txt").write_text("not a table\n", encoding="utf-8")
    assert errors_of(run_import("eurostat", [tmp_path], progress=False)) == [
        f"{tmp_path.name}: no Eurostat file (*.tsv, *.csv, optionally .gz) in {tmp_path}"]
