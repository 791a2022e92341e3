"""A small brokerage day built with the event actions: two sessions (on site, hybrid), tables and a
virtual room, three participation types, six validated participants with offers and requests."""

from datetime import date, time
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ris3hub.events import actions
from ris3hub.events.actions import Entry
from ris3hub.events.models import Session

DAY = date(2026, 3, 12)

PEOPLE = [
    # key, person, organisation, type, attendance, entries
    ("radar", "Giulia Neri", "Deep Radars Srl", "startup", "onsite",
     [Entry("offer", "Radar sensors for quality control on production lines",
            "Millimetre-wave radar measuring thickness and defects of products on the line."),
      Entry("request", "Industrial partner to pilot radar inspection", cooperation="commercial")]),
    ("food", "Marco Bianchi", "Caseificio Emiliano Spa", "company", "onsite",
     [Entry("request", "Inline inspection of cheese wheels for defects",
            "We look for sensors that detect cracks and holes inside Parmigiano wheels.", "technical"),
      Entry("offer", "Pilot site in a dairy plant", cooperation="technical")]),
    ("lab", "Anna Russo", "SITEIA.PARMA", "lab", "onsite",
     [Entry("offer", "Food safety and shelf-life testing", "Accredited laboratory for food contaminants.",
            "services"),
      Entry("request", "Companies needing shelf-life studies", cooperation="research")]),
    ("mech", "Luca Ferri", "Meccanica Modenese Srl", "company", "onsite",
     [Entry("request", "Predictive maintenance for machine tools", cooperation="technical")]),
    ("ai", "Sara Conti", "Vision AI Srl", "startup", "online",
     [Entry("offer", "Computer vision for defect detection", "Deep learning models for visual inspection.")]),
    ("fund", "Paolo Gallo", "Emilia Ventures", "investor", "onsite",
     [Entry("offer", "Seed investment in deep-tech start-ups", cooperation="investment")]),
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Accounts are made in every test: hash their passwords the quick way."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_user("organiser", "organiser@example.org", "s3cret-pass")


@pytest.fixture
def brokerage(db, organiser):
    event = actions.do_create_event("Brokerage day", "brokerage-day", venue="Tecnopolo di Bologna",
                                    organisers=[organiser], max_meetings=4, max_requests=3)
    morning = actions.do_add_session(event, "Morning", DAY, time(9), time(11), meeting_minutes=20,
                                     breaks=[(time(10), time(10, 20), "coffee")])
    afternoon = actions.do_add_session(event, "Afternoon", DAY, time(14), time(15), meeting_minutes=20,
                                       mode=Session.Mode.HYBRID)
    tables = actions.do_add_places(event, 3, "Table")
    room = actions.do_add_place(event, "Virtual room 1", virtual=True, link="https://meet.example.org/room-1")
    types = {
        "company": actions.do_add_participation_type(event, "Company"),
        "startup": actions.do_add_participation_type(event, "Start-up", max_participants=3),
        "lab": actions.do_add_participation_type(event, "Laboratory", max_meetings=2),
        "investor": actions.do_add_participation_type(event, "Investor", can_request=False, needs_validation=False),
    }
    people = {}
    for key, person, organisation, kind, attendance, entries in PEOPLE:
        registration = actions.do_register(
            event, types[kind], person_name=person, email=f"{key}@example.org", organisation_name=organisation,
            consent_terms=True, password="s3cret-pass", attendance=attendance, entries=entries,
            bio=f"{organisation} in Emilia-Romagna.", consent_contact=key == "food")
        if not registration.is_validated:
            actions.do_validate_registration(registration, organiser)
        registration.refresh_from_db()
        people[key] = registration
    return SimpleNamespace(event=event, morning=morning, afternoon=afternoon, tables=tables, room=room,
                           types=types, organiser=organiser, **people)


def _meet(a, b):
    request = actions.do_request_meeting(a, b, "Shall we meet?")
    if request.status == "accepted":
        return request.meeting
    return actions.do_accept_request(request, "Gladly")


@pytest.fixture
def meet():
    """meet(a, b): an accepted meeting between two participants, through the request actions."""
    return _meet


@pytest.fixture
def logged_in():
    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for
