"""`ris3hub import cordis` on the real files of ../shared/data/cordis, the official download format,
and broken inputs."""

import csv
import functools
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ris3hub.core.loading import run_import
from ris3hub.projects.models import Call, Participation, Programme, Project
from ris3hub.regions.models import NutsChange, Region
from ris3hub.registry.models import ExternalId, Organisation
from ris3hub.taxonomy.models import Concept

pytestmark = pytest.mark.django_db

OFFICIAL = Path(__file__).parent / "fixtures" / "cordis" / "official"
DASHBOARD = "cordis/h2020-dashboard-participations-2021.csv"
LIST_2017 = "cordis/h2020-organisations-2017.csv"
LIST_2014 = "cordis/h2020-fp7-participations-2014.csv"


@functools.cache
def _nuts_tables(shared: Path) -> tuple[list[tuple[int, str, int]], list[tuple[str, str]]]:
    """NUTS 2016 and 2021 codes with their level, and the 2016 codes recoded in 2021 (rOpenGov tables)."""
    levels = {"country": 0, "nuts_level_1": 1, "nuts_level_2": 2, "nuts_level_3": 3}
    regions = []
    with open(shared / "nuts/all_valid_nuts_codes.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["nuts"] in ("code_2016", "code_2021") and row["typology"] in levels:
                regions.append((int(row["nuts"][5:]), row["geo"], levels[row["typology"]]))
    changes = []
    with open(shared / "nuts/nuts_changes.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["code_2016"] and row["code_2021"] and row["code_2016"] != row["code_2021"]:
                changes.append((row["code_2016"], row["code_2021"]))
    return regions, changes


@pytest.fixture
def nuts_regions(shared_data, db):
    """The NUTS 2016 and 2021 regions (codes only) and the 2016 -> 2021 recodings."""
    regions, changes = _nuts_tables(shared_data)
    Region.objects.bulk_create([Region(version=v, code=c, level=lv, country=c[:2], name_latn=c)
                                for v, c, lv in regions])
    NutsChange.objects.bulk_create([NutsChange(from_version=2016, from_code=a, to_version=2021, to_code=b)
                                    for a, b in changes])


def cordis(*paths, **options):
    return run_import("cordis", list(paths), progress=False, **options)


def ok(report):
    assert report.ok and report.committed, report.summary_lines()
    return report


def csv_slice(shared: Path, name: str, dst: Path, lines: int | None = None, keep=None, edit=None,
              encoding: str = "utf-8") -> Path:
    """The header and some lines of a one-line-per-row CSV of the shared data, maybe edited."""
    text = (shared / name).read_text(encoding="utf-8").splitlines()
    body = [line for line in text[1:] if keep is None or keep(line)][:lines]
    if edit:
        body = [edit(i, line) for i, line in enumerate(body, start=2)]
    dst.write_bytes(("\n".join([text[0], *body]) + "\n").encode(encoding, errors="replace"))
    return dst


def xlsx_slice(shared: Path, name: str, dst: Path, rows: int) -> Path:
    from openpyxl import Workbook

    workbook = CalamineWorkbook.from_path(str(shared / name))
    values = workbook.get_sheet_by_name(workbook.sheet_names[0]).to_python()[: rows + 1]
    out = Workbook(write_only=True)
    sheet = out.create_sheet(workbook.sheet_names[0])
    for row in values:
        sheet.append(row)
    out.save(dst)
    return dst


# ---- the real files


def test_dashboard_export_gives_projects_organisations_and_participations(shared_data, nuts_regions):
    report = ok(cordis(shared_data / DASHBOARD))
    assert Project.objects.count() == 131
    assert Organisation.objects.count() == 2016  # one per PIC, even where PICs share a VAT number
    assert Participation.objects.count() == 2553  # 2570 rows, 17 of an organisation twice in a project
    assert report.counts["registry.Organisation"]["created"] == 2016

    gpp = Project.objects.get(number="101039118")
    assert (gpp.acronym, gpp.title, gpp.framework) == ("GPP", "GEOSS Platform Plus", "H2020")
    assert (str(gpp.start), str(gpp.end), str(gpp.signature_date)) == ("2022-01-01", "2024-12-31", "2021-11-29")
    assert gpp.programme.code == "H2020-EU.3." and gpp.call.identifier == "IBA-CROSS-GEOSS-2021"
    assert gpp.eu_contribution == Decimal("2500000")
    esa = Participation.objects.get(project=gpp)
    assert (esa.role, esa.region.code, esa.organisation.kind) == ("coordinator", "FR101", "research")
    assert esa.organisation.region == esa.region and esa.organisation.vat == ""
    assert ExternalId.objects.get(source="cordis-pic", value="999644559").organisation == esa.organisation

    assert not Participation.objects.filter(region__version=2016).exists()
    assert Participation.objects.filter(region__code="HR050").exists()  # HR041 of NUTS 2016

    again = ok(cordis(shared_data / DASHBOARD))
    assert again.changed == 0


def test_an_organisation_in_the_dashboard_and_the_2017_list_is_one_record(shared_data, nuts_regions):
    ok(cordis(shared_data / DASHBOARD, shared_data / LIST_2017))
    with open(shared_data / DASHBOARD, encoding="utf-8") as fh:
        dashboard_pics = {row["pic"] for row in csv.DictReader(fh)}
    with open(shared_data / LIST_2017, encoding="utf-8") as fh:
        list_pics = {row["orgId"] for row in csv.DictReader(fh, delimiter=";")} - {""}
    both = dashboard_pics & list_pics
    assert len(both) == 990
    assert Organisation.objects.filter(pic__in=both).count() == 990
    assert Organisation.objects.filter(pic__in=dashboard_pics | list_pics).count() == len(dashboard_pics | list_pics)

    esa = Organisation.objects.get(name__icontains="european space agency")
    assert (esa.pic, esa.short_name, esa.street, esa.region.code) == ("999644559", "ESA", "Rue Mario Nikis 8-10",
                                                                      "FR101")
    assert esa.participations.count() == Participation.objects.filter(organisation__pic="999644559").count() >= 1
    assert Organisation.objects.filter(name__icontains="frascati scienza").count() == 1
    assert Organisation.objects.filter(name='ASSOCIATION "NATIONAL CENTRE FOR SUPERCOMPUTING APPLICATIONS"').exists()
    assert Organisation.objects.get(pic="993894011").name == "PIC 993894011"  # its name is withheld


def test_the_order_files_are_named_in_does_not_matter(shared_data, nuts_regions, tmp_path):
    dashboard = csv_slice(shared_data, DASHBOARD, tmp_path / "dashboard.csv", lines=300)
    with open(dashboard, encoding="utf-8") as fh:
        pics = {row["pic"] for row in csv.DictReader(fh)}
    listing = csv_slice(shared_data, LIST_2017, tmp_path / "orgs.csv",
                        keep=lambda line: any(pic in pics for pic in re.findall(r'"(\d{9})"', line)))

    def snapshot():
        return sorted(Organisation.objects.values_list("pic", "name", "short_name", "city", "kind", "region__code"))

    ok(cordis(dashboard, listing))
    first = snapshot()
    for model in (Participation, Project, ExternalId, Organisation):
        model.objects.all().delete()
    ok(cordis(listing, dashboard))
    assert snapshot() == first


def test_the_official_download_format(nuts_regions, tmp_path):
    report = ok(cordis(OFFICIAL))
    assert report.counts["projects.Project"]["created"] == 3
    gpp = Project.objects.get(number="101039118")
    assert gpp.abstract.startswith("Delivery of knowledge for climate adaptation")
    assert "\n(Global Earth Observation System of Systems); the \"GEOSS Platform Plus\" project." in gpp.abstract
    assert (gpp.programme.code, gpp.programme.name) == (
        "H2020-EU.3.5.", "SOCIETAL CHALLENGES - Climate action, Environment, Resource Efficiency and Raw Materials")
    assert gpp.programme.parent.code == "H2020-EU.3."  # named in legalBasis.csv
    assert gpp.total_cost == Decimal("2500000") and gpp.type_of_action == "CSA"
    assert sorted(gpp.concepts.values_list("code", "level")) == [("/23/45/30018/30032/30055", 4), ("/25/67/419", 2)]
    climate = Concept.objects.get(scheme__code="euroscivoc", code="/23/45/30018/30032/30055")
    assert climate.parent.code == "/23/45/30018/30032" and climate.parent.label == "climatology"
    assert climate.path == "natural sciences/earth and related environmental sciences/atmospheric sciences/" \
                           "climatology/climatic changes"

    doors = Project.objects.get(number="101036071")
    roles = dict(doors.participations.values_list("organisation__pic", "role"))
    assert roles == {"905834016": "coordinator", "891930715": "participant", "998448452": "participant"}
    ecsite = Organisation.objects.get(pic="998448452")
    assert (ecsite.street, ecsite.postcode, ecsite.vat, ecsite.region.code) == (
        "AVENUE LOUISE 89; 7EME ETAGE", "1050", "BE0443655135", "BE100")
    assert Organisation.objects.get(pic="891930715").is_sme is True

    archive = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in OFFICIAL.glob("*.csv"):
            zf.write(path, path.name)
        zf.writestr("webLink.csv", "id;projectID;physUrl\n")
    assert ok(cordis(archive)).changed == 0


def test_the_official_files_and_the_dashboard_describe_the_same_project_once(shared_data, nuts_regions, tmp_path):
    dashboard = csv_slice(shared_data, DASHBOARD, tmp_path / "dashboard.csv", keep=lambda line: ",101039118," in line)
    ok(cordis(dashboard, OFFICIAL / "project.csv", OFFICIAL / "organization.csv"))
    gpp = Project.objects.get(number="101039118")
    assert gpp.programme.code == "H2020-EU.3.5."  # the legal basis is more specific than the dashboard's pillar
    assert gpp.programme.parent.code == "H2020-EU.3."
    assert gpp.topic_title.startswith("Delivery of knowledge")  # from the dashboard: project.csv has no topic title
    assert Organisation.objects.filter(pic="999644559").count() == 1
    assert Participation.objects.get(project=gpp).eu_contribution == Decimal("2500000")


def test_project_lists_of_h2020_and_fp7(shared_data, tmp_path):
    h2020 = xlsx_slice(shared_data, "cordis/h2020-projects.xlsx", tmp_path / "h2020.xlsx", 300)
    fp7 = xlsx_slice(shared_data, "cordis/fp7-projects.xlsx", tmp_path / "fp7.xlsx", 300)
    ok(cordis(h2020, fp7))
    assert Project.objects.filter(framework="H2020").count() == 300
    assert Project.objects.filter(framework="FP7").count() == 300
    fusion = Project.objects.get(number="633053")
    assert (fusion.acronym, fusion.thematic_priority, fusion.participant_count) == ("EUROfusion", "Euratom", 207)
    assert fusion.eu_contribution == Decimal("678800000")
    assert (fusion.type_of_action, fusion.topic_code, fusion.programme.code) == (
        "COFUND (European Joint Programme)", "EURATOM", "H2020")
    clereco = Project.objects.get(number="611404")
    assert clereco.title == "Cross-Layer Early Reliability Evaluation for the Computing cOntinuum"
    assert (clereco.framework, clereco.call.title) == ("FP7", "Advanced computing, embedded and control systems")
    assert ok(cordis(fp7, h2020)).changed == 0


@pytest.mark.slow
def test_all_h2020_and_fp7_projects_import(shared_data):
    # Speed is measured by the demo build's timings, not asserted here: timed tests fail on busy machines.
    ok(cordis(shared_data / "cordis/h2020-projects.xlsx", shared_data / "cordis/fp7-projects.xlsx"))
    assert Project.objects.count() == 35381 + 25809


def test_horizon_europe_euroscivoc_and_topics_in_either_order(shared_data, tmp_path):
    euroscivoc = xlsx_slice(shared_data, "cordis/horizon-europe-project-euroscivoc.xlsx", tmp_path / "esv.xlsx", 400)
    topics = xlsx_slice(shared_data, "cordis/horizon-europe-project-topics.xlsx", tmp_path / "topics.xlsx", 400)
    ok(cordis(euroscivoc))  # before the topics: the projects are created with their number
    ok(cordis(topics))
    assert Project.objects.get(number="101131342").framework == "HORIZON"
    assert Project.objects.get(number="101131342").call.title == "MSCA Staff Exchanges 2022"
    ml = Concept.objects.get(scheme__code="euroscivoc", code="/23/47/297/933")
    assert (ml.label, ml.level, ml.parent.label, ml.parent.parent.parent.label) == (
        "machine learning", 3, "artificial intelligence", "natural sciences")
    assert ml.projects.filter(number="101131342").exists()
    assert Project.concepts.through.objects.count() == 400
    assert not Concept.objects.filter(scheme__code="euroscivoc", parent=None).exclude(level=0).exists()
    assert ok(cordis(topics, euroscivoc)).changed == 0


def test_cordis_reference_tables(shared_data):
    names = ["cordisref-H2020programmes.csv", "cordisref-H2020topics.csv", "cordisref-organizationActivityType.csv",
             "cordisref-sicCode.csv"]
    ok(cordis(*(shared_data / "cordis" / n for n in names)))
    leaf = Programme.objects.get(code="H2020-EU.3.4.7.1")
    chain = [leaf.code]
    while chain[-1] != "H2020":
        chain.append(Programme.objects.get(code=chain[-1]).parent.code)
    assert chain == ["H2020-EU.3.4.7.1", "H2020-EU.3.4.7.", "H2020-EU.3.4.", "H2020-EU.3.", "H2020-EC", "H2020"]
    assert Programme.objects.get(code="H2020-EU.3.").name == "PRIORITY 'Societal challenges"
    assert not Programme.objects.filter(code__contains="\ufffd").exists()
    assert Call.objects.get(identifier="BG-01-2016").programme.code == "H2020-EU.3.2.5."
    assert Call.objects.get(identifier="GALILEO-4-2014").title.endswith("outside of the European Union")
    assert not Call.objects.filter(identifier="H2020-Topics").exists()
    sic = Concept.objects.get(scheme__code="cordis-sic", code="MBI")
    assert (sic.label, sic.label_it) == ("Medical biotechnology", "Biotecnologia medica")
    assert Concept.objects.get(scheme__code="cordis-activity-type", code="HES").label.startswith("Higher or Secondary")


def test_projects_move_under_the_programme_of_their_topic_whichever_comes_first(shared_data, tmp_path):
    h2020 = xlsx_slice(shared_data, "cordis/h2020-projects.xlsx", tmp_path / "h2020.xlsx", 300)
    topics = shared_data / "cordis/cordisref-H2020topics.csv"
    ok(cordis(h2020))
    assert Project.objects.get(number="115797").programme.code == "H2020"
    ok(cordis(topics))
    assert Project.objects.get(number="115797").programme.code == "H2020-EU.3.1.7.4."
    assert ok(cordis(h2020, topics)).changed == 0


def test_2014_participations_and_organisations_known_only_by_pic(shared_data, nuts_regions, tmp_path):
    ok(cordis(shared_data / LIST_2014))
    with open(shared_data / LIST_2014, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    named = {row["pic"] for row in rows if row["legal_name"] != "NA"}
    assert Project.objects.count() == len({row["project_id"] for row in rows}) == 3321
    assert Participation.objects.count() == 12356  # 12584 rows, some of one organisation twice in a project
    assert Organisation.objects.filter(name__startswith="PIC ").count() == len({row["pic"] for row in rows} - named)
    unnamed = Organisation.objects.get(pic="918327616")
    assert unnamed.name == "PIC 918327616"
    assert unnamed.participations.get().project.acronym == "InvestHorizon"
    biu = Organisation.objects.get(pic="999886574")
    assert (biu.name, biu.short_name, biu.kind, biu.website) == ("BAR ILAN UNIVERSITY", "BIU", "university",
                                                                "http://www.biu.ac.il")
    watecco = Project.objects.get(number="639304")
    assert (watecco.framework, watecco.programme.code, watecco.call.identifier) == (
        "H2020", "H2020-EU.1.", "ERC-PoC-2014")

    named = csv_slice(shared_data, DASHBOARD, tmp_path / "named.csv", lines=1,
                      edit=lambda i, line: line.replace("999644559", "918327616")
                                               .replace("EUROPEAN SPACE AGENCY", "ACME"))
    ok(cordis(named))
    unnamed.refresh_from_db()
    assert unnamed.name == "ACME"


# ---- broken inputs: a clear error (file, line, column, reason) and nothing written


@pytest.fixture
def seeded(nuts_regions):
    ok(cordis(OFFICIAL))
    return Organisation.objects.count()


def assert_rejected(report, seeded, line, column=None, reason=""):
    assert not report.committed and report.errors
    error = report.errors[0]
    assert (error.line, error.column) == (line, column), report.summary_lines()
    assert reason in error.reason, error.reason
    assert Organisation.objects.count() == seeded
    return error


def test_a_truncated_file_names_the_cut_line(shared_data, tmp_path, seeded):
    path = csv_slice(shared_data, DASHBOARD, tmp_path / "truncated.csv", lines=30)
    path.write_bytes(path.read_bytes()[:-200])
    error = assert_rejected(cordis(path), seeded, 31, None, "fields where the header has 35")
    assert error.file == str(path)


def test_latin1_bytes_are_refused_with_their_line(shared_data, tmp_path, seeded):
    path = csv_slice(shared_data, DASHBOARD, tmp_path / "latin1.csv", lines=10, encoding="latin-1",
                     edit=lambda i, line: line.replace("EUROPEAN SPACE AGENCY", "AGENZIA SPAZIALE ITALIANA - UNITÀ"))
    assert_rejected(cordis(path), seeded, 2, None, "byte 0xc0 is not valid UTF-8")


def test_a_wrong_delimiter_is_named(shared_data, tmp_path, seeded):
    path = csv_slice(shared_data, DASHBOARD, tmp_path / "semicolons.csv", lines=10,
                     edit=lambda i, line: ";".join(next(csv.reader([line]))))
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([text[0].replace(",", ";"), *text[1:]]) + "\n", encoding="utf-8")
    assert_rejected(cordis(path), seeded, 1, None, "the header is semicolon-separated, but a H2020 dashboard "
                                                     "participation export is comma-separated")


def test_an_unknown_nuts_code_is_a_row_error(shared_data, tmp_path, seeded):
    path = csv_slice(shared_data, DASHBOARD, tmp_path / "nuts.csv", lines=10,
                     edit=lambda i, line: line.replace(",SI041,", ",XX999,") if i == 3 else line)
    report = cordis(path)
    assert_rejected(report, seeded, 3, "nuts_3_code", "'XX999' is not a NUTS code of any loaded version")
    assert len(report.errors) == 1

    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    valid = {row["pic"] for row in rows if row["pic"] != "953355965"}
    skipped = cordis(path, skip_invalid=True)
    assert skipped.committed and len(skipped.errors) == 1
    assert not Organisation.objects.filter(pic="953355965").exists()  # the rejected row's ministry
    assert not Project.objects.filter(number="101036214").exists()
    assert Organisation.objects.filter(pic__in=valid).count() == len(valid)
    assert Participation.objects.filter(organisation__pic__in=valid).count() == len(rows) - 1


def test_a_project_number_with_conflicting_data_in_one_file(shared_data, tmp_path, seeded):
    path = csv_slice(shared_data, DASHBOARD, tmp_path / "duplicate.csv", lines=10,
                     edit=lambda i, line: line.replace("GEOSS Platform Plus", "Another Title") if i == 3 else line)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, lines[1].replace("GEOSS Platform Plus", "Another Title").replace("999644559", "953355965"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_rejected(cordis(path), seeded, 4, "project_title",
                    "project 101039118 has title 'GEOSS Platform Plus' on line 2 and 'Another Title' here")


def test_an_empty_file(tmp_path, seeded):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert_rejected(cordis(path), seeded, None, None, "the file is empty")


def test_a_file_that_is_not_from_cordis(tmp_path, seeded):
    path = tmp_path / "regions.csv"
    path.write_text("code,level,name\nITH5,2,Emilia-Romagna\n", encoding="utf-8")
    assert_rejected(cordis(path), seeded, 1, None, "not a CORDIS file: header 'code,level,name' matches none of: ")


def test_the_command_line_exits_non_zero_and_names_the_line(shared_data, tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RIS3HUB_DATA_DIR")}

    def ris3hub(*args):
        return subprocess.run([sys.executable, "-m", "ris3hub.cli", *args, "--data-dir", str(tmp_path / "data")],
                              env=env, capture_output=True, text=True, timeout=300)

    good = csv_slice(shared_data, LIST_2017, tmp_path / "orgs.csv", lines=50)
    assert ris3hub("import", "cordis", str(good)).returncode == 0
    broken = csv_slice(shared_data, LIST_2017, tmp_path / "broken.csv", lines=80)
    broken.write_bytes(broken.read_bytes()[:-150])
    result = ris3hub("import", "cordis", str(broken))
    assert result.returncode == 1
    assert "broken.csv, line 81: " in result.stderr and "nothing was written" in result.stderr
    count = ris3hub("manage", "shell", "-c",
                    "from ris3hub.registry.models import Organisation; print(Organisation.objects.count())")
    assert count.stdout.strip().splitlines()[-1] == "50"


def test_a_zip_bomb_is_refused_before_anything_is_extracted(tmp_path, seeded):
    """A member declaring 64 MB from a few kilobytes (a 1:5000 ratio) is refused, not extracted."""
    path = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("project.csv", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    assert_rejected(cordis(path), seeded, None, None, "project.csv would expand from ")
    assert "refused as a zip bomb" in str(cordis(path).errors[0])
