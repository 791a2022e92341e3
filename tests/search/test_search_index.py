"""The index on a small real corpus: Italian and English queries, filters, incremental updates."""

import json

import pytest

from ris3hub.registry import actions
from ris3hub.registry.models import OrganisationKind
from ris3hub.search import indexing
from ris3hub.search.filters import Filters
from ris3hub.search.matching import Need, match_need
from ris3hub.search.models import IndexChange
from ris3hub.search.searching import run_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(ecosystem, search_dir):
    report = indexing.build_index(progress=False)
    assert report.documents > 30
    return indexing.open_index()


def _spinoff_rank(page, knowledge_share_id: str) -> int | None:
    for rank, r in enumerate(page.results, start=1):
        if r.kind == "spinoff" and r.source_id == knowledge_share_id:
            return rank
    return None


SPINOFF_QUERIES = [
    ("sensore rapido per rilevare il glutine nei piatti dei ristoranti", "7342"),  # Italian, offer in English
    ("diagnostica delle opere d'arte e prodotti per il restauro", "7520"),
    ("software that estimates the shelf life of packaged food", "7377"),
    ("radar sensors to improve product quality and safety in factories", "7363"),
]


def test_a_spinoff_is_found_by_an_italian_or_an_english_query(index):
    for query, knowledge_share_id in SPINOFF_QUERIES:
        page = run_search(query, top=5, index=index)
        assert _spinoff_rank(page, knowledge_share_id) is not None, (query, [(r.name, r.source_id) for r in page.results])
        best = page.results[0]
        assert best.why and best.passage  # the reason shows the passage that matched


def test_filters_and_facets(index, ecosystem):
    page = run_search("food safety", Filters(region="ITH5"), top=10, index=index)
    assert page.results and all("ITH5" in r.facets.regions for r in page.results)
    assert page.results[0].name == "CIRI Agroalimentare"
    # Competences, equipment and services of the lab stand for the lab: one line an organisation.
    assert [r.facets.organisation for r in page.results].count(ecosystem.lab.pk) == 1
    kinds = dict(page.facets["kind"])
    assert kinds.get("laboratory") == 1

    only_competences = run_search("food safety", Filters(kinds=("competence",)), top=5, index=index)
    assert {r.kind for r in only_competences.results} == {"competence"}
    smes = run_search("electric motors", Filters(is_sme=True), top=5, index=index)
    assert [r.name for r in smes.results] == ["Motori Modenesi Srl"]
    projects = run_search("battery", Filters(kinds=("project",), countries=("DE",)), top=5, index=index)
    assert [r.source_id for r in projects.results] == ["600001"]
    trl = run_search("food", Filters(trl_min=9), top=50, index=index)
    assert all(r.facets.trl >= 9 for r in trl.results)
    # Calls are matched to organisations, not searched unless asked for.
    assert all(r.kind != "call" for r in run_search("food safety shelf life", top=50, index=index).results)


def test_an_edited_organisation_is_updated_without_a_rebuild(index, ecosystem):
    before = set(index.entries)
    folder = index.folder
    company = ecosystem.company
    company.description = "Stampa 3D di componenti in titanio per l'aerospazio."
    company.save()
    new = actions.do_create_organisation("Idrogeno Verde Srl", OrganisationKind.COMPANY, country="IT",
                                         description="Electrolysers producing green hydrogen from solar power.")
    supplier = f"organisation:{ecosystem.supplier.pk}"
    ecosystem.supplier.delete()
    assert IndexChange.objects.count() >= 3

    report = indexing.update_index()
    assert report.changes >= 3 and report.added >= 2 and report.removed >= 1
    assert IndexChange.objects.count() == 0
    updated = indexing.open_index()
    assert updated.folder == folder  # the same index, changed in place
    assert set(updated.entries) == (before - {supplier}) | {f"organisation:{new.pk}"}
    page = run_search("titanium 3D printing for aircraft parts", top=3, index=updated)
    assert page.results[0].id == f"organisation:{company.pk}"
    assert "titanio" in page.results[0].passage
    assert run_search("green hydrogen electrolysis", top=1, index=updated).results[0].id == f"organisation:{new.pk}"


def test_a_searching_process_applies_a_short_queue_itself(index, ecosystem):
    ecosystem.lab.description_it = "Analisi sensoriale di vini e oli d'oliva con un panel di assaggiatori."
    ecosystem.lab.save()
    refreshed = indexing.open_index()
    assert IndexChange.objects.count() == 0
    page = run_search("sensory analysis of olive oils by a tasting panel", top=3, index=refreshed)
    assert ecosystem.lab.pk in [r.facets.organisation for r in page.results]


def test_matching_modes_and_reasons(index, ecosystem):
    offers = match_need(Need("Cerchiamo un laboratorio per test di conservazione degli alimenti confezionati",
                             mode="r2b", region="ITH54"), index=index)
    lab = next(o for o in offers if o.organisation_id == ecosystem.lab.pk)
    assert lab.region == "ITH55" and 20 < lab.distance_km < 50  # Modena - Bologna
    assert any("km" in line for line in lab.reasons) and lab.result.passage
    assert all(o.organisation_id != ecosystem.company.pk for o in offers)  # a company is not a research offer
    # Funded research projects are research offers too, placed at the participant nearest to the need.
    project = next(o for o in match_need(Need("una rete europea per alimenti più sicuri", region="ITF3"), index=index)
                   if o.result.kind == "project")
    assert project.result.source_id == "101000001" and project.region == "ITF33"

    b2b = match_need(Need("battery management systems for electric tractors", mode="b2b",
                          organisation=ecosystem.company), index=index)
    assert b2b[0].organisation_id == ecosystem.supplier.pk
    assert ecosystem.company.pk not in {o.organisation_id for o in b2b}  # not matched with itself
    assert "Mechatronics and motor vehicles" in b2b[0].shared_domains

    f2b = match_need(Need("seed investment in medical devices and biotech", mode="f2b"), index=index)
    assert f2b and all(o.result.kind == "spinoff" for o in f2b)
    assert all("invest" in o.looking_for.lower() or "financ" in o.looking_for.lower() for o in f2b)


def test_status_reports_the_index(index):
    status = indexing.index_status()
    assert status["documents"] == len(index) and status["queued_changes"] == 0
    assert status["counts"]["spinoff"] == 30
    json.dumps(status)
