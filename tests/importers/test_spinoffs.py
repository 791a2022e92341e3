"""`ris3hub import spinoffs`: the knowledge-share JSON of Italian research spin-offs."""

import json

import pytest

from ris3hub.core.loading import run_import
from ris3hub.registry.models import Competence, ExternalId, Membership, Organisation

SPINOFFS = "actors/it-research-spinoffs-knowledge-share.json"


@pytest.fixture
def records(shared_data):
    return json.loads((shared_data / SPINOFFS).read_text(encoding="utf-8"))


def write(tmp_path, records, name="spinoffs.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def created(report, label="registry.Organisation"):
    return report.counts[label]["created"]


@pytest.mark.django_db
def test_the_real_file_gives_350_spinoffs_with_their_parents_and_domains(shared_data):
    report = run_import("spinoffs", [shared_data / SPINOFFS], progress=False)
    assert report.ok, report.errors[:5]
    assert Organisation.objects.filter(kind="spinoff", external_ids__source="knowledge-share").count() == 350
    assert ExternalId.objects.filter(source="knowledge-share").count() == 350

    tamerici = ExternalId.objects.get(source="knowledge-share", value="7524").organisation
    assert tamerici.name == "Tamerici"
    assert tamerici.kind == "spinoff" and tamerici.country == "IT" and tamerici.trl == 9
    assert tamerici.looking_for == "Industrial partner; Internationalization"
    assert tamerici.description.startswith("Tamerici is an Innovative Start-up with a Social Vocation")
    assert {(c.scheme.code, c.label) for c in tamerici.domains.all()} == {
        ("knowledge-share-category", "Social Impact"), ("knowledge-share-tag", "Sustainability")}
    parent = Membership.objects.get(member=tamerici, kind="affiliate").network
    assert (parent.name, parent.kind, parent.country) == ("Sapienza Università di Roma", "university", "IT")
    assert parent.external_ids.get(source="knowledge-share-owner").value == "106"
    assert set(tamerici.competences.values_list("name", flat=True)) >= {
        "anthropology of business and organization", "anthropology of marketing and consumer behavior"}

    polimi = Organisation.objects.get(name="Politecnico di Milano")
    assert polimi.members.filter(kind="affiliate").count() == 58
    assert Organisation.objects.get(name="CNR - Consiglio Nazionale delle Ricerche").kind == "research"
    assert Organisation.objects.get(name="University of Cambridge").country == ""

    again = run_import("spinoffs", [shared_data / SPINOFFS], progress=False)
    assert again.ok and again.changed == 0, dict(again.counts)


@pytest.mark.django_db
def test_markup_left_by_the_scrape_is_removed_from_competences(records, tmp_path):
    reactiv = next(r for r in records if "ReActiv provides" in r["mainApplications"])
    report = run_import("spinoffs", [write(tmp_path, [reactiv])], progress=False)
    assert report.ok
    names = list(Competence.objects.values_list("name", flat=True))
    assert names and not any("&amp" in n or "<" in n for n in names)
    assert any("R&D" in n for n in names)


@pytest.mark.django_db
@pytest.mark.parametrize("content, line, reason", [
    (b'[{"id": 1, "abstract": "Acme is a', 1, "invalid JSON"),
    ('[{"id": 1, "abstract": "Università"}]'.encode("latin-1"), 1, "not valid UTF-8"),
    (b"", None, "the file is empty"),
    (b'{"id": 1}', None, "expected a JSON list"),
    (b"[]", None, "holds no records"),
])
def test_a_broken_file_is_refused_whole(tmp_path, content, line, reason):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    report = run_import("spinoffs", [path], progress=False)
    assert not report.committed
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.file == str(path) and error.line == line and reason in error.reason
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_every_bad_record_is_reported_with_its_position_and_key_and_nothing_is_written(records, tmp_path):
    good = records[0]
    bad = [
        good,
        {**records[1], "trl": {"label": "12", "value": 12}},
        {**records[2], "id": None},
        {**records[3], "categories": "Biotech"},
        {**records[4], "id": good["id"]},
        {**records[5], "name": ""},
        {**records[6], "trl": "seven"},
    ]
    report = run_import("spinoffs", [write(tmp_path, bad)], progress=False)
    assert not report.committed
    found = {(e.line, e.column) for e in report.errors}
    assert found == {(2, "trl"), (3, "id"), (4, "categories"), (5, "id"), (6, "name"), (7, "trl")}
    by_line = {e.line: e.reason for e in report.errors}
    assert by_line[2] == "TRL 12 is outside 1-9"
    assert by_line[5] == f"id {good['id']} is repeated: records 1 and 5"
    assert "expected a list" in by_line[4]
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_skip_invalid_writes_only_the_valid_records(records, tmp_path):
    path = write(tmp_path, [records[0], {**records[1], "trl": {"value": 0}}, records[2]])
    report = run_import("spinoffs", [path], skip_invalid=True, progress=False)
    assert report.committed and [(e.line, e.column) for e in report.errors] == [(2, "trl")]
    assert set(ExternalId.objects.filter(source="knowledge-share").values_list("value", flat=True)) == {
        str(records[0]["id"]), str(records[2]["id"])}


@pytest.mark.django_db
def test_a_name_given_in_the_record_is_used(records, tmp_path):
    report = run_import("spinoffs", [write(tmp_path, [{**records[0], "title": "Tamerici S.r.l."}])], progress=False)
    assert report.ok
    assert Organisation.objects.get(kind="spinoff").name == "Tamerici S.r.l."


@pytest.mark.django_db
def test_dry_run_writes_nothing(records, tmp_path):
    report = run_import("spinoffs", [write(tmp_path, records[:3])], dry_run=True, progress=False)
    assert report.ok and created(report) >= 3
    assert not Organisation.objects.exists()
