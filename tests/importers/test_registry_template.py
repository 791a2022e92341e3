"""`ris3hub import registry`: the template an agency fills, as a workbook, a CSV folder or one CSV."""

import os
import shutil
import subprocess
import sys

import pytest

from ris3hub.core.loading import run_import
from ris3hub.regions.models import NutsChange, Region
from ris3hub.registry.models import (
    Competence,
    Equipment,
    ExternalId,
    Membership,
    Organisation,
    ResearchContract,
    Service,
)
from ris3hub.registry.template import EXAMPLE_DIR, build_workbook

ER_TREE = "actors/er-rete-alta-tecnologia-taxonomy.json"
ORGANISATIONS_HEADER = ("ref,name,kind,short_name,is_sme,pic,vat,ror,website,street,postcode,city,country,region,"
                        "description,description_it,trl,looking_for,domains\n")


@pytest.fixture
def er_regions(db):
    """Emilia-Romagna in NUTS 2021 (IT > ITH > ITH5 > its NUTS-3), and Bologna's NUTS 2013 code."""
    it = Region.objects.create(version=2021, code="IT", level=0, country="IT", name_latn="Italia")
    ith = Region.objects.create(version=2021, code="ITH", level=1, country="IT", name_latn="Nord-Est", parent=it)
    ith5 = Region.objects.create(version=2021, code="ITH5", level=2, country="IT", name_latn="Emilia-Romagna",
                                 parent=ith)
    for code, name in [("ITH51", "Piacenza"), ("ITH52", "Parma"), ("ITH53", "Reggio nell'Emilia"),
                       ("ITH54", "Modena"), ("ITH55", "Bologna"), ("ITH56", "Ferrara"), ("ITH57", "Ravenna"),
                       ("ITH58", "Forlì-Cesena"), ("ITH59", "Rimini")]:
        Region.objects.create(version=2021, code=code, level=3, country="IT", name_latn=name, parent=ith5)
    Region.objects.create(version=2013, code="ITD55", level=3, country="IT", name_latn="Bologna")
    NutsChange.objects.create(from_version=2013, from_code="ITD55", to_version=2016, to_code="ITH55",
                              change="recoded")


@pytest.fixture
def er_taxonomy(db, shared_data):
    assert run_import("taxonomy", [shared_data / ER_TREE], progress=False).ok


def sheet(folder, name, text, encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.csv"
    path.write_bytes(text.encode(encoding))
    return path


def by_ref(ref):
    return ExternalId.objects.get(source="registry", value=ref).organisation


@pytest.mark.django_db
def test_the_example_network_loads_with_its_regions_memberships_and_domains(er_regions, er_taxonomy):
    report = run_import("registry", [EXAMPLE_DIR], progress=False)
    assert report.ok, report.errors
    assert ExternalId.objects.filter(source="registry").count() == 23
    assert Organisation.objects.filter(kind="laboratory").count() == 6
    assert Organisation.objects.filter(kind="cluster").count() == 7

    ciri = by_ref("ciri-ict")
    assert (ciri.short_name, ciri.kind, ciri.city, ciri.country, ciri.region.code) == (
        "CIRI ICT", "laboratory", "Bologna", "IT", "ITH55")
    assert [c.code for c in ciri.domains.all()] == ["ict-e-design"]
    assert ciri.memberships.get(kind="affiliate").network == by_ref("unibo")

    network = by_ref("rete-alta-tecnologia")
    assert network.members.filter(status="accredited").count() == 6
    assert network.members.filter(kind="network_member").count() == 10
    assert network.region.code == "ITH5" and network.domains.count() == 6
    assert Membership.objects.get(member=by_ref("musp"), kind="lab_in_technopole").network.name == "Tecnopolo di Piacenza"

    siteia = Competence.objects.get(organisation=by_ref("siteia-parma"))
    assert siteia.concepts.get().label == "Nuovi metodi per la qualità e sicurezza degli alimenti"
    assert Service.objects.get().category == "calls"

    again = run_import("registry", [EXAMPLE_DIR], progress=False)
    assert again.ok and again.changed == 0, dict(again.counts)


@pytest.mark.django_db
def test_a_workbook_of_the_same_rows_changes_nothing(er_regions, er_taxonomy, tmp_path):
    assert run_import("registry", [EXAMPLE_DIR], progress=False).ok
    workbook = tmp_path / "er-network.xlsx"
    build_workbook(workbook, rows_from=EXAMPLE_DIR)
    report = run_import("registry", [workbook], progress=False)
    assert report.ok, report.errors
    assert report.changed == 0 and report.counts["registry.Organisation"]["unchanged"] == 23


@pytest.mark.django_db
def test_one_sheet_at_a_time_points_at_organisations_loaded_before(er_regions, er_taxonomy, tmp_path):
    assert run_import("registry", [EXAMPLE_DIR / "organisations.csv"], progress=False).ok
    assert not Membership.objects.exists()
    report = run_import("registry", [EXAMPLE_DIR / "memberships.csv"], progress=False)
    assert report.ok and report.counts["registry.Membership"]["created"] == 16


@pytest.mark.django_db
def test_equipment_and_contracts(er_regions, tmp_path):
    folder = tmp_path / "registry"
    sheet(folder, "organisations", ORGANISATIONS_HEADER +
          "lab,Lab,laboratory,,,,,,,,,Bologna,,ITD55,,,,,\nacme,ACME S.r.l.,company,,yes,,01234567890,,,,,,IT,,,,,,\n")
    sheet(folder, "equipment", "organisation_ref,name,description,location,access,conditions,booking_contact\n"
          "lab,Scanning electron microscope,,Bologna,rental,per hour,lab@example.org\nlab,Clean room,,,,,\n")
    sheet(folder, "contracts", "lab_ref,company_ref,reference,title,value,date\n"
          "lab,acme,2023/1,Coatings,\"48,000.50\",16/05/2023\n")
    report = run_import("registry", [folder], progress=False)
    assert report.ok, report.errors
    lab = by_ref("lab")
    assert lab.region.code == "ITH55" and lab.region.version == 2021 and lab.country == "IT"
    assert by_ref("acme").vat == "01234567890" and by_ref("acme").is_sme is True
    assert dict(Equipment.objects.values_list("name", "access")) == {"Scanning electron microscope": "rental",
                                                                    "Clean room": "service"}
    contract = ResearchContract.objects.get()
    assert (contract.company.name, str(contract.value), contract.date.isoformat()) == (
        "ACME S.r.l.", "48000.50", "2023-05-16")


@pytest.mark.django_db
def test_the_registry_completes_and_corrects_an_organisation_known_from_another_source(er_regions, tmp_path):
    known = Organisation.objects.create(name="ACME SRL", pic="999999999", city="", kind="other")
    folder = tmp_path / "registry"
    sheet(folder, "organisations", ORGANISATIONS_HEADER +
          "acme,ACME S.r.l.,company,,,999999999,,,,,,Modena,,ITH54,,,,,\n")
    report = run_import("registry", [folder], progress=False)
    assert report.ok and report.counts["registry.Organisation"]["updated"] == 1
    known.refresh_from_db()
    assert (known.name, known.kind, known.city, known.region.code) == ("ACME S.r.l.", "company", "Modena", "ITH54")
    assert by_ref("acme") == known and Organisation.objects.count() == 1
    assert run_import("registry", [folder], progress=False).changed == 0


# ---- broken inputs: a clear error naming file, line, column; nothing written


def assert_nothing_written(report):
    assert not report.committed
    assert not Organisation.objects.exists() and not Membership.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("row, column, reason", [
    ("x,X,laboratory,,,,,,,,,,,XX999,,,,,", "region", "'XX999' is not a NUTS code of any loaded version"),
    ("x,X,lab,,,,,,,,,,,,,,,,", "kind", "'lab' is not allowed; use one of company, university,"),
    ("x,X,Laboratory,,,,,,,,,,,,,,,,", "kind", "(did you mean 'laboratory'?)"),
    ("x,,laboratory,,,,,,,,,,,,,,,,", "name", "name is required"),
    ("x,X,laboratory,,,,,,,,,,,,,,12,,", "trl", "'12' is not a TRL"),
    ("x,X,laboratory,,maybe,,,,,,,,,,,,,,", "is_sme", "'maybe' is not yes or no"),
    ("x,X,laboratory,,,,,,www.x.it,,,,,,,,,,", "website", "is not a web address"),
    ("x,X,laboratory,,,,,,,,,,,,,,,,er-rat:nope", "domains", "er-rat:nope: not a loaded concept"),
    ("x,X,laboratory,,,,,,,,,,,,,,,,nope", "domains", "'nope' is not scheme:code"),
])
def test_a_bad_cell_is_named_by_file_line_and_column(er_regions, tmp_path, row, column, reason):
    path = sheet(tmp_path, "organisations", ORGANISATIONS_HEADER + "ok,OK,laboratory,,,,,,,,,,,,,,,,\n" + row + "\n")
    report = run_import("registry", [path], progress=False)
    assert [(e.file, e.line, e.column) for e in report.errors] == [(str(path), 3, column)]
    assert reason in report.errors[0].reason
    assert_nothing_written(report)


@pytest.mark.django_db
@pytest.mark.parametrize("content, line, column, reason", [
    (ORGANISATIONS_HEADER.replace(",", ";") + "x;X;laboratory" + ";" * 16 + "\n", 1, "ref, name, kind",
     "the header looks semicolon-separated"),
    (ORGANISATIONS_HEADER + "x,Università,laboratory" + "," * 16 + "\n", 2, None, "0xe0 is not valid UTF-8"),
    ("", None, None, "the file is empty"),
    (ORGANISATIONS_HEADER + "x,X,laboratory,,,\n", 2, None, "6 fields where the header has 19"),
    (ORGANISATIONS_HEADER.replace("region", "regoin") + "x,X,laboratory" + "," * 16 + "\n", 1, "regoin",
     "unknown column(s) for sheet organisations"),
])
def test_a_broken_csv_is_reported(er_regions, tmp_path, content, line, column, reason):
    path = tmp_path / "organisations.csv"
    path.write_bytes(content.encode("latin-1" if "UTF-8" in reason else "utf-8"))
    report = run_import("registry", [path], progress=False)
    assert [(e.file, e.line, e.column) for e in report.errors] == [(str(path), line, column)]
    assert reason in report.errors[0].reason
    assert_nothing_written(report)


@pytest.mark.django_db
def test_a_duplicate_ref_names_both_rows(er_regions, tmp_path):
    path = sheet(tmp_path, "organisations", ORGANISATIONS_HEADER + "x,X,laboratory" + "," * 16 + "\n"
                 + "y,Y,laboratory" + "," * 16 + "\n" + "x,X again,company" + "," * 16 + "\n")
    report = run_import("registry", [path], progress=False)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (4, "ref", "ref 'x' is repeated: organisations.csv line 2 and organisations.csv line 4")]
    assert_nothing_written(report)


@pytest.mark.django_db
def test_rows_pointing_at_unknown_or_rejected_organisations(er_regions, tmp_path):
    folder = tmp_path / "registry"
    sheet(folder, "organisations", ORGANISATIONS_HEADER + "a,A,laboratory" + "," * 16 + "\n"
          + "b,B,technopole" + "," * 11 + "ZZ9" + "," * 5 + "\n")
    sheet(folder, "memberships", "member_ref,network_ref,kind,status,start,end\n"
          "a,b,lab_in_technopole,,,\na,nobody,network_member,,,\na,a,network_member,,,\n"
          "a,b,cluster_member,,,\na,b,network_member,accredited,2022-01-01,2021-01-01\n")
    report = run_import("registry", [folder], progress=False)
    errors = {(e.file.rsplit("/", 1)[-1], e.line, e.column) for e in report.errors}
    assert errors == {("organisations.csv", 3, "region"), ("memberships.csv", 2, "network_ref"),
                      ("memberships.csv", 3, "network_ref"), ("memberships.csv", 4, "member_ref"),
                      ("memberships.csv", 5, "network_ref"), ("memberships.csv", 6, "network_ref")}
    reasons = {(e.line, e.column): e.reason for e in report.errors if e.file.endswith("memberships.csv")}
    assert reasons[(2, "network_ref")] == "the organisation 'b' was rejected (see its row)"
    assert "'nobody' is not the ref of an organisation" in reasons[(3, "network_ref")]
    assert_nothing_written(report)

    sheet(folder, "organisations", ORGANISATIONS_HEADER + "a,A,laboratory" + "," * 16 + "\n"
          + "b,B,cluster" + "," * 16 + "\n")
    report = run_import("registry", [folder], progress=False)
    reasons = {(e.line, e.column): e.reason for e in report.errors}
    assert set(reasons) == {(2, "kind"), (3, "network_ref"), (4, "member_ref"), (6, "end")}
    assert reasons[(2, "kind")].startswith("'laboratory in technopole' needs a network of kind technopole; B is of kind")
    assert reasons[(6, "end")] == "ends (2021-01-01) before it starts (2022-01-01)"


@pytest.mark.django_db
def test_skip_invalid_writes_only_the_valid_rows(er_regions, tmp_path):
    path = sheet(tmp_path, "organisations", ORGANISATIONS_HEADER + "a,A,laboratory" + "," * 16 + "\n"
                 + "b,B,bogus" + "," * 16 + "\n" + "c,C,company" + "," * 16 + "\n")
    report = run_import("registry", [path], skip_invalid=True, progress=False)
    assert report.committed and [(e.line, e.column) for e in report.errors] == [(3, "kind")]
    assert sorted(Organisation.objects.values_list("name", flat=True)) == ["A", "C"]


@pytest.mark.django_db
def test_a_workbook_names_the_sheet_in_its_errors(er_regions, tmp_path):
    workbook = build_workbook()
    workbook["organisations"].append(["a", "A", "laboratory"] + [""] * 10 + ["XX999"])
    workbook.create_sheet("organisation")
    path = tmp_path / "registry.xlsx"
    workbook.save(path)
    report = run_import("registry", [path], progress=False)
    assert [(e.line, e.reason) for e in report.errors] == [
        (None, "unknown sheet(s) organisation; the sheets are organisations, memberships, competences, equipment, "
               "services, contracts (and instructions)")]
    del workbook["organisation"]
    workbook.save(path)
    report = run_import("registry", [path], progress=False)
    assert [(str(e)) for e in report.errors] == [
        "registry.xlsx (sheet organisations), line 2, column region: "
        "'XX999' is not a NUTS code of any loaded version (2013, 2021)"]
    assert_nothing_written(report)


@pytest.mark.django_db
@pytest.mark.parametrize("name, reason", [
    ("orgs.csv", "cannot tell which sheet this is: name the file one of organisations.csv,"),
    ("registry.json", "expected an .xlsx workbook, a folder of sheet CSVs or one sheet CSV"),
])
def test_a_file_that_is_not_a_sheet_is_refused(tmp_path, name, reason):
    path = tmp_path / name
    path.write_text("ref,name,kind\n")
    report = run_import("registry", [path], progress=False)
    assert len(report.errors) == 1 and reason in report.errors[0].reason


def test_the_command_line_exits_non_zero_and_names_the_line(tmp_path):
    folder = tmp_path / "registry"
    shutil.copytree(EXAMPLE_DIR, folder)
    (folder / "memberships.csv").write_text("member_ref;network_ref;kind\nciri-ict;unibo;affiliate\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RIS3HUB_DATA_DIR")}
    result = subprocess.run([sys.executable, "-m", "ris3hub.cli", "import", "registry", str(folder), "--quiet",
                             "--data-dir", str(tmp_path / "data")], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "memberships.csv, line 1, column member_ref, network_ref, kind: missing column(s)" in result.stderr
    assert "semicolon-separated" in result.stderr and "nothing was written" in result.stderr


@pytest.mark.django_db
def test_a_pic_of_another_organisation_is_refused(er_regions, tmp_path):
    path = sheet(tmp_path, "organisations", ORGANISATIONS_HEADER + "x,X,laboratory" + "," * 16 + "\n")
    assert run_import("registry", [path], progress=False).ok
    other = Organisation.objects.create(name="Other", pic="999888777")
    sheet(tmp_path, "organisations", ORGANISATIONS_HEADER + "x,X,laboratory,,,999888777" + "," * 13 + "\n")
    report = run_import("registry", [path], progress=False)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [
        (2, "pic", f"PIC 999888777 is already the PIC of Other (id {other.pk}), another organisation than ref 'x'")]
    assert by_ref("x").pic == ""
