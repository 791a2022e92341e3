"""List pages: filters, sorting, pagination and CSV/XLSX export of the filtered rows."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ris3hub.registry.models import Organisation

pytestmark = pytest.mark.django_db


def rows(response):
    return [row.record for row in response.context["table"].paginated_rows]


def names(response):
    return [r.name for r in rows(response)]


def codes(response):
    return [r.code for r in rows(response)]


def test_organisation_list_filters(client, web_data):
    url = reverse("registry:list")
    assert client.get(url).context["total"] == 7
    assert names(client.get(url, {"q": "bologna"})) == [
        "Alma Mater Studiorum - Università di Bologna", "CIRI Agroalimentare", "Tecnopolo di Bologna"]
    assert names(client.get(url, {"kind": "laboratory"})) == ["CIRI Agroalimentare"]
    assert names(client.get(url, {"country": "de"})) == ["Fraunhofer Institut Berlin"]
    assert names(client.get(url, {"is_sme": "true"})) == ["Motori Modenesi Srl"]
    assert names(client.get(url, {"q": "999984059"})) == ["Fraunhofer Institut Berlin"]  # a PIC
    # A region includes its sub-regions.
    assert client.get(url, {"region": "ITH5"}).context["total"] == 5
    assert names(client.get(url, {"region": "ith54"})) == ["Motori Modenesi Srl"]
    assert client.get(url, {"region": "IT"}).context["total"] == 6


def test_organisation_list_rejects_a_bad_filter_value_without_failing(client, web_data):
    response = client.get(reverse("registry:list"), {"kind": "spaceship"})
    assert response.status_code == 200
    assert "spaceship" in response.content.decode()  # the form says what is wrong


def test_organisation_list_sorts_by_column(client, web_data):
    url = reverse("registry:list")
    assert names(client.get(url, {"sort": "-name"}))[0] == "Tecnopolo di Bologna"
    by_projects = rows(client.get(url, {"sort": "-project_count"}))
    assert by_projects[0].project_count == 1
    assert by_projects[-1].project_count == 0
    assert names(client.get(url, {"sort": "city", "country": "IT", "kind": "university"})) == [
        "Alma Mater Studiorum - Università di Bologna", "Politecnico di Milano"]


def test_organisation_list_pages(client, web_data):
    Organisation.objects.bulk_create(Organisation(name=f"Azienda {i:02d}", normalised_name=f"azienda {i:02d}",
                                                  country="IT") for i in range(30))
    url = reverse("registry:list")
    first = client.get(url)
    assert len(rows(first)) == 25
    assert first.context["total"] == 37
    html = first.content.decode()
    assert "?page=2" in html and 'rel="next"' in html
    second = client.get(url, {"page": 2})
    assert len(rows(second)) == 12
    assert set(names(first)).isdisjoint(names(second))
    # Filters and sorting survive paging.
    filtered = client.get(url, {"q": "azienda", "sort": "-name", "page": 2})
    assert names(filtered) == ["Azienda 04", "Azienda 03", "Azienda 02", "Azienda 01", "Azienda 00"]
    # A page past the end shows the last page.
    assert names(client.get(url, {"page": 99})) == names(second)


def test_organisation_list_exports_the_filtered_rows(client, web_data):
    url = reverse("registry:list")
    html = client.get(url, {"country": "IT"}).content.decode()
    assert "export=csv" in html and "export=xlsx" in html
    response = client.get(url, {"country": "IT", "kind": "university", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["name"] for r in table) == ["Alma Mater Studiorum - Università di Bologna",
                                               "Politecnico di Milano"]
    response = client.get(url, {"region": "ITH5", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert sheet.max_row == 1 + 5


def test_export_of_an_unknown_format_is_refused(client, web_data):
    assert client.get(reverse("registry:list"), {"export": "pdf"}).status_code == 400
    assert client.get(reverse("registry:list"), {"export": "csv", "kind": "spaceship"}).status_code == 400


def test_region_list(client, web_data):
    url = reverse("regions:list")
    response = client.get(url)
    assert response.context["total"] == 12  # the 2021 regions only, not the 2016 Bologna
    assert codes(client.get(url, {"country": "IT", "level": "2"})) == ["ITC4", "ITH5"]
    assert codes(client.get(url, {"q": "lomb"})) == ["ITC4"]
    assert codes(client.get(url, {"q": "ith5"})) == ["ITH5", "ITH54", "ITH55"]
    assert codes(client.get(url, {"version": "2016"})) == ["ITH55"]
    assert codes(client.get(url, {"level": "3", "sort": "-code"})) == ["ITH55", "ITH54", "ITC4C", "DE300"]
    counts = {r.code: r.organisation_count for r in rows(client.get(url, {"country": "IT", "level": "2"}))}
    assert counts == {"ITC4": 1, "ITH5": 5}
    response = client.get(url, {"country": "IT", "level": "3", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [r["code"] for r in csv.DictReader(io.StringIO(text))] == ["ITC4C", "ITH54", "ITH55"]


def test_project_list(client, web_data):
    url = reverse("projects:list")
    assert [p.number for p in rows(client.get(url))] == ["101000001", "600001"]  # the latest first
    assert [p.number for p in rows(client.get(url, {"framework": "FP7"}))] == ["600001"]
    assert [p.number for p in rows(client.get(url, {"q": "safer"}))] == ["101000001"]
    assert [p.number for p in rows(client.get(url, {"region": "DE"}))] == ["101000001"]
    assert [p.number for p in rows(client.get(url, {"region": "ITH5"}))] == ["101000001", "600001"]
    assert [p.number for p in rows(client.get(url, {"organisation": web_data.milan.pk}))] == ["600001"]
    assert [p.number for p in rows(client.get(url, {"thematic_priority": "food"}))] == ["101000001"]
    assert [p.number for p in rows(client.get(url, {"sort": "eu_contribution"}))] == ["600001", "101000001"]
    html = client.get(url).content.decode()
    assert "€\u00a02,500,000" in html
    response = client.get(url, {"region": "ITC4", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [c.value for c in sheet[2]][:3] == ["600001", "FP7", "ENGINES"]


def test_the_programme_filter_offers_each_framework_once(client, web_data):
    from ris3hub.projects.models import Project

    Project.objects.create(number="101000002", framework="H2020", title="Another one")
    form = client.get(reverse("projects:list")).context["filter"].form
    assert [value for value, _label in form.fields["framework"].choices] == ["", "FP7", "H2020"]
