"""The demo brokerage day on a small registry: who is picked, what they publish, which meetings are made."""

from datetime import date

import pytest

from ris3hub.events.demo import SLUG, build_demo_event, demo_summary
from ris3hub.events.models import Event, MeetingRequest
from ris3hub.projects.models import Participation, Project
from ris3hub.registry import actions as registry
from ris3hub.registry.models import Membership, OrganisationKind

pytestmark = pytest.mark.django_db

LABS = [("SITEIA.PARMA", "Parma", "Centre of the University of Parma for food safety.",
         "Food safety and food technologies"),
        ("MIST E-R", "Bologna", "Laboratory for micro- and submicro-technologies.", "Micro- and submicro-technologies")]
COMPANIES = [("BARILLA G. E R. FRATELLI SPA", "PARMA", "Ensuring the integrity of the European food chain"),
             ("INDUSTRIA CEMENTI GIOVANNI ROSSI SPA", "PIACENZA", "Waste heat recovery in energy intensive industries"),
             ("MOTORI MODENESI SRL", "MODENA", "Cleaner engines for agricultural machines")]
SPINOFFS = [("Deep Radars", "Radar solutions to check product quality on the line. Millimetre-wave sensors.",
             "Industrial partner; Grant partner"),
            ("Novac", "Solid-state supercapacitors for electric mobility. Safe energy storage.", "Investment funds"),
            ("LP Tech", "Prosthetic moulds made in the operating room. 3D printing for surgery.",
             "Industrial partner; License")]


@pytest.fixture
def registry_data(db):
    for name, city, description, competence in LABS:
        lab = registry.do_create_organisation(name, OrganisationKind.LABORATORY, city=city, description=description)
        registry.do_add_competence(lab, competence)
    for k, (name, city, title) in enumerate(COMPANIES):
        company = registry.do_create_organisation(name, OrganisationKind.COMPANY, city=city)
        project = Project.objects.create(number=f"10100{k}", framework="H2020", acronym=f"P{k}", title=title.upper())
        Participation.objects.create(project=project, organisation=company, role="participant")
    bologna = registry.do_create_organisation("Alma Mater Studiorum - Università di Bologna",
                                              OrganisationKind.UNIVERSITY, city="Bologna")
    for name, description, looking_for in SPINOFFS:
        spinoff = registry.do_create_organisation(name, OrganisationKind.SPINOFF, description=description,
                                                  looking_for=looking_for)
        registry.do_add_member(bologna, spinoff, Membership.Kind.AFFILIATE)
    registry.do_create_organisation("Rete Alta Tecnologia dell'Emilia-Romagna", OrganisationKind.OTHER)


def test_demo_event_from_the_registry(registry_data, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    event = build_demo_event(today=date(2026, 11, 21), meetings=6, schedule=False)
    assert event.slug == SLUG and event.organising_network.name.startswith("Rete Alta Tecnologia")
    assert event.sessions.first().day == date(2027, 1, 7)
    summary = demo_summary(event)
    assert summary["participants"] == 8 and summary["places"] == 15
    assert summary["accepted_meetings"] == 6 and summary["scheduled_meetings"] == 0
    names = {r.organisation_name: r for r in event.registrations.select_related("participation_type")}
    assert names["Barilla G. e R. Fratelli SPA"].participation_type.name == "Company"
    assert names["Industria Cementi Giovanni Rossi SPA"].organisation.city == "PIACENZA"
    radar = names["Deep Radars"]
    assert radar.bio == "Spin-off of Alma Mater Studiorum - Università di Bologna."
    assert [(e.kind, e.cooperation) for e in radar.entries.all()] == [
        ("offer", "technical"), ("request", "commercial"), ("request", "research")]
    assert radar.entries.first().title == "Radar solutions to check product quality on the line."
    barilla = names["Barilla G. e R. Fratelli SPA"].entries.get(kind="request")
    assert barilla.title == "Technologies and partners for: Ensuring the integrity of the european food chain"
    assert all(r.is_validated for r in names.values())
    for meeting in event.meetings.prefetch_related("participants"):
        kinds = {r.participation_type_id for r in meeting.participants.all()}
        assert len(kinds) == 2  # always between participants of different types
    assert event.organisers.get().username == "organiser"
    # Rebuilding replaces the event instead of adding a second one.
    build_demo_event(today=date(2026, 11, 21), meetings=4, schedule=False)
    assert Event.objects.filter(slug=SLUG).count() == 1
    assert MeetingRequest.objects.filter(event__slug=SLUG, status="accepted").count() == 4
