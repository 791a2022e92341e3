"""The cached parts of the home, search and region pages: served from the cache, never stale after a
write or an import, never shared beyond what every visitor may see (ris3hub.core.caching)."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from ris3hub.core import caching
from ris3hub.core.loading import run_import
from ris3hub.regions import views as region_views
from ris3hub.regions.models import Region
from ris3hub.registry import actions
from ris3hub.registry.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

REGION_URL = "/regions/ITH5/"
CORNERS = {"IT": (7, 37), "ITH": (10, 44), "ITH5": (10, 44), "ITH55": (11.2, 44.3)}


def square(code: str) -> str:
    west, south = CORNERS[code]
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the cache outlives a test's rolled-back database when it lives in memory
    caching._recent.clear()
    yield
    cache.clear()
    caching._recent.clear()


@pytest.fixture
def regions(db):
    made = {}
    for code, name in (("IT", "Italia"), ("ITH", "Nord-Est"), ("ITH5", "Emilia-Romagna"), ("ITH55", "Bologna")):
        made[code] = Region.objects.create(version=2021, code=code, level=len(code) - 2, country="IT",
                                           name_latn=name, name=name, parent=made.get(code[:-1]),
                                           geometry=square(code))
    return made


def new_organisation(name: str, region: Region) -> Organisation:
    return actions.do_create_organisation(name, OrganisationKind.COMPANY, city="Bologna", country="IT", region=region)


def main_part(response) -> str:
    """What the page shows in <main>: the cached part and what is around it, without the header."""
    html = response.content.decode()
    return html[html.index('<main id="main"'):html.index("</main>")]


def csrf_token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def test_the_region_profile_is_rendered_once_then_served_from_the_cache(client, regions, monkeypatch):
    new_organisation("Officine Bolognesi Srl", regions["ITH55"])
    first = client.get(REGION_URL)
    assert first.status_code == 200 and "Officine Bolognesi Srl" in first.content.decode()

    def not_again(region):
        raise AssertionError("the profile was computed again")

    monkeypatch.setattr(region_views, "profile_context", not_again)
    second = Client().get(REGION_URL)
    assert second.status_code == 200
    assert main_part(second) == main_part(first)


def test_an_edit_shows_on_the_next_request(client, regions):
    assert "No organisation is registered in this region yet." in client.get(REGION_URL).content.decode()
    org = new_organisation("Officine Bolognesi Srl", regions["ITH55"])
    html = client.get(REGION_URL).content.decode()
    assert "Officine Bolognesi Srl" in html
    org.name = "Officine Emiliane Srl"
    org.save()
    html = client.get(REGION_URL).content.decode()
    assert "Officine Emiliane Srl" in html and "Officine Bolognesi Srl" not in html
    org.delete()
    assert "No organisation is registered in this region yet." in client.get(REGION_URL).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_by_another_process_retires_the_cache_when_it_commits(client, regions, monkeypatch):
    client.get(REGION_URL)
    # Another process (a command, another worker) has served nothing: only its commit bumps the version.
    monkeypatch.setattr(caching, "_served_since_bump", False)
    bumps = []
    original = caching.bump_data_version
    monkeypatch.setattr(caching, "bump_data_version", lambda: bumps.append(1) or original())
    version = caching.data_version()
    with transaction.atomic():
        for n in range(30):
            new_organisation(f"Impresa {n}", regions["ITH55"])
        assert caching.data_version() == version  # nothing retired before the commit
    assert len(bumps) == 1  # one bump for the whole transaction, after it committed
    assert caching.data_version() != version
    html = client.get(REGION_URL).content.decode()
    assert "Impresa 0" in html and "All 30 organisations" in html


def test_a_rolled_back_write_leaves_the_page_as_it_was(client, regions):
    before = main_part(client.get(REGION_URL))
    with pytest.raises(RuntimeError), transaction.atomic():
        new_organisation("Never Saved Srl", regions["ITH55"])
        raise RuntimeError("the action failed half-way")
    after = main_part(client.get(REGION_URL))
    assert "Never Saved Srl" not in after
    assert after == before


def test_an_import_shows_on_the_region_search_and_home_pages(client, regions, tmp_path):
    client.get(REGION_URL), client.get("/search/", {"q": "meccanica"}), client.get("/")
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "organisations.csv").write_text(
        "ref,name,kind,city,country,region\n"
        "mecc-bo,Meccanica Felsinea Spa,company,Bologna,IT,ITH55\n", encoding="utf-8")
    report = run_import("registry", [folder], progress=False)
    assert report.committed, report.summary_lines()
    assert "Meccanica Felsinea Spa" in client.get(REGION_URL).content.decode()
    assert "Meccanica Felsinea Spa" in client.get("/search/", {"q": "meccanica"}).content.decode()
    home = client.get("/").content.decode()
    assert re.search(r'class="stat-value">1</span><span class="stat-label">organisations', home)


def test_search_results_follow_edits(client, regions):
    assert "No organisation matches." in client.get("/search/", {"q": "zeta"}).content.decode()
    new_organisation("Zeta Robotics Srl", regions["ITH55"])
    html = client.get("/search/", {"q": "zeta"}).content.decode()
    assert "Zeta Robotics Srl" in html
    # Each query has its own entry: another query is not answered with these results.
    assert "Zeta Robotics Srl" not in client.get("/search/", {"q": "omega"}).content.decode()


def test_visitors_share_the_profile_but_not_their_session_user_or_csrf_token(regions):
    user = get_user_model().objects.create_user("editor-anna", "anna@example.org", "a long passphrase 1")
    signed_in = Client()
    signed_in.force_login(user)
    mine = signed_in.get(REGION_URL)
    anonymous = Client().get(REGION_URL)
    assert mine.status_code == anonymous.status_code == 200
    # The user's page was rendered first; what was cached holds neither the user nor a token.
    key = caching.fragment_key("region-profile", (regions["ITH5"].pk,))
    fragment = cache.get(key)
    assert fragment and "Emilia-Romagna" in fragment
    assert "editor-anna" not in fragment and "csrfmiddlewaretoken" not in fragment
    assert csrf_token(mine) not in fragment
    assert "editor-anna" not in anonymous.content.decode()
    # Each visitor's forms carry their own CSRF token, matching their own cookie.
    assert csrf_token(mine) != csrf_token(anonymous)


def test_each_language_has_its_own_entry(regions):
    english = Client().get(REGION_URL).content.decode()
    italian_client = Client()
    italian_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    italian = italian_client.get(REGION_URL).content.decode()
    assert "No organisation is registered in this region yet." in english
    assert "Nessuna organizzazione è ancora registrata in questa regione." in italian
    assert "No organisation is registered in this region yet." not in italian


def test_the_cache_can_be_switched_off(client, regions, monkeypatch):
    calls = []
    original = region_views.profile_context
    monkeypatch.setattr(region_views, "profile_context", lambda region: calls.append(region) or original(region))
    monkeypatch.setenv("RIS3HUB_PAGE_CACHE", "off")
    client.get(REGION_URL), client.get(REGION_URL)
    assert len(calls) == 2
    monkeypatch.setenv("RIS3HUB_PAGE_CACHE", "on")
    client.get(REGION_URL), client.get(REGION_URL)
    assert len(calls) == 3


def test_a_lost_version_token_is_replaced_by_a_new_one_never_an_old_one(regions):
    version = caching.data_version()
    assert caching.data_version() == version
    cache.delete(caching.VERSION_KEY)  # evicted, or the cache was cleared
    assert caching.data_version() != version


def test_writes_to_quiet_or_foreign_tables_keep_the_version(regions, monkeypatch):
    monkeypatch.setattr(caching, "_served_since_bump", True)  # a write in this transaction bumps at once
    version = caching.data_version()
    get_user_model().objects.create_user("visitor", "v@example.org", "a long passphrase 2")  # auth: not shown
    assert caching.data_version() == version
    new_organisation("Officine Bolognesi Srl", regions["ITH55"])
    assert caching.data_version() != version
