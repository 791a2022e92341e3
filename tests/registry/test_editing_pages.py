"""The organisation editor pages: who may edit, the profile and its equipment/services/competences, the lock."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model

from ris3hub.accounts.roles import Role, grant
from ris3hub.core.locking import LOCK_FIELD
from ris3hub.registry.actions import do_add_equipment, do_add_member, do_create_organisation
from ris3hub.registry.models import Competence, Equipment, Organisation, Service

PROFILE = {"name": "Lab One", "short_name": "L1", "kind": "laboratory", "is_sme": "unknown", "website": "",
           "street": "", "postcode": "", "city": "Bologna", "country": "IT", "description": "", "description_it": "",
           "trl": "", "looking_for": "", "contact_person": "Anna Bianchi", "contact_email": "anna@lab.example",
           "contact_phone": "+39 051 000000"}


@pytest.fixture
def world(db):
    User = get_user_model()
    lab = do_create_organisation("Lab One", "laboratory", city="Bologna", country="IT",
                                 contact_person="Anna Bianchi", contact_email="anna@lab.example")
    other = do_create_organisation("Other Lab", "laboratory", city="Parma")
    technopole = do_create_organisation("Tecnopolo", "technopole", city="Bologna")
    do_add_member(technopole, lab, "lab_in_technopole")
    users = {name: User.objects.create_user(name, f"{name}@example.org", "pw-long-enough-1")
             for name in ("editor", "coordinator", "analyst", "visitor", "other_editor")}
    users["admin"] = User.objects.create_superuser("admin", "admin@example.org", "pw-long-enough-1")
    grant(users["editor"], Role.EDITOR, lab)
    grant(users["other_editor"], Role.EDITOR, other)
    grant(users["coordinator"], Role.COORDINATOR, technopole)
    grant(users["analyst"], Role.ANALYST)
    return {"lab": lab, "other": other, "technopole": technopole, **users}


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _form_data(response) -> dict:
    """What the browser would post back: every input of the page's form as rendered."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


@pytest.mark.parametrize("who, status", [
    (None, 302), ("visitor", 403), ("other_editor", 403), ("analyst", 403), ("coordinator", 403),
    ("editor", 200), ("admin", 200),
])
def test_who_may_open_the_edit_pages(world, client, who, status):
    lab = world["lab"]
    equipment = do_add_equipment(lab, "Wind tunnel")
    _client(client, world.get(who))
    urls = [f"/organisations/{lab.pk}/edit/", f"/organisations/{lab.pk}/equipment/add/",
            f"/organisations/{lab.pk}/equipment/{equipment.pk}/edit/",
            f"/organisations/{lab.pk}/equipment/{equipment.pk}/delete/", f"/organisations/{lab.pk}/services/add/",
            f"/organisations/{lab.pk}/competences/add/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith("/accounts/login/?next=")
    posted = client.post(f"/organisations/{lab.pk}/edit/", {**PROFILE, "city": "Hacked", LOCK_FIELD: 1})
    assert posted.status_code in (status, 302)
    if status != 200:
        assert Organisation.objects.get(pk=lab.pk).city == "Bologna"


def test_a_coordinator_edits_the_network_it_coordinates(world, client):
    technopole = world["technopole"]
    _client(client, world["coordinator"])
    assert client.get(f"/organisations/{technopole.pk}/edit/").status_code == 200


def test_an_editor_edits_the_profile(world, client):
    lab = world["lab"]
    _client(client, world["editor"])
    data = _form_data(client.get(f"/organisations/{lab.pk}/edit/"))
    data.update(description="Fluid dynamics <script>alert(1)</script>", trl="6", contact_phone="+39 051 123456")
    response = client.post(f"/organisations/{lab.pk}/edit/", data)
    assert response.status_code == 302 and response["Location"] == lab.get_absolute_url()
    lab.refresh_from_db()
    assert lab.trl == 6 and lab.contact_phone == "+39 051 123456" and lab.version == 2
    page = client.get(lab.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "was saved" in page


def test_bad_profile_values_are_refused_with_their_field(world, client):
    lab = world["lab"]
    _client(client, world["editor"])
    data = _form_data(client.get(f"/organisations/{lab.pk}/edit/"))
    data.update(name="  ", country="Italy", contact_email="not-an-email", trl="12")
    response = client.post(f"/organisations/{lab.pk}/edit/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "country", "contact_email", "trl"}
    assert Organisation.objects.get(pk=lab.pk).version == 1


def test_two_tabs_the_second_save_is_refused(world, client):
    lab = world["lab"]
    _client(client, world["editor"])
    first = _form_data(client.get(f"/organisations/{lab.pk}/edit/"))
    second = _form_data(client.get(f"/organisations/{lab.pk}/edit/"))
    first["looking_for"] = "industrial partners"
    assert client.post(f"/organisations/{lab.pk}/edit/", first).status_code == 302
    second["looking_for"] = "venture capital"
    response = client.post(f"/organisations/{lab.pk}/edit/", second)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"editor changed this record at \d\d:\d\d while you were editing; your changes were not saved",
                     page)
    assert "industrial partners" in page and "venture capital" in page  # what differs: stored and yours
    assert Organisation.objects.get(pk=lab.pk).looking_for == "industrial partners"


def test_equipment_services_competences_add_edit_delete(world, client):
    lab = world["lab"]
    _client(client, world["editor"])
    response = client.post(f"/organisations/{lab.pk}/equipment/add/", {
        "name": "Wind tunnel", "description": "", "location": "Hall A", "access": "rental", "conditions": "",
        "booking_contact": "", LOCK_FIELD: ""})
    assert response.status_code == 302 and response["Location"].endswith("#equipment")
    equipment = Equipment.objects.get(organisation=lab, name="Wind tunnel")
    # The same name twice is refused with a clear message.
    response = client.post(f"/organisations/{lab.pk}/equipment/add/", {
        "name": "Wind tunnel", "access": "rental", LOCK_FIELD: ""})
    assert "already lists the equipment" in response.content.decode()

    url = f"/organisations/{lab.pk}/equipment/{equipment.pk}/edit/"
    data = _form_data(client.get(url))
    data["location"] = "Hall B"
    assert client.post(url, data).status_code == 302
    equipment.refresh_from_db()
    assert equipment.location == "Hall B" and equipment.version == 2

    assert client.post(f"/organisations/{lab.pk}/services/add/", {
        "category": "testing", "name": "Material testing", "description": "", LOCK_FIELD: ""}).status_code == 302
    assert client.post(f"/organisations/{lab.pk}/competences/add/", {
        "name": "CFD", "description": "", LOCK_FIELD: ""}).status_code == 302
    assert Service.objects.filter(organisation=lab).count() == 1
    assert Competence.objects.filter(organisation=lab).count() == 1

    delete_url = f"/organisations/{lab.pk}/equipment/{equipment.pk}/delete/"
    stale = _form_data(client.get(delete_url))
    stale[LOCK_FIELD] = 1  # loaded before the edit above
    assert client.post(delete_url, stale).status_code == 200
    assert Equipment.objects.filter(pk=equipment.pk).exists()
    assert client.post(delete_url, _form_data(client.get(delete_url))).status_code == 302
    assert not Equipment.objects.filter(pk=equipment.pk).exists()


def test_an_editor_cannot_reach_another_organisations_records(world, client):
    other_equipment = do_add_equipment(world["other"], "Press")
    _client(client, world["editor"])
    lab = world["lab"]
    assert client.get(f"/organisations/{lab.pk}/equipment/{other_equipment.pk}/edit/").status_code == 404
    assert client.get(f"/organisations/{lab.pk}/nonsense/add/").status_code == 404


@pytest.mark.parametrize("who, sees", [
    (None, False), ("visitor", False), ("other_editor", False), ("editor", True), ("coordinator", True),
    ("analyst", True), ("admin", True),
])
def test_contacts_and_edit_link_on_the_organisation_page_by_role(world, client, who, sees):
    lab = world["lab"]
    _client(client, world.get(who))
    page = client.get(lab.get_absolute_url()).content.decode()
    assert ("anna@lab.example" in page) is sees
    assert ("Anna Bianchi" in page) is sees
    may_edit = who in ("editor", "admin")
    assert (f'href="/organisations/{lab.pk}/edit/"' in page) is may_edit
    assert (f'href="/audit/registry.organisation/{lab.pk}/"' in page) is may_edit


@pytest.mark.parametrize("who, sees", [(None, False), ("visitor", False), ("editor", True), ("analyst", True)])
def test_the_api_applies_the_contact_rule(world, client, who, sees):
    lab = world["lab"]
    _client(client, world.get(who))
    body = client.get(f"/api/organisations/{lab.pk}").json()
    if sees:
        assert body["contact"] == {"person": "Anna Bianchi", "email": "anna@lab.example", "phone": ""}
    else:
        assert body["contact"] is None
    assert "anna@lab.example" not in str(client.get("/api/organisations/").json())


@pytest.mark.parametrize("who", [None, "analyst", "editor"])
def test_organisation_exports_carry_no_contact_details(world, client, who):
    _client(client, world.get(who))
    for fmt in ("csv", "xlsx"):
        response = client.get("/organisations/", {"export": fmt})
        assert response.status_code == 200
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "xlsx":
            from openpyxl import load_workbook

            sheets = load_workbook(io.BytesIO(raw), read_only=True).worksheets
            body = " ".join(str(cell) for sheet in sheets for row in sheet.iter_rows(values_only=True) for cell in row)
        else:
            body = raw.decode("utf-8-sig")
        assert "anna@lab.example" not in body and "Anna Bianchi" not in body
