"""`ris3hub import taxonomy`: the Emilia-Romagna network tree, scheme CSVs and mappings CSVs."""

import pytest

from ris3hub.core.loading import run_import
from ris3hub.taxonomy.models import Concept, ConceptMapping, Scheme

ER_TREE = "actors/er-rete-alta-tecnologia-taxonomy.json"


def csv(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.django_db
def test_the_emilia_romagna_network_gives_6_platforms_and_66_tags(shared_data):
    report = run_import("taxonomy", [shared_data / ER_TREE], progress=False)
    assert report.ok, report.errors
    scheme = Scheme.objects.get(code="er-rat")
    assert "Rete Alta Tecnologia" in scheme.name and "eroi" in scheme.source
    platforms = Concept.objects.filter(scheme=scheme, parent=None)
    assert sorted(platforms.values_list("label", flat=True)) == [
        "Agroalimentare", "Costruzioni", "Energia - Ambiente", "ICT e design", "Meccanica - materiali",
        "Scienze della vita"]
    assert Concept.objects.filter(scheme=scheme, level=1).count() == 66
    big_data = Concept.objects.get(scheme=scheme, code="ict-e-design/big-data")
    assert (big_data.label, big_data.label_it, big_data.parent.code) == ("Big Data", "Big Data", "ict-e-design")
    assert big_data.path == "ICT e design/Big Data"
    assert Concept.objects.get(scheme=scheme, code="meccanica-materiali").children.count() == 9

    again = run_import("taxonomy", [shared_data / ER_TREE], progress=False)
    assert again.ok and again.changed == 0


SCHEME_CSV = """scheme,code,label,label_it,parent,description,scheme_name
s3-er,health,Health and wellbeing,Salute e benessere,,,Emilia-Romagna S3 2021-2027
s3-er,health.devices,Medical devices,Dispositivi medici,health,,
s3-er,energy,Clean energy,Energia pulita,,,
s3-er,energy.hydrogen,Hydrogen,Idrogeno,energy,Production and use,
"""


@pytest.mark.django_db
def test_a_region_loads_its_own_scheme_and_maps_it_to_another(shared_data, tmp_path):
    mappings = csv(tmp_path, "mappings.csv", "source_scheme,source_code,target_scheme,target_code,relation\n"
                   "s3-er,health.devices,er-rat,scienze-della-vita/dispositivi-e-protesi,close\n"
                   "s3-er,energy,er-rat,energia-ambiente,\n")
    # mappings first on the command line: schemes are still written before them
    report = run_import("taxonomy", [mappings, csv(tmp_path, "s3.csv", SCHEME_CSV), shared_data / ER_TREE],
                        progress=False)
    assert report.ok, report.errors
    scheme = Scheme.objects.get(code="s3-er")
    assert scheme.name == "Emilia-Romagna S3 2021-2027"
    hydrogen = Concept.objects.get(scheme=scheme, code="energy.hydrogen")
    assert (hydrogen.parent.code, hydrogen.level, hydrogen.label_it) == ("energy", 1, "Idrogeno")
    assert hydrogen.description == "Production and use"
    relations = {(m.source.code, m.target.code, m.relation) for m in ConceptMapping.objects.all()}
    assert relations == {("health.devices", "scienze-della-vita/dispositivi-e-protesi", "close"),
                         ("energy", "energia-ambiente", "exact")}


@pytest.mark.django_db
def test_children_may_come_before_their_parents_and_parents_may_be_stored_already(tmp_path):
    run_import("taxonomy", [csv(tmp_path, "a.csv", "scheme,code,label\nx,root,Root\n")], progress=False)
    report = run_import("taxonomy", [csv(tmp_path, "b.csv", "scheme,code,label,parent\nx,c,C,b\nx,b,B,root\n")],
                        progress=False)
    assert report.ok, report.errors
    assert Concept.objects.get(code="c").path == "Root/B/C"


@pytest.mark.django_db
@pytest.mark.parametrize("text, errors", [
    ("scheme,code,label,parent\nx,a,A,\nx,b,B,zz\n", {(3, "parent", "parent 'zz' is not a code of scheme 'x'")}),
    ("scheme,code,label,parent\nx,a,A,b\nx,b,B,a\nx,c,C,\n",
     {(2, "parent", "the parents form a cycle: a > b > a"), (3, "parent", "the parents form a cycle: a > b > a")}),
    ("scheme,code,label\nx,a,A\nx,a,Again\n", {(3, "code", "code 'a' of scheme 'x' is repeated: lines 2 and 3")}),
    ("scheme,code,label\nx,a,\n", {(2, "label", "label is required")}),
    ("scheme,code,label,parent\nx,a,A,zz\nx,b,B,a\n",
     {(2, "parent", "parent 'zz' is not a code of scheme 'x'"), (3, "parent", "its parent 'a' was rejected")}),
])
def test_bad_scheme_rows_are_reported_and_nothing_is_written(tmp_path, text, errors):
    path = csv(tmp_path, "scheme.csv", text)
    report = run_import("taxonomy", [path], progress=False)
    assert not report.committed
    assert {(e.line, e.column, e.reason) for e in report.errors} == errors
    assert all(e.file == str(path) for e in report.errors)
    assert not Concept.objects.exists() and not Scheme.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, line, reason", [
    ("tree.json", b'{"Rete": {"A": ["x", ', 1, "invalid JSON"),
    ("s.csv", "scheme,code,label\nx,a,Qualità\n".encode("latin-1"), 2, "not valid UTF-8"),
    ("s.csv", b"scheme;code;label\nx;a;A\n", 1, "semicolon-separated"),
    ("s.csv", b"", None, "the file is empty"),
    ("tree.json", b'{"A": [], "B": []}', None, "expected one root key"),
    ("s.txt", b"whatever", None, "expected a tree .json"),
])
def test_a_broken_file_is_refused_whole(tmp_path, name, content, line, reason):
    path = tmp_path / name
    path.write_bytes(content)
    report = run_import("taxonomy", [path], progress=False)
    assert not report.committed and len(report.errors) == 1
    assert report.errors[0].line == line and reason in report.errors[0].reason
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_bad_mappings_name_the_column(shared_data, tmp_path):
    other = csv(tmp_path, "other.csv", "scheme,code,label\nother,ai,AI\n")
    path = csv(tmp_path, "m.csv", "source_scheme,source_code,target_scheme,target_code,relation\n"
               "er-rat,ict-e-design,nope,x,close\n"
               "er-rat,ict-e-design/nope,other,ai,close\n"
               "other,ai,er-rat,ict-e-design,similar\n"
               "other,ai,er-rat,ict-e-design,narrow\n"
               "other,ai,er-rat,ict-e-design,broad\n"
               "er-rat,ict-e-design,er-rat,ict-e-design/big-data,narrow\n")
    report = run_import("taxonomy", [shared_data / ER_TREE, other, path], progress=False)
    assert {(e.line, e.column) for e in report.errors} == {
        (2, "target_scheme"), (3, "source_code"), (4, "relation"), (6, "target_code"), (7, "target_scheme")}
    assert "'similar' is not a relation" in next(e.reason for e in report.errors if e.line == 4)
    assert not report.committed and not Scheme.objects.exists()

    report = run_import("taxonomy", [shared_data / ER_TREE, other, path], skip_invalid=True, progress=False)
    assert report.committed
    assert list(ConceptMapping.objects.values_list("relation", flat=True)) == ["narrow"]


@pytest.mark.django_db
def test_a_label_too_long_for_the_database_is_refused(tmp_path):
    path = csv(tmp_path, "s.csv", "scheme,code,label\nx,a," + "y" * 301 + "\n")
    report = run_import("taxonomy", [path], progress=False)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(2, "label", "301 characters; at most 300")]
