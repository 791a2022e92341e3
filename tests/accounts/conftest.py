"""A network with a member laboratory, its coordinator, an administrator, and a person with a trail of data:
registrations to a past and a future event (with a meeting), a signed consultation response, a workshop place."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from ris3hub.accounts.roles import Role, grant
from ris3hub.consultation import actions as consultation_actions
from ris3hub.consultation.models import Consultation
from ris3hub.events import actions as event_actions
from ris3hub.registry.models import Membership, Organisation

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def as_user():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


def _event(slug: str, day: date, organiser):
    event = event_actions.do_create_event(f"Event {slug}", slug, organisers=[organiser])
    event_actions.do_add_session(event, "Morning", day, time(9), time(11), meeting_minutes=30)
    event_actions.do_add_places(event, 2, "Table")
    kind = event_actions.do_add_participation_type(event, "Company", needs_validation=False)
    return event, kind


@pytest.fixture
def world(db):
    User = get_user_model()
    network = Organisation.objects.create(name="Rete Alta Tecnologia", kind="platform")
    lab = Organisation.objects.create(name="CIRI ICT", kind="laboratory", city="Bologna")
    stranger = Organisation.objects.create(name="Elsewhere Srl", kind="company")
    Membership.objects.create(member=lab, network=network, kind="in_platform")
    admin = User.objects.create_user("authority", "authority@example.org", PASSWORD)
    grant(admin, Role.ADMINISTRATOR)
    coordinator = User.objects.create_user("coordinator", "coordinator@example.org", PASSWORD)
    grant(coordinator, Role.COORDINATOR, network)
    editor = User.objects.create_user("editor", "editor@example.org", PASSWORD)
    grant(editor, Role.EDITOR, lab)
    alice = User.objects.create_user("alice", "alice@example.org", PASSWORD, first_name="Alice", last_name="Rossi")
    partner_user = User.objects.create_user("partner", "partner@example.org", PASSWORD)

    today = timezone.localdate()
    past, past_kind = _event("past-day", today - timedelta(days=30), coordinator)
    future, future_kind = _event("future-day", today + timedelta(days=30), coordinator)
    registrations = {}
    for event, kind in ((past, past_kind), (future, future_kind)):
        mine = event_actions.do_register(
            event, kind, person_name="Alice Rossi", email="alice@example.org", organisation_name="Rossi Srl",
            consent_terms=True, user=alice, bio="Sensors for food.", consent_contact=True,
            entries=[event_actions.Entry("offer", "Food sensors", "Cheap sensors")])
        theirs = event_actions.do_register(
            event, kind, person_name="Paolo Partner", email="partner@example.org", organisation_name="Partner Spa",
            consent_terms=True, user=partner_user)
        request = event_actions.do_request_meeting(mine, theirs, "Shall we talk about sensors?")
        event_actions.do_accept_request(request, "Gladly")
        registrations[event.slug] = (mine, theirs)

    consultation = consultation_actions.create_consultation(
        "Priorities 2027", identity=Consultation.Identity.SIGNED_IN, opens=timezone.now() - timedelta(days=2))
    question = consultation_actions.add_question(consultation, "What should the region fund?")
    consultation_actions.publish(consultation)
    response = consultation_actions.submit_response(consultation, {question.pk: "Food safety labs"}, consent=True,
                                                    user=alice)
    return SimpleNamespace(network=network, lab=lab, stranger=stranger, admin=admin, coordinator=coordinator,
                           editor=editor, alice=alice, partner=partner_user, past=past, future=future,
                           registrations=registrations, consultation=consultation, response=response)
