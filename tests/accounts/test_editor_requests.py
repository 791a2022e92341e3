"""'I act for X': a user asks, a coordinator of one of X's networks (or an administrator) approves or refuses."""

import pytest
from django.test import Client

from ris3hub.accounts.models import EditorRequest
from ris3hub.accounts.roles import can_edit_organisation, editable_organisation_ids
from ris3hub.consultation.models import Consultation
from ris3hub.events.permissions import is_organiser

pytestmark = pytest.mark.django_db


def test_ask_then_the_coordinator_approves(world, as_user):
    alice = as_user(world.alice)
    page = alice.get("/accounts/").content.decode()
    assert "My roles" in page and "My consents" in page and "Priorities 2027" in page and "Download my data" in page
    response = alice.post("/accounts/requests/new/", {"organisation": "ciri ict", "message": "I am its director"})
    assert response.status_code == 302
    again = alice.post("/accounts/requests/new/", {"organisation": str(world.lab.pk)})
    assert again.status_code == 400 and "already waiting" in again.content.decode()
    unknown = alice.post("/accounts/requests/new/", {"organisation": "No Such Lab"})
    assert unknown.status_code == 400 and "No organisation is named" in unknown.content.decode()
    request = EditorRequest.objects.get(user=world.alice)

    # the coordinator of the lab's network sees it; a coordinator-less user and the requester cannot decide
    assert "I am its director" in as_user(world.coordinator).get("/accounts/requests/").content.decode()
    assert as_user(world.editor).get("/accounts/requests/").status_code == 403
    assert alice.post(f"/accounts/requests/{request.pk}/decide/", {"decision": "approve"}).status_code == 403
    assert Client().post(f"/accounts/requests/{request.pk}/decide/", {"decision": "approve"}).status_code == 302

    response = as_user(world.coordinator).post(f"/accounts/requests/{request.pk}/decide/",
                                               {"decision": "approve", "note": "Welcome"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == world.coordinator
    assert editable_organisation_ids(world.alice) == {world.lab.pk} and can_edit_organisation(world.alice, world.lab)
    assert "Editor" in alice.get("/accounts/").content.decode() or "editor" in alice.get("/accounts/").content.decode()
    twice = as_user(world.coordinator).post(f"/accounts/requests/{request.pk}/decide/", {"decision": "refuse"})
    assert twice.status_code == 302 and EditorRequest.objects.get(pk=request.pk).status == "approved"


def test_a_coordinator_cannot_decide_for_an_organisation_outside_the_network(world, as_user):
    alice = as_user(world.alice)
    alice.post("/accounts/requests/new/", {"organisation": str(world.stranger.pk)})
    request = EditorRequest.objects.get(user=world.alice)
    assert "Elsewhere Srl" not in as_user(world.coordinator).get("/accounts/requests/").content.decode()
    assert as_user(world.coordinator).post(f"/accounts/requests/{request.pk}/decide/",
                                           {"decision": "approve"}).status_code == 403
    response = as_user(world.admin).post(f"/accounts/requests/{request.pk}/decide/", {"decision": "refuse"})
    assert response.status_code == 302 and EditorRequest.objects.get(pk=request.pk).status == "refused"
    assert editable_organisation_ids(world.alice) == set()


def test_roles_reach_the_apps(world, as_user):
    from ris3hub.accounts.roles import Role, grant

    analyst = world.partner
    grant(analyst, Role.ANALYST)
    slug = world.consultation.slug
    assert as_user(analyst).get(f"/consultations/{slug}/results/").status_code == 200
    assert as_user(analyst).get(f"/consultations/{slug}/edit/").status_code == 403
    assert as_user(world.admin).get(f"/consultations/{slug}/edit/").status_code == 200
    assert as_user(world.alice).get(f"/consultations/{slug}/results/").status_code == 403
    assert Consultation.objects.filter(slug=slug).exists()
    # a coordinator organises the events of their network
    world.future.organising_network = world.network
    world.future.save()
    assert is_organiser(world.coordinator, world.future) and is_organiser(world.admin, world.future)
    assert not is_organiser(world.editor, world.future)


def test_deciders_and_the_requester_are_told_by_email(world, as_user, mailoutbox, django_capture_on_commit_callbacks):
    """The network's coordinator hears of the request; for an organisation in no coordinated network the
    administrators do; the requester hears the decision, with the note. Each once its write is committed."""
    alice = as_user(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        alice.post("/accounts/requests/new/", {"organisation": str(world.lab.pk), "message": "I am its director"})
    asked = mailoutbox[-1]
    assert asked.to == ["coordinator@example.org"] and str(world.lab) in asked.subject
    assert "I am its director" in asked.body and "/accounts/requests/" in asked.body

    request = EditorRequest.objects.get(user=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        as_user(world.coordinator).post(f"/accounts/requests/{request.pk}/decide/",
                                        {"decision": "approve", "note": "Welcome"})
    told = mailoutbox[-1]
    assert told.to == [world.alice.email] and "approved" in told.body and "Welcome" in told.body

    with django_capture_on_commit_callbacks(execute=True):
        alice.post("/accounts/requests/new/", {"organisation": str(world.stranger.pk)})
    assert mailoutbox[-1].to == [world.admin.email]
    assert len(mailoutbox) == 3
