"""A person's data: the export, deleting the account (and its refusal for the last administrator), the purge."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from ris3hub.accounts.models import EditorRequest, RoleAssignment
from ris3hub.accounts.privacy import DELETED_NAME, AccountDeletionRefused, do_delete_account, purge
from ris3hub.accounts.roles import Role, grant, revoke
from ris3hub.cli import main
from ris3hub.consultation.models import Response
from ris3hub.events.models import Meeting, Registration
from ris3hub.monitoring.reporting import do_open_round, do_save_values

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-42"


def test_download_my_data_holds_everything_tied_to_me(world, as_user):
    grant(world.alice, Role.EDITOR, world.lab)
    EditorRequest.objects.create(user=world.alice, organisation=world.stranger, message="I run it")
    round = do_open_round("Annual report", world.network, world.coordinator, "2025",
                          [{"name": "staff", "label": "Staff", "type": "int"}], timezone.localdate() + timedelta(days=9))
    do_save_values(round.submissions.get(organisation=world.lab), {"staff": 4}, world.alice)
    response = as_user(world.alice).get("/accounts/my-data.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="ris3hub-my-data-')
    data = json.loads(response.content)
    assert data["account"]["username"] == "alice" and data["account"]["email"] == "alice@example.org"
    assert "password" not in json.dumps(data["account"])
    assert data["roles"] == [{"role": "editor", "organisation": "CIRI ICT", "organisation_id": world.lab.pk,
                              "since": data["roles"][0]["since"]}]
    assert data["editor_requests"][0]["message"] == "I run it"
    consultation = data["consents"]["consultation_responses"][0]
    assert consultation["consultation"] == "Priorities 2027" and consultation["consent_text"]
    assert consultation["answers"][0]["text"] == "Food safety labs"
    registrations = data["consents"]["event_registrations"]
    assert {r["event"] for r in registrations} == {"Event past-day", "Event future-day"}
    assert all(r["consent_terms"] and r["consent_contact"] for r in registrations)
    assert {m["with"][0] for m in data["events"]["meetings"]} == {"Partner Spa"}
    assert data["events"]["meeting_requests"][0]["message"] == "Shall we talk about sensors?"
    assert any(key.startswith("monitoring.submissionversion") for key in data["records"])
    assert Client().get("/accounts/my-data.json")["Location"].startswith("/accounts/login/")


def test_delete_my_account_anonymises_and_cancels(world, as_user):
    client = as_user(world.alice)
    wrong = client.post("/accounts/delete/", {"password": "not-mine"})
    assert wrong.status_code == 400 and "not your password" in wrong.content.decode()
    grant(world.alice, Role.EDITOR, world.lab)
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    alice = get_user_model().objects.get(pk=world.alice.pk)
    assert alice.username == f"deleted-{alice.pk}" and not alice.is_active and not alice.has_usable_password()
    assert alice.email == "" and alice.first_name == "" and alice.last_name == ""
    assert not RoleAssignment.objects.filter(user=alice).exists()
    assert not get_user_model().objects.filter(username="alice").exists()
    # the consultation answer stays, anonymous
    response = Response.objects.get(pk=world.response.pk)
    assert response.user_id is None and response.answers.get().text == "Food safety labs"
    # past event: kept without the person; future event: cancelled with its meeting
    past = Registration.objects.get(pk=world.registrations["past-day"][0].pk)
    assert past.person_name == DELETED_NAME and past.email == "" and past.bio == "" and not past.consent_contact
    assert past.requests_sent.get().message == "" and not past.entries.exists()
    assert not Registration.objects.filter(pk=world.registrations["future-day"][0].pk).exists()
    assert not Meeting.objects.filter(event=world.future).exists()
    assert Meeting.objects.filter(event=world.past).count() == 1
    # the audit log keeps that records changed, not the person's e-mail, address or former values
    from auditlog.models import LogEntry

    entries = LogEntry.objects.get_for_object(alice) | LogEntry.objects.get_for_object(past)
    assert entries.exists()
    assert all(not entry.changes and entry.object_repr == DELETED_NAME for entry in entries)
    assert not LogEntry.objects.filter(actor=alice).exclude(actor_email=None).exists()
    leaks = [(entry.content_type.model, entry.object_repr, entry.changes) for entry in LogEntry.objects.all()
             if "alice@" in str(entry.changes)]
    assert not leaks
    # signed out, and the old password no longer works
    assert client.get("/accounts/")["Location"].startswith("/accounts/login/")
    assert not Client().login(username="alice", password=PASSWORD)


def test_the_last_administrator_cannot_delete_their_account(world, as_user):
    page = as_user(world.admin).get("/accounts/delete/")
    assert "last administrator" in page.content.decode()
    refused = as_user(world.admin).post("/accounts/delete/", {"password": PASSWORD})
    assert refused.status_code == 400 and get_user_model().objects.get(pk=world.admin.pk).is_active
    with pytest.raises(AccountDeletionRefused, match="last administrator"):
        do_delete_account(world.admin)
    grant(world.coordinator, Role.ADMINISTRATOR)
    do_delete_account(world.admin)
    revoke(world.coordinator, Role.ADMINISTRATOR)
    assert not get_user_model().objects.get(pk=world.admin.pk).is_active


def test_purge_past_retention(world, capsys, settings):
    future = timezone.now() + timedelta(days=380)
    dry = purge(now=future, dry_run=True)
    assert len(dry.registrations) == 2  # both people of the past event (the future one is 30 days on)
    assert Registration.objects.filter(person_name=DELETED_NAME).count() == 0
    # the consultation never closed: its responses stay linked
    assert dry.responses == []
    # nobody signed in: every non-administrator account is older than three years three years on
    later = timezone.now() + timedelta(days=1200)
    assert {line.split(" ")[0] for line in purge(now=later, dry_run=True).accounts} == \
        {"coordinator", "editor", "alice", "partner"}

    done = purge(now=future)
    assert len(done.registrations) == 2 and Registration.objects.filter(person_name=DELETED_NAME).count() == 2
    assert purge(now=future).registrations == []  # nothing twice
    world.consultation.closes = timezone.now() - timedelta(days=1)
    world.consultation.save()
    assert len(purge(now=timezone.now() + timedelta(days=731)).responses) == 1
    assert Response.objects.get(pk=world.response.pk).user_id is None


def test_purge_command(world, capsys, monkeypatch):
    assert main(["privacy", "purge", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would anonymise event registrations: 0" in out and "would delete inactive accounts: 0" in out
    monkeypatch.setenv("RIS3HUB_RETENTION_EVENT_DAYS", "10")
    assert main(["privacy", "purge"]) == 0
    out = capsys.readouterr().out
    assert "anonymise event registrations: 2" in out and "Event past-day: registration #" in out
    monkeypatch.setenv("RIS3HUB_RETENTION_EVENT_DAYS", "ten")
    assert main(["privacy", "purge"]) == 1
    assert "RIS3HUB_RETENTION_EVENT_DAYS='ten'" in capsys.readouterr().err


def test_roles_commands(world, capsys):
    assert main(["roles", "grant", "alice", "editor", str(world.stranger.pk)]) == 0
    assert RoleAssignment.objects.filter(user=world.alice, role="editor", organisation=world.stranger).exists()
    assert main(["roles", "grant", "alice", "editor"]) == 1
    assert "needs the organisation" in capsys.readouterr().err
    assert main(["roles", "list", "--user", "alice"]) == 0
    assert "alice\teditor\tElsewhere Srl" in capsys.readouterr().out
    assert main(["roles", "revoke", "alice", "editor", str(world.stranger.pk)]) == 0
    assert main(["roles", "grant", "nobody", "analyst"]) == 1
