"""The pages, rendered by Django's test client over a built index."""

import pytest
from django.test import Client

from ris3hub.search import indexing

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(ecosystem, search_dir):
    indexing.build_index(progress=False)
    return Client()


def test_search_page_with_facets_and_filters(client, ecosystem):
    page = client.get("/find/", {"q": "sicurezza alimentare"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "CIRI Agroalimentare" in html and 'id="facet-kind"' in html and 'class="passage"' in html
    filtered = client.get("/find/", {"q": "sicurezza alimentare", "region": "ITF3"}).content.decode()
    assert "CIRI Agroalimentare" not in filtered
    assert "not a NUTS 2021 region" in client.get("/find/", {"q": "x", "region": "QQ1"}).content.decode()
    assert client.get("/find/").status_code == 200


def test_need_page_ranks_offers_with_reasons(client, ecosystem):
    html = client.get("/find/need/", {"text": "Cerchiamo test di conservazione per alimenti confezionati",
                                      "mode": "r2b", "region": "ITH54"}).content.decode()
    assert 'id="offers"' in html and "CIRI Agroalimentare" in html and "km" in html


def test_team_page_shows_coverage(client):
    html = client.get("/find/team/", {"competences": "electric motors\nbattery management systems\nfood safety"}
                      ).content.decode()
    assert 'id="team-1"' in html and "Batterie Emiliane Spa" in html and 'class="covered"' in html
    assert "Write the challenge" in client.get("/find/team/", {"regions": "ITH5"}).content.decode()


def test_partner_page_has_a_map(client):
    html = client.get("/find/partners/", {"region": "ITH5", "priority": "ER1"}).content.decode()
    assert 'id="partner-map"' in html and "Kentriki Makedonia" in html and "pairing" in html


def test_call_pages(client, ecosystem):
    html = client.get(f"/find/calls/{ecosystem.open_call.pk}/", {"applicant": ecosystem.university.pk}).content.decode()
    assert "CIRI Agroalimentare" in html and 'id="consortium"' in html
    html = client.get(f"/find/organisations/{ecosystem.lab.pk}/calls/", {"open": "1"}).content.decode()
    assert "Food safety and shelf life" in html and "Electric vehicle batteries" not in html


def test_pages_without_an_index_say_how_to_build_it(ecosystem, search_dir):
    html = Client().get("/find/", {"q": "food"}).content.decode()
    assert "search-index rebuild" in html


def test_pages_in_italian(ecosystem, search_dir):
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    html = client.get("/find/partners/", {"region": "ITH5"}).content.decode()
    assert "Regioni partner" in html and "Trova partner" in html and "più sviluppata" in html
