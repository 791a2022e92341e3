"""The audit log: every change recorded (who, when, before -> after); the /audit/ page; object history."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from ris3hub.accounts.roles import Role, grant
from ris3hub.audit.models import ImportRun
from ris3hub.audit.registration import NOT_FOLLOWED, followed_models
from ris3hub.core.loading import run_import
from ris3hub.core.locking import LOCK_FIELD
from ris3hub.registry.actions import do_add_equipment, do_create_organisation
from ris3hub.registry.models import Organisation


@pytest.fixture
def world(db):
    User = get_user_model()
    lab = do_create_organisation("Lab One", "laboratory", city="Bologna")
    editor = User.objects.create_user("editor", "editor@example.org", "pw-long-enough-1")
    visitor = User.objects.create_user("visitor", "visitor@example.org", "pw-long-enough-1")
    admin = User.objects.create_user("manager", "manager@example.org", "pw-long-enough-1")
    grant(editor, Role.EDITOR, lab)
    grant(admin, Role.ADMINISTRATOR)
    return {"lab": lab, "editor": editor, "visitor": visitor, "admin": admin}


def _edit_city(client, lab, city):
    form = client.get(f"/organisations/{lab.pk}/edit/").context["form"]
    data = {n: ("" if form[n].value() is None else form[n].value()) for n in form.fields}
    data["city"] = city
    return client.post(f"/organisations/{lab.pk}/edit/", data)


def test_every_model_people_change_is_followed():
    labels = {m._meta.label_lower for m in followed_models()}
    for label in ("registry.organisation", "registry.equipment", "registry.service", "registry.competence",
                  "registry.membership", "accounts.roleassignment", "auth.user", "events.event",
                  "events.registration", "consultation.consultation", "consultation.response",
                  "practices.goodpractice", "practices.workshop", "monitoring.reportsubmission",
                  "monitoring.reportinground", "monitoring.indicator", "strategies.strategy", "audit.importrun"):
        assert label in labels, label
    assert not labels & set(NOT_FOLLOWED)


def test_a_page_edit_is_recorded_with_who_and_before_after(world, client):
    lab = world["lab"]
    client.force_login(world["editor"])
    assert _edit_city(client, lab, "Modena").status_code == 302
    entry = LogEntry.objects.get_for_object(lab).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == world["editor"]
    assert entry.changes_dict["city"] == ["Bologna", "Modena"]
    assert "version" not in entry.changes_dict and "updated" not in entry.changes_dict
    assert entry.remote_addr == "127.0.0.1"


def test_a_refused_stale_save_records_nothing(world, client):
    lab = world["lab"]
    client.force_login(world["editor"])
    form = client.get(f"/organisations/{lab.pk}/edit/").context["form"]
    stale = {n: ("" if form[n].value() is None else form[n].value()) for n in form.fields}
    _edit_city(client, lab, "Modena")
    before = LogEntry.objects.count()
    stale["city"] = "Parma"
    assert client.post(f"/organisations/{lab.pk}/edit/", stale).status_code == 200
    assert LogEntry.objects.count() == before


def test_audit_page_is_for_administrators_only(world, client):
    assert client.get("/audit/").status_code == 302
    client.force_login(world["visitor"])
    assert client.get("/audit/").status_code == 403
    client.force_login(world["editor"])
    assert client.get("/audit/").status_code == 403
    client.force_login(world["admin"])
    assert client.get("/audit/").status_code == 200


def test_audit_page_filters_by_model_object_user_and_date(world, client):
    lab = world["lab"]
    client.force_login(world["editor"])
    _edit_city(client, lab, "Modena")
    do_add_equipment(lab, "Wind tunnel")  # an action without a request: the system
    client.force_login(world["admin"])
    page = client.get("/audit/", {"model": "registry.organisation", "object": lab.pk, "user": "editor"})
    rows = page.context["rows"]
    assert len(rows) == 1 and rows[0]["actor"] == "editor"
    html = page.content.decode()
    assert "Bologna" in html and "Modena" in html
    assert len(client.get("/audit/", {"model": "registry.equipment"}).context["rows"]) == 1
    assert len(client.get("/audit/", {"user": "system", "model": "registry.equipment"}).context["rows"]) == 1
    assert client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).context["rows"] == []
    bad = client.get("/audit/", {"date_from": "2020-01-02", "date_to": "2020-01-01"})
    assert bad.status_code == 200 and "before the start date" in bad.content.decode()


def test_organisation_history_for_its_editors_includes_its_equipment(world, client):
    lab = world["lab"]
    equipment = do_add_equipment(lab, "Wind tunnel")
    equipment.delete()
    url = f"/audit/registry.organisation/{lab.pk}/"
    client.force_login(world["visitor"])
    assert client.get(url).status_code == 403
    client.force_login(world["editor"])
    page = client.get(url)
    assert page.status_code == 200
    reprs = [(row["entry"].content_type.model, row["entry"].action) for row in page.context["rows"]]
    assert ("equipment", LogEntry.Action.CREATE) in reprs and ("equipment", LogEntry.Action.DELETE) in reprs
    assert ("organisation", LogEntry.Action.CREATE) in reprs
    assert client.get(f"/audit/registry.equipment/{equipment.pk}/").status_code == 403  # administrators only
    client.force_login(world["admin"])
    assert client.get(f"/audit/registry.equipment/{equipment.pk}/").status_code == 200
    assert client.get("/audit/nosuch.model/1/").status_code == 404


def test_an_import_run_is_one_audit_entry_with_its_counts(world, tmp_path):
    folder = tmp_path / "registry"
    folder.mkdir()
    (folder / "organisations.csv").write_text(
        "ref,name,kind,city,country\n"
        "lab-two,Lab Two,laboratory,Ferrara,IT\n", encoding="utf-8")
    entries_before = LogEntry.objects.exclude(
        content_type=ContentType.objects.get_for_model(ImportRun)).count()
    report = run_import("registry", [folder], progress=False)
    assert report.committed, report.summary_lines()
    run = ImportRun.objects.get()
    assert run.kind == "registry" and run.committed and run.counts["registry.Organisation"]["created"] == 1
    assert run.run_by.startswith("command line")
    # No entry per imported row; one entry for the run itself.
    assert LogEntry.objects.exclude(content_type=ContentType.objects.get_for_model(ImportRun)).count() \
        == entries_before
    entry = LogEntry.objects.get_for_object(run).get()
    assert "registry.Organisation" in json.dumps(entry.changes_dict)
    assert Organisation.objects.filter(name="Lab Two").exists()
    run_import("registry", [folder], dry_run=True, progress=False)
    assert ImportRun.objects.count() == 1  # a dry run writes nothing, not even its record


def test_admin_change_page_links_the_audit_history(world, client):
    lab = world["lab"]
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "pw-long-enough-1")
    client.force_login(superuser)
    page = client.get(f"/admin/registry/organisation/{lab.pk}/change/").content.decode()
    assert f'href="/audit/registry.organisation/{lab.pk}/"' in page
    assert LOCK_FIELD in page
