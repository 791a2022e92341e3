"""The admin: every model registered, its list, search, filters, forms and autocompletes answer."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

APPS = ("regions", "registry", "projects", "taxonomy", "strategies", "indicators")


def test_every_model_is_registered_with_list_display_and_search():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model
            model_admin = admin.site._registry[model]
            assert model_admin.list_display != ("__str__",), model
            assert model_admin.search_fields, model


def test_every_admin_page_answers(admin_client, web_data):
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            info = (model._meta.app_label, model._meta.model_name)
            changelist = reverse("admin:%s_%s_changelist" % info)
            assert admin_client.get(changelist).status_code == 200, changelist
            assert admin_client.get(changelist, {"q": "bologna"}).status_code == 200, changelist
            assert admin_client.get(reverse("admin:%s_%s_add" % info)).status_code == 200, info
            obj = model.objects.first()
            if obj is not None:
                assert admin_client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200


def test_organisation_admin_filters_and_autocomplete(admin_client, web_data):
    changelist = reverse("admin:registry_organisation_changelist")
    response = admin_client.get(changelist, {"kind__exact": "laboratory"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [web_data.lab]
    response = admin_client.get(reverse("admin:autocomplete"), {
        "app_label": "registry", "model_name": "membership", "field_name": "network", "term": "tecno"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Tecnopolo di Bologna"]


def test_the_admin_needs_a_login(client, db):
    response = client.get(reverse("admin:registry_organisation_changelist"))
    assert response.status_code == 302
