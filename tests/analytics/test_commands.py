"""`ris3hub opportunities REGION`: the ranked opportunities of a region, as text or JSON."""

import json

import pytest

from ris3hub.analytics import commands
from ris3hub.cli import build_parser


def run(capsys, *argv) -> tuple[int, str, str]:
    args = build_parser().parse_args(["opportunities", *argv])
    code = commands.cmd_opportunities(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_opportunities_as_json(capsys, s3_panel):
    code, out, _ = run(capsys, "ITH5", "--scheme", "eurito", "--json")
    assert code == 0
    document = json.loads(out)
    assert {k: document[k] for k in ("region", "name", "scheme", "level", "weight", "depth", "regions", "domains")} == {
        "region": "ITH5", "name": "Emilia-Romagna", "scheme": "eurito", "level": 2, "weight": "count", "depth": None,
        "regions": 4, "domains": 7}
    assert isinstance(document["eci"], float) and 1 <= document["eci_rank"] <= 4
    opportunities = document["opportunities"]
    assert opportunities and [o["rank"] for o in opportunities] == list(range(1, len(opportunities) + 1))
    for o in opportunities:
        assert set(o) == {"rank", "domain", "label", "rca", "relatedness_density", "complexity", "cog", "quadrant",
                          "quadrant_label"}
        assert o["rca"] < 1 and o["domain"] not in document["specialised"]
        assert o["quadrant"] in {"ideal", "stretch", "safe", "weak"}
        assert 0 <= o["relatedness_density"] <= 1


@pytest.mark.django_db
def test_opportunities_as_text_with_a_limit(capsys, s3_panel):
    code, out, _ = run(capsys, "ITH5", "--limit", "2")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("ITH5 Emilia-Romagna: EURITO preprint topics, NUTS-2, 4 regions x 7 domains")
    assert len(lines) == 2 + 2  # summary, header, two opportunities


@pytest.mark.django_db
def test_opportunities_from_a_users_file(capsys, s3_panel, tmp_path):
    path = tmp_path / "counts.csv"
    lines = ["region,domain,value"] + [f"{r},{d},{v}" for r, d, v in [
        ("ITH5", "a", 9), ("ITH5", "b", 1), ("ITH5", "c", 1), ("ITC4", "a", 1), ("ITC4", "b", 8), ("ITC4", "c", 2),
        ("DE30", "a", 2), ("DE30", "b", 2), ("DE30", "c", 9), ("FR10", "a", 5), ("FR10", "b", 5), ("FR10", "c", 1)]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "ITH5", "--csv", str(path), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["scheme"] == "csv" and document["specialised"] == ["a"]
    assert {o["domain"] for o in document["opportunities"]} == {"b", "c"}


@pytest.mark.django_db
def test_opportunities_errors(capsys, s3_panel, tmp_path):
    code, _, err = run(capsys, "XX9")
    assert code == 2 and "not a NUTS region" in err
    code, _, err = run(capsys, "ITH55", "--level", "2")
    assert code == 2 and "ITH55 is a NUTS-3 region" in err
    code, _, err = run(capsys, "ITH5", "--scheme", "thematic")
    assert code == 1 and "at least 3" in err
    broken = tmp_path / "broken.csv"
    broken.write_text("region,domain,value\nITH5,a,-1\nZZ1,b,2\n", encoding="utf-8")
    code, _, err = run(capsys, "ITH5", "--csv", str(broken))
    assert code == 1
    assert "line 2, column value" in err and "line 3, column region" in err
