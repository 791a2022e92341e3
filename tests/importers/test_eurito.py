"""`ris3hub import eurito`: Nesta EURITO indicator CSVs with their JSON schemas, real and broken."""

import json
import shutil

import pytest

from ris3hub.core.loading import run_import
from ris3hub.indicators.models import Indicator, Observation
from ris3hub.regions.models import NutsChange, Region


@pytest.fixture(scope="module")
def regions(django_db_setup, django_db_blocker, shared_data):
    """NUTS codes of every version EURITO states (2010 comes from the rOpenGov table), once for this module."""
    nuts = shared_data / "nuts"
    with django_db_blocker.unblock():
        report = run_import("nuts", [*sorted(nuts.glob("*.xlsx")), nuts / "all_valid_nuts_codes.csv"], progress=False)
        assert report.committed, [str(e) for e in report.errors]
        yield report
        Observation.objects.all().delete()
        Indicator.objects.all().delete()
        NutsChange.objects.all().delete()
        Region.objects.all().delete()


@pytest.fixture
def articles(shared_data):
    return shared_data / "eurito" / "articles"


def copy(articles, tmp_path, stem, csv_text=None, schema=None):
    """A copy of one indicator's CSV and schema, the CSV optionally replaced."""
    target = tmp_path / f"{stem}.csv"
    if csv_text is None:
        shutil.copy(articles / f"{stem}.csv", target)
    else:
        target.write_bytes(csv_text if isinstance(csv_text, bytes) else csv_text.encode("utf-8"))
    (tmp_path / f"{stem}.json").write_text(json.dumps(schema) if schema else (articles / f"{stem}.json").read_text())
    return target


@pytest.mark.django_db
def test_one_indicator_with_its_schema_found_beside_it(regions, articles):
    report = run_import("eurito", [articles / "arxiv_count.csv"], progress=False)
    assert report.committed, report.errors
    rows = len((articles / "arxiv_count.csv").read_text().splitlines()) - 1
    assert report.counts["indicators.Observation"]["created"] == rows
    arxiv = Indicator.objects.get(code="eurito:arxiv_count")
    assert (arxiv.label, arxiv.topic, arxiv.unit) == ("Number of participations in arxiv articles", "arxiv articles", "count")
    assert arxiv.source == "Nesta, Allen Institute for AI" and arxiv.source_url.startswith("https://github.com/nestauk")
    emilia = Observation.objects.get(indicator=arxiv, region_code="ITH5", year=2019)
    assert emilia.nuts_version == 2016 and emilia.value > 0
    assert Observation.objects.get(indicator=arxiv, region_code="ITH5", year=2010).nuts_version == 2010
    again = run_import("eurito", [articles / "arxiv_count.csv"], progress=False)
    assert again.committed and again.changed == 0


@pytest.mark.django_db
def test_every_indicator_in_one_command(regions, articles):
    csvs = sorted(articles.glob("*.csv"))
    report = run_import("eurito", csvs, progress=False)
    assert report.committed, report.errors[:5]
    assert Indicator.objects.filter(dataset="eurito").count() == len(csvs)
    lq = Indicator.objects.get(code="eurito:airborne_lq")
    assert lq.unit == "relative specialisation"
    assert Observation.objects.get(indicator=lq, region_code="AT", year=2020).value == 0.76


@pytest.mark.django_db
def test_schema_named_on_the_command_line(regions, articles, tmp_path):
    data = tmp_path / "data.csv"
    shutil.copy(articles / "biorxiv_count.csv", data)
    report = run_import("eurito", [data, articles / "biorxiv_count.json"], progress=False)
    assert report.committed and Indicator.objects.filter(code="eurito:biorxiv_count").exists()


# ---- broken inputs: a clear error, nothing written


def errors_of(report):
    assert not report.committed
    return [str(e) for e in report.errors]


@pytest.mark.django_db
def test_unknown_region_is_rejected_and_skip_invalid_keeps_the_rest(regions, articles, tmp_path):
    text = (articles / "education_count.csv").read_text()
    lines = text.splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[3], "ITH9X").replace(f",{lines[5].split(',')[4]},", ",3,")
    path = copy(articles, tmp_path, "education_count", "\n".join(lines) + "\n")
    before = Observation.objects.count()
    version = lines[5].split(",")[2]
    assert errors_of(run_import("eurito", [path], progress=False)) == [
        f"education_count.csv, line 6, column region_id: 'ITH9X' is not a NUTS {version} code "
        "(NUTS versions loaded: 1999, 2003, 2006, 2010, 2013, 2016, 2021, 2024)"]
    assert Observation.objects.count() == before
    report = run_import("eurito", [path], skip_invalid=True, progress=False)
    assert report.committed and Observation.objects.count() == before + len(lines) - 2


@pytest.mark.django_db
def test_schema_and_csv_that_disagree(regions, articles, tmp_path):
    schema = json.loads((articles / "arxiv_count.json").read_text())
    schema["schema"]["value"]["id"] = "arxiv_total"
    path = copy(articles, tmp_path, "arxiv_count", schema=schema)
    assert "the schema arxiv_count.json says year, region_type, region_year_spec, region_id, region_level, arxiv_total" \
        in errors_of(run_import("eurito", [path], progress=False))[0]
    lonely = tmp_path / "lonely.csv"
    shutil.copy(articles / "arxiv_count.csv", lonely)
    assert "no JSON schema" in errors_of(run_import("eurito", [lonely], progress=False))[0]
    schema["schema"]["value"] = {"id": "arxiv_count", "data_type": "text"}
    path = copy(articles, tmp_path, "arxiv_count", schema=schema)
    assert "'text' is not one of int, float" in errors_of(run_import("eurito", [path], progress=False))[0]


@pytest.mark.django_db
def test_broken_files(regions, articles, tmp_path):
    text = (articles / "cord_count.csv").read_text()
    lines = text.splitlines()
    cases = {
        "empty": ("", "the file is empty"),
        "truncated": ("\n".join(lines[:10]) + "\n" + lines[10][:12], "fields where the header has 6"),
        "latin1": (("\n".join(lines[:5]) + "\n2020,NUTS,2016,Ö,0,1\n").encode("latin-1"), "line 6"),
        "semicolons": (text.replace(",", ";"), "semicolon-separated"),
        "duplicate": ("\n".join([*lines[:6], lines[3]]) + "\n", "line 7, column region_id"),
        "level": ("\n".join([lines[0], lines[1].replace(",0,", ",2,")]) + "\n", "level 2 does not match"),
        "float": ("\n".join([lines[0], lines[1].rsplit(",", 1)[0] + ",2.5"]) + "\n", "not a whole number"),
    }
    before = Observation.objects.count()
    for name, (data, reason) in cases.items():
        (tmp_path / name).mkdir()
        path = copy(articles, tmp_path / name, "cord_count", data)
        errors = errors_of(run_import("eurito", [path], progress=False))
        assert any(reason in e for e in errors), (name, errors)
    assert Observation.objects.count() == before
    duplicate = errors_of(run_import("eurito", [tmp_path / "duplicate" / "cord_count.csv"], progress=False))
    region = lines[3].split(",")[3]
    assert duplicate == [f"cord_count.csv, line 7, column region_id: {region} in {lines[3][:4]} is also on line 4; neither line is imported"]
