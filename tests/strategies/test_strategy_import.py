"""`ris3hub import strategy`: priorities of a region's S3 and what they cover, from CSV or XLSX."""

import csv
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from ris3hub.core.loading import run_import
from ris3hub.indicators.models import Indicator
from ris3hub.projects.models import Project
from ris3hub.strategies.models import Priority, PriorityDomain, Strategy
from ris3hub.taxonomy.models import Concept, Scheme

HEADER = ["region", "period", "code", "title", "title_it", "description", "classifications", "strategy_title",
          "strategy_url"]
GOOD = [
    ["ITH5", "2021-2027", "T06", "Digitalisation, artificial intelligence, big data", "Digitalizzazione",
     "Thematic area 6",
     ("er-rat:ict-e-design/big-data; euroscivoc:/23/47; thematic:Information and Communication Technologies; "
      "eurito:deep_learning"),
     "S3 Emilia-Romagna 2021-2027", "https://fesr.regione.emilia-romagna.it/s3"],
    ["ITD5", "2021-2027", "S6", "Innovation in services", "Innovazione nei servizi", "", "er-rat:ict-e-design", "", ""],
    ["DE3", "2014-2020", "B1", "Digital economy", "", "", "topic:ICT-01-2020", "", ""],
]
DEMO = Path(__file__).resolve().parents[2] / "ris3hub" / "strategies" / "demo" / "emilia-romagna-s3-2021-2027.csv"


def write_csv(path: Path, rows, header=HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def links(priority: Priority) -> set[str]:
    return ({f"{c.scheme.code}:{c.code}" for c in priority.concepts.select_related("scheme")}
            | {f"{d.scheme}:{d.code}" for d in priority.domains.all()})


def test_a_strategy_file_is_imported_with_its_links(strategy_data, tmp_path):
    report = run_import("strategy", [write_csv(tmp_path / "s3.csv", GOOD)], progress=False)
    assert report.committed, [str(e) for e in report.errors]
    assert report.counts["strategies.Strategy"]["created"] == 2
    assert report.counts["strategies.Priority"]["created"] == 3
    emilia = Strategy.objects.get(region__code="ITH5", period="2021-2027")
    assert emilia.title == "S3 Emilia-Romagna 2021-2027"
    assert emilia.url == "https://fesr.regione.emilia-romagna.it/s3"
    # The NUTS 2010 code ITD5 is Emilia-Romagna's region of the version in use.
    assert sorted(emilia.priorities.values_list("code", flat=True)) == ["S6", "T06"]
    t06 = emilia.priorities.get(code="T06")
    assert t06.title_it == "Digitalizzazione"
    assert links(t06) == {"er-rat:ict-e-design/big-data", "euroscivoc:/23/47",
                          "thematic:Information and Communication Technologies", "eurito:deep_learning"}
    berlin = Strategy.objects.get(region__code="DE3")
    assert berlin.title == "Smart Specialisation Strategy DE3 2014-2020"
    assert links(berlin.priorities.get()) == {"topic:ICT-01-2020"}


def test_importing_again_changes_nothing_and_the_file_is_the_whole_strategy(strategy_data, tmp_path):
    path = write_csv(tmp_path / "s3.csv", GOOD)
    assert run_import("strategy", [path], progress=False).committed
    again = run_import("strategy", [path], progress=False)
    assert again.committed and again.changed == 0
    assert all(c["unchanged"] for c in again.counts.values())
    # The next version drops S6 and one link of T06, and retitles T06.
    edited = [list(GOOD[0]), GOOD[2]]
    edited[0][3] = "Digitalisation, AI, big data"
    edited[0][6] = "er-rat:ict-e-design/big-data; eurito:deep_learning"
    report = run_import("strategy", [write_csv(tmp_path / "s3-v2.csv", edited)], progress=False)
    assert report.committed
    assert report.counts["strategies.Priority"]["deleted"] == 1
    assert report.counts["strategies.Priority"]["updated"] == 1
    t06 = Priority.objects.get(code="T06")
    assert t06.title == "Digitalisation, AI, big data"
    assert links(t06) == {"er-rat:ict-e-design/big-data", "eurito:deep_learning"}
    assert not Priority.objects.filter(code="S6").exists()


def test_a_workbook_reads_like_the_csv(strategy_data, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    path = tmp_path / "s3.xlsx"
    workbook.save(path)
    report = run_import("strategy", [path], progress=False)
    assert report.committed, [str(e) for e in report.errors]
    assert Priority.objects.count() == 3
    assert PriorityDomain.objects.count() == 3


def test_every_problem_is_reported_with_its_place_and_nothing_is_written(strategy_data, tmp_path):
    rows = [
        ["XX99", "2021-2027", "A", "Alpha", "", "", "", "", ""],
        ["ITH5", "2020-2027", "B", "Beta", "", "", "", "", ""],
        ["ITH5", "2021-2027", "C", "", "", "", "", "", ""],
        ["ITH5", "2021-2027", "D", "Delta", "", "", "euroscivoc:/99; thematic:Nothing; nope:x", "", ""],
        ["ITH5", "2021-2027", "E", "Eps", "", "", "not a code", "", ""],
        ["ITH5", "2021-2027", "F", "Phi", "", "", "", "", ""],
        ["ITH5", "2021-2027", "F", "Phi again", "", "", "", "", ""],
        ["ITH5", "2021-2027", "G", "Gamma", "", "", "", "S3 one", ""],
        ["ITH5", "2021-2027", "H", "Eta", "", "", "", "S3 two", ""],
        ["ITH5", "2021-2027", "I", "Iota", "", "", "", "", "ftp://example.org"],
    ]
    path = write_csv(tmp_path / "broken.csv", rows)
    with path.open("a", encoding="utf-8") as f:
        f.write("ITH5,2021-2027,J\n")  # a truncated last row
    report = run_import("strategy", [path], progress=False)
    assert not report.committed
    found = {(e.line, e.column): e.reason for e in report.errors}
    assert all(e.file == str(path) for e in report.errors)
    assert "not a NUTS code" in found[(2, "region")]
    assert "not a programming period" in found[(3, "period")]
    assert "needs a title" in found[(4, "title")]
    reason = found[(5, "classifications")]
    assert "euroscivoc:/99 is not a concept" in reason
    assert "thematic:Nothing is not a thematic domain" in reason
    assert "'nope' is neither a loaded taxonomy scheme" in reason
    assert "is not scheme:code" in found[(6, "classifications")]
    assert "given 2 times" in found[(7, "code")] and "given 2 times" in found[(8, "code")]
    assert "differs from 'S3 one' given for the same strategy on line 9" in found[(10, "strategy_title")]
    assert "not a web address" in found[(11, "strategy_url")]
    assert "truncated row" in found[(12, None)]
    assert not Strategy.objects.exists() and not Priority.objects.exists()


@pytest.mark.parametrize("text, reason", [
    ("", "the file is empty"),
    ("region;period;code;title\nITH5;2021-2027;A;Alpha\n", "semicolon-separated"),
    ("region,period,title\nITH5,2021-2027,Alpha\n", "missing column(s) code"),
])
def test_files_that_cannot_be_read(strategy_data, tmp_path, text, reason):
    path = tmp_path / "s3.csv"
    path.write_text(text, encoding="utf-8")
    report = run_import("strategy", [path], progress=False)
    assert not report.committed
    assert reason in str(report.errors[0])
    assert not Strategy.objects.exists()


def test_wrong_encoding_names_the_line(strategy_data, tmp_path):
    path = tmp_path / "s3.csv"
    path.write_bytes("region,period,code,title\nITH5,2021-2027,A,Citt\xe0\n".encode("latin-1"))
    report = run_import("strategy", [path], progress=False)
    assert report.errors[0].line == 2 and "UTF-8" in report.errors[0].reason


def _demo_links() -> dict[str, set[str]]:
    by_scheme: dict[str, set[str]] = {}
    with DEMO.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for part in filter(None, (p.strip() for p in row["classifications"].split(";"))):
                scheme, _, code = part.partition(":")
                by_scheme.setdefault(scheme, set()).add(code)
    return by_scheme


@pytest.mark.django_db
def test_the_demo_strategy_points_only_at_concepts_and_domains_of_the_shared_data(shared_data):
    """Emilia-Romagna's S3 2021-2027 as shipped for the demo: every link names a real code."""
    from python_calamine import CalamineWorkbook

    wanted = _demo_links()
    assert set(wanted) == {"er-rat", "euroscivoc", "thematic", "eurito"}
    report = run_import("taxonomy", [shared_data / "actors" / "er-rete-alta-tecnologia-taxonomy.json"], progress=False)
    assert report.committed
    rat = set(Concept.objects.filter(scheme__code="er-rat").values_list("code", flat=True))
    assert wanted["er-rat"] <= rat, wanted["er-rat"] - rat
    sheet = CalamineWorkbook.from_path(str(shared_data / "cordis" / "horizon-europe-project-euroscivoc.xlsx"))
    paths = {row[1] for row in sheet.get_sheet_by_index(0).to_python()[1:]}
    prefixes = {"/".join(p.split("/")[:n]) for p in paths for n in range(2, p.count("/") + 2)}
    assert wanted["euroscivoc"] <= prefixes, wanted["euroscivoc"] - prefixes
    themes = set()
    for name, column in (("h2020-projects.xlsx", "Thema"), ("fp7-projects.xlsx", "Thematic Priority Descr")):
        rows = CalamineWorkbook.from_path(str(shared_data / "cordis" / name)).get_sheet_by_index(0).to_python()
        index = rows[0].index(column)
        themes |= {str(r[index]).strip() for r in rows[1:]}
    assert wanted["thematic"] <= themes, wanted["thematic"] - themes
    eurito = {re.sub(r"_count$", "", p.stem) for p in (shared_data / "eurito" / "articles").glob("*_count.csv")}
    assert wanted["eurito"] <= eurito, wanted["eurito"] - eurito


@pytest.mark.django_db
def test_the_demo_strategy_imports(strategy_data):
    """With the concepts and domains it names present, the demo file gives 25 priorities of ITH5."""
    wanted = _demo_links()
    rat = Scheme.objects.get(code="er-rat")
    esv = Scheme.objects.get(code="euroscivoc")
    for code in wanted["er-rat"]:
        Concept.objects.get_or_create(scheme=rat, code=code, defaults={"label": code})
    for code in wanted["euroscivoc"]:
        Concept.objects.get_or_create(scheme=esv, code=code, defaults={"label": code})
    for i, theme in enumerate(sorted(wanted["thematic"])):
        Project.objects.create(number=f"T{i}", title=theme, thematic_priority=theme)
    for key in wanted["eurito"]:
        Indicator.objects.get_or_create(code=f"eurito:{key}_count", defaults={"dataset": "eurito", "unit": "count",
                                                                             "label": key, "topic": key})
    report = run_import("strategy", [DEMO], progress=False)
    assert report.committed, [str(e) for e in report.errors]
    strategy = Strategy.objects.get(region__code="ITH5", period="2021-2027")
    assert strategy.priorities.count() == 25
    assert strategy.priorities.get(code="T13").title_it == "Salute"
