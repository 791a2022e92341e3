"""Teams, the command line (JSON shapes) and the REST API over a built index."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ris3hub.accounts import roles
from ris3hub.cli import main
from ris3hub.search import indexing
from ris3hub.search.models import GraduateProfile, Position
from ris3hub.search.teams import TeamRequest, build_teams
from ris3hub.tokens.actions import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(ecosystem, search_dir):
    indexing.build_index(progress=False)
    return ecosystem


def test_teams_cover_every_competence_with_evidence(built):
    result = build_teams(TeamRequest(
        challenge="Cerchiamo competenze in motori elettrici, sistemi di gestione delle batterie e sicurezza "
                  "alimentare dei raccolti.", max_size=4))
    assert result.competences == ["motori elettrici", "sistemi di gestione delle batterie",
                                  "sicurezza alimentare dei raccolti"]
    best = result.teams[0]
    assert not best.uncovered and 2 <= len(best.members) <= 4
    names = {m.name for m in best.members}
    assert {"Batterie Emiliane Spa", "CIRI Agroalimentare"} <= names
    for cover in best.coverage.values():
        assert cover.member in names and cover.evidence and cover.score >= 0.3
    assert best.method == "exact"
    networks = {m.network for m in best.members if m.network}
    assert "Clust-ER Agrifood" in networks
    # Regions restrict the candidates.
    elsewhere = build_teams(TeamRequest(competences=["electric motors", "food safety"], regions=["DE"]))
    assert all(m.region.startswith("DE") for t in elsewhere.teams for m in t.members)


def _cli_json(capsys, *args):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_search_json_shape(built, capsys, search_dir):
    rows = _cli_json(capsys, "search", "sensore per rilevare il glutine negli alimenti", "--kind", "spinoff",
                     "--top", "3")
    assert len(rows) == 3
    assert all(set(r) == {"id", "kind", "name", "score", "why", "source_id"} for r in rows)
    assert rows[0]["source_id"] == "7342" and rows[0]["id"].startswith("spinoff:")
    rows = _cli_json(capsys, "search", "food safety", "--region", "ITH5", "--top", "5")
    assert rows[0]["name"] == "CIRI Agroalimentare"


def test_cli_match_team_partners_and_index(built, capsys, search_dir):
    offers = _cli_json(capsys, "match", "test di conservazione per alimenti confezionati", "--mode", "r2b",
                       "--region", "ITH54", "--top", "3")
    assert offers[0]["name"] == "CIRI Agroalimentare" and offers[0]["reasons"]
    team = _cli_json(capsys, "team", "We need electric motors, battery management systems and food safety.")
    assert team["teams"][0]["coverage"]["battery management systems"]["member"] == "Batterie Emiliane Spa"
    partners = _cli_json(capsys, "partners", "ITH5", "--priority", "ER1", "--top", "3")
    assert partners["region"] == "ITH5" and partners["partners"][0]["code"] == "EL52"
    assert partners["partners"][0]["pairing"] is True
    status = _cli_json(capsys, "search-index", "status")
    assert status["queued_changes"] == 0 and status["counts"]["spinoff"] == 30
    assert main(["search-index", "update", "--quiet"]) == 0
    assert main(["search", "  "]) == 2
    assert "empty" in capsys.readouterr().err


def test_api(built, search_dir):
    client = Client()
    answer = client.get("/api/search/", {"q": "sensore per rilevare il glutine negli alimenti", "kind": "spinoff", "top": 3})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["results"][0]["source_id"] == "7342" and data["results"][0]["passage"]
    assert {f["value"] for f in data["facets"]["kind"]} == {"spinoff"}
    assert client.get("/api/search/", {"q": "x", "region": "not a code"}).status_code == 422

    offers = client.get("/api/search/match", {"need": "battery packs for vehicles", "mode": "b2b"}).json()
    assert offers[0]["name"] == "Batterie Emiliane Spa"
    teams = client.get("/api/search/team", {"competence": ["electric motors", "food safety"]}).json()
    assert teams["teams"] and not teams["teams"][0]["uncovered"]
    assert client.get("/api/search/team").json()["code"] == "invalid"
    partners = client.get("/api/search/partners/ITH5", {"priority": "ER1"}).json()
    assert partners["partners"][0]["code"] == "EL52"
    assert client.get("/api/search/partners/XX9").json()["code"] == "not_found"

    calls = client.get(f"/api/search/organisations/{built.lab.pk}/calls", {"open_only": "true"}).json()
    assert [c["identifier"] for c in calls] == ["HORIZON-CL6-2030-FOOD-01"]
    call = client.get(f"/api/search/calls/{built.open_call.pk}", {"applicant": built.university.pk}).json()
    assert "CIRI Agroalimentare" in [c["name"] for c in call["candidates"][:3]]
    assert all(c["kind"] in ("organisation", "laboratory", "technopole", "spinoff") for c in call["candidates"])
    assert built.university.pk not in {p["organisation"] for p in call["partners"]}

    meet = client.get("/api/search/meet", {"a": [built.investor.pk], "b": [built.company.pk, built.lab.pk]}).json()
    assert len(meet) == 2 and {m["b"] for m in meet} == {built.company.pk, built.lab.pk}
    assert client.get("/api/search/index").json()["documents"] > 30


def test_talent_and_overlaps(built, search_dir):
    Position.objects.create(organisation=built.supplier, kind=Position.Kind.INTERNSHIP,
                            title="Battery test engineer intern", skills="battery cells, electrochemistry, Python")
    Position.objects.create(organisation=built.lab, kind=Position.Kind.DOCTORATE, title="PhD in food packaging",
                            skills="food science, packaging materials, shelf life")
    GraduateProfile.objects.create(name="Giulia", degree="Laurea magistrale in Scienze e tecnologie alimentari",
                                   skills="microbiologia, imballaggi", summary="Vorrei fare un dottorato sulla "
                                   "conservazione degli alimenti", region=built.regions["ITH54"])
    assert Client().get("/api/search/talent").status_code == 401  # graduates are people: analysts only
    analyst = get_user_model().objects.create_user("analyst")
    roles.grant(analyst, roles.Role.ANALYST)
    secret = create_token(analyst, "talent desk", ["read"]).secret
    answer = Client().get("/api/search/talent", headers={"Authorization": f"Bearer {secret}"}).json()
    assert answer[0]["graduate_name"] == "Giulia" and answer[0]["position_title"] == "PhD in food packaging"
    assert answer[0]["distance_km"] > 0

    overlaps = Client().get("/api/search/overlaps", {"threshold": 0.6}).json()
    pair = {overlaps[0]["a_name"], overlaps[0]["b_name"]}
    assert pair == {"Food safety training", "Corsi sulla sicurezza alimentare"}
