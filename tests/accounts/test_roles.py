"""The roles API: who is an administrator, analyst, editor, coordinator, and who sees contacts."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ris3hub.accounts.models import RoleAssignment
from ris3hub.accounts.roles import (
    Role,
    administrators,
    can_coordinate,
    can_edit_organisation,
    can_see_contacts,
    coordinated_member_ids,
    coordinated_network_ids,
    editable_organisation_ids,
    grant,
    is_administrator,
    is_analyst,
    revoke,
)
from ris3hub.registry.models import Membership, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    network = Organisation.objects.create(name="Technopole Nord", kind="technopole")
    lab = Organisation.objects.create(name="Lab One", kind="laboratory")
    stranger = Organisation.objects.create(name="Elsewhere Srl", kind="company")
    Membership.objects.create(member=lab, network=network, kind="lab_in_technopole")
    return network, lab, stranger


def test_anonymous_and_plain_users_have_no_role(orgs):
    network, lab, _ = orgs
    plain = User.objects.create_user("plain", password="x")
    for user in (AnonymousUser(), plain, None):
        assert not is_administrator(user) and not is_analyst(user)
        assert editable_organisation_ids(user) == set() and coordinated_network_ids(user) == set()
        assert not can_edit_organisation(user, lab) and not can_coordinate(user, network)
        assert not can_see_contacts(user, lab)


def test_staff_superuser_and_role_are_administrators(orgs):
    _, lab, _ = orgs
    staff = User.objects.create_user("staff", is_staff=True)
    root = User.objects.create_superuser("root", password="x")
    authority = User.objects.create_user("authority")
    grant(authority, Role.ADMINISTRATOR)
    for user in (staff, root, authority):
        assert is_administrator(user) and is_analyst(user)
        assert can_edit_organisation(user, lab) and can_see_contacts(user, lab)
    assert set(administrators()) == {staff, root, authority}
    authority.is_active = False
    assert not is_administrator(authority)


def test_analyst_reads_but_does_not_edit(orgs):
    _, lab, _ = orgs
    analyst = User.objects.create_user("analyst")
    grant(analyst, Role.ANALYST)
    assert is_analyst(analyst) and not is_administrator(analyst)
    assert can_see_contacts(analyst, lab) and not can_edit_organisation(analyst, lab)


def test_editor_edits_only_their_organisation(orgs):
    network, lab, stranger = orgs
    editor = User.objects.create_user("editor")
    grant(editor, Role.EDITOR, lab)
    assert editable_organisation_ids(editor) == {lab.pk}
    assert can_edit_organisation(editor, lab) and can_edit_organisation(editor, lab.pk)
    assert not can_edit_organisation(editor, stranger) and not can_edit_organisation(editor, network)
    assert can_see_contacts(editor, lab) and not can_see_contacts(editor, stranger)
    assert not can_coordinate(editor, network)
    revoke(editor, Role.EDITOR, lab)
    assert not can_edit_organisation(editor, lab)


def test_coordinator_runs_their_network_and_sees_its_members(orgs):
    network, lab, stranger = orgs
    coordinator = User.objects.create_user("coordinator")
    grant(coordinator, Role.COORDINATOR, network)
    assert coordinated_network_ids(coordinator) == {network.pk}
    assert coordinated_member_ids(coordinator) == {lab.pk}
    assert can_coordinate(coordinator, network) and not can_coordinate(coordinator, lab)
    assert can_edit_organisation(coordinator, network) and not can_edit_organisation(coordinator, lab)
    assert can_see_contacts(coordinator, lab) and can_see_contacts(coordinator, network)
    assert not can_see_contacts(coordinator, stranger)


def test_grant_is_idempotent_and_checks_the_organisation(orgs):
    network, lab, _ = orgs
    user = User.objects.create_user("u")
    grant(user, Role.EDITOR, lab)
    grant(user, Role.EDITOR, lab)
    grant(user, Role.ANALYST)
    grant(user, Role.ANALYST)
    assert RoleAssignment.objects.filter(user=user).count() == 2
    with pytest.raises(ValidationError, match="needs the organisation"):
        grant(user, Role.EDITOR)
    with pytest.raises(ValidationError, match="whole platform"):
        grant(user, Role.ANALYST, lab)
    with pytest.raises(ValidationError, match="not one of"):
        grant(user, "owner", lab)
    assert revoke(user, Role.COORDINATOR, network) == 0


def test_database_refuses_an_editor_without_organisation():
    user = User.objects.create_user("u")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.EDITOR)
