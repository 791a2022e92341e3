"""Optimistic locking (ris3hub.core.locking): versions, the form and admin checks, bulk imports."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.forms import modelform_factory

from ris3hub.core.loading import BulkUpserter, ImportContext, ImportReport
from ris3hub.core.locking import (
    LOCK_FIELD,
    LockedModelForm,
    StaleObjectError,
    delete_locked,
    save_locked,
)
from ris3hub.registry.actions import do_add_equipment, do_create_organisation
from ris3hub.registry.models import Equipment, Organisation

OrganisationNameForm = modelform_factory(Organisation, form=LockedModelForm, fields=["name", "city"])


@pytest.fixture
def lab(db):
    return do_create_organisation("Lab One", "laboratory", city="Bologna")


def _post(form_class, instance, **changes):
    """The data a browser posts for a form rendered from ``instance`` with ``changes`` typed in."""
    form = form_class(instance=instance)
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {k: ("" if v is None else v) for k, v in data.items()}


def test_every_save_raises_the_version(lab):
    assert lab.version == 1
    lab.city = "Modena"
    lab.save()
    assert lab.version == 2
    lab.save(update_fields=["city"])
    assert lab.version == 3 and Organisation.objects.get(pk=lab.pk).version == 3


def test_a_save_from_an_old_version_is_refused_and_writes_nothing(lab):
    first, second = Organisation.objects.get(pk=lab.pk), Organisation.objects.get(pk=lab.pk)
    first.city = "Modena"
    first.save(expected_version=1)
    second.city = "Parma"
    with pytest.raises(StaleObjectError):
        second.save(expected_version=1)
    stored = Organisation.objects.get(pk=lab.pk)
    assert stored.city == "Modena" and stored.version == 2


def test_two_editors_load_the_same_form_the_second_save_is_refused(lab):
    """Both load the edit form at version 1; the first saves, the second is refused and overwrites nothing."""
    alice = _post(OrganisationNameForm, lab, city="Modena")
    bob = _post(OrganisationNameForm, lab, city="Parma", name="Lab One (renamed)")
    assert alice[LOCK_FIELD] == bob[LOCK_FIELD] == 1

    form = OrganisationNameForm(alice, instance=Organisation.objects.get(pk=lab.pk))
    assert form.is_valid() and save_locked(form)

    form = OrganisationNameForm(bob, instance=Organisation.objects.get(pk=lab.pk))
    assert not form.is_valid() and form.is_stale
    message = form.non_field_errors()[0]
    assert "changed this record at" in message and "your changes were not saved: reload to see theirs" in message
    assert ("City", "Modena", "Parma") in form.stale_changes
    assert ("Name", "Lab One", "Lab One (renamed)") in form.stale_changes
    stored = Organisation.objects.get(pk=lab.pk)
    assert (stored.name, stored.city, stored.version) == ("Lab One", "Modena", 2)


def test_the_message_names_who_changed_the_record(lab):
    editor = get_user_model().objects.create_user("maria", first_name="Maria", last_name="Rossi")
    stale = _post(OrganisationNameForm, lab, city="Parma")
    from auditlog.context import set_actor

    with set_actor(editor):
        form = OrganisationNameForm(_post(OrganisationNameForm, lab, city="Modena"), instance=lab)
        assert form.is_valid() and save_locked(form)
    form = OrganisationNameForm(stale, instance=Organisation.objects.get(pk=lab.pk))
    assert not form.is_valid()
    assert form.non_field_errors()[0].startswith("Maria Rossi changed this record at ")


def test_a_change_between_validation_and_save_is_still_refused(lab):
    form = OrganisationNameForm(_post(OrganisationNameForm, lab, city="Parma"), instance=lab)
    assert form.is_valid()
    Organisation.objects.get(pk=lab.pk).save()  # someone saves after the check, before the write
    assert not save_locked(form)
    assert form.is_stale
    assert Organisation.objects.get(pk=lab.pk).city == "Bologna"


def test_a_form_without_the_version_is_refused(lab):
    data = _post(OrganisationNameForm, lab, city="Parma")
    del data[LOCK_FIELD]
    form = OrganisationNameForm(data, instance=lab)
    assert not form.is_valid() and LOCK_FIELD in form.errors


def test_a_new_record_needs_no_version(db):
    form = OrganisationNameForm({"name": "New lab", "city": "Ferrara", LOCK_FIELD: ""})
    assert form.is_valid(), form.errors
    assert save_locked(form) and form.instance.version == 1


def test_deleting_a_record_changed_meanwhile_is_refused(lab):
    equipment = do_add_equipment(lab, "Wind tunnel")
    DeleteForm = modelform_factory(Equipment, form=LockedModelForm, fields=[])
    data = _post(DeleteForm, equipment)
    changed = Equipment.objects.get(pk=equipment.pk)
    changed.location = "Hall B"
    changed.save()
    form = DeleteForm(data, instance=Equipment.objects.get(pk=equipment.pk))
    assert not form.is_valid()
    form = DeleteForm(_post(DeleteForm, changed), instance=changed)
    assert form.is_valid() and delete_locked(form)
    assert not Equipment.objects.filter(pk=equipment.pk).exists()


def test_bulk_import_raises_the_version_of_changed_rows_only(lab):
    other = do_create_organisation("Lab Two", "laboratory", city="Rimini")
    ctx = ImportContext(ImportReport(kind="test", files=[]), progress=False)
    upserter = BulkUpserter(ctx, Organisation, ("name",))
    upserter.put(("Lab One",), {"city": "Cesena"})
    upserter.put(("Lab Two",), {"city": "Rimini"})
    upserter.put(("Lab Three",), {"city": "Forlì"})
    upserter.flush()
    versions = dict(Organisation.objects.values_list("name", "version"))
    assert versions == {"Lab One": 2, "Lab Two": 1, "Lab Three": 1}
    # An editor who opened Lab One before the import is refused.
    form = OrganisationNameForm({"name": "Lab One", "city": "Bologna", LOCK_FIELD: 1},
                                instance=Organisation.objects.get(pk=lab.pk))
    assert not form.is_valid()
    assert other.version == 1


def test_admin_change_form_refuses_a_stale_save(lab, client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", "pw-boss-12345")
    client.force_login(admin)
    url = f"/admin/registry/organisation/{lab.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="{LOCK_FIELD}" value="1"' in page.content.decode()
    form = page.context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    data = {k: v for k, v in data.items() if not isinstance(v, list)}
    data["city"] = "Modena"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organisation.objects.get(pk=lab.pk).city == "Modena"
    data["city"] = "Parma"  # the same (now old) page saved a second time
    response = client.post(url, data)
    assert response.status_code == 200
    assert "changed this record at" in response.content.decode()
    assert Organisation.objects.get(pk=lab.pk).city == "Modena"
