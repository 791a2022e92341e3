"""English by default, Italian on request: the language switch, translated strings, localised data."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_in_english_by_default(client, web_data):
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Organisations by NUTS-2 region" in html


def test_italian_pages_show_italian_strings(italian_client, web_data):
    pages = {
        reverse("core:home"): ["Organizzazioni per regione NUTS-2",
                               "Cerca organizzazioni, progetti e regioni per nome"],
        reverse("core:about"): ["Fonti dei dati e attribuzione", "© EuroGeographics per i confini amministrativi"],
        reverse("regions:region", args=["ITH5"]): ["Sotto-regioni", "PIL pro capite", "SPA per abitante", "Tipologie"],
        reverse("registry:organisation", args=[web_data.lab.pk]): [
            "Competenze", "Attrezzature e strutture", "laboratorio nel tecnopolo", "accreditamento in corso",
            "condivisibile", "Sta cercando"],
        reverse("registry:network", args=[web_data.platform.pk]): ["Rete di Piattaforma Agroalimentare",
                                                                   "piattaforma tematica"],
        reverse("projects:project", args=["101000001"]): ["Partecipanti", "coordinatore", "Contributo UE"],
        reverse("registry:list"): ["Filtra", "Scarica", "7 risultati", "qualsiasi tipo"],
        reverse("regions:list"): ["Regioni NUTS: paesi"],
        reverse("projects:list"): ["Programma quadro"],
    }
    for url, texts in pages.items():
        html = italian_client.get(url).content.decode()
        assert '<html lang="it">' in html, url
        for text in texts:
            assert text in html, (url, text)


def test_italian_readers_get_the_italian_description_and_labels(client, italian_client, web_data):
    url = reverse("registry:organisation", args=[web_data.university.pk])
    assert "La più antica università d&#x27;Europa." in italian_client.get(url).content.decode()
    assert "The oldest university in Europe." in client.get(url).content.decode()
    assert "Agroalimentare" in italian_client.get(url).content.decode()
    # Without an Italian text, the English one.
    lab = italian_client.get(reverse("registry:organisation", args=[web_data.lab.pk])).content.decode()
    assert "Industrial research on food." in lab


def test_numbers_follow_the_language(italian_client, web_data):
    html = italian_client.get(reverse("projects:project", args=["101000001"])).content.decode()
    assert "€\u00a02.500.000" in html
    assert "2,5 milioni" in html


def test_the_language_switch_sets_italian_and_comes_back(client, web_data):
    page = reverse("regions:region", args=["ITH5"])
    html = client.get(page).content.decode()
    assert 'name="language" value="it"' in html
    response = client.post(reverse("set_language"), {"language": "it", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert "Sotto-regioni" in client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": page})
    assert "Sub-regions" in client.get(page).content.decode()


def test_the_map_hover_texts_are_translated(italian_client, web_data):
    html = italian_client.get(reverse("core:home")).content.decode()
    assert "5 organizzazioni" in html
