"""A small world for the permission matrix, built with the apps' actions (not the demo).

One region tree (Italy > Nord-Est > Emilia-Romagna > Bologna, Modena; Lombardy > Milan); a network
("Rete Alta Tecnologia") with two member laboratories (A and B) and one outsider company, with equipment,
services and competences; projects with participants in three regions (enough for an S3 profile) and a
call; a strategy with a monitoring indicator and an open reporting round of the network (A has saved a draft
of its report); a published brokerage event organised by the network, with validated registrations, a
meeting and a participant account; a draft and a published consultation with responses; a published and
a draft good practice, a published and a draft workshop; an editor request waiting for a decision.

Users, one per role of the matrix (ROLES): anonymous, registered (no role), editor of member A,
coordinator of the network, analyst, administrator, editor of the outsider. Each signed-in role has an
API token with every scope; the administrator also has a read-only token (scope refusals).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.utils import timezone

from ris3hub.accounts.actions import do_request_editor
from ris3hub.accounts.roles import Role, grant
from ris3hub.consultation import actions as consultation_actions
from ris3hub.consultation.models import Question
from ris3hub.events import actions as event_actions
from ris3hub.events.actions import Entry
from ris3hub.indicators.models import Indicator as StatIndicator
from ris3hub.indicators.models import Observation
from ris3hub.monitoring.actions import do_define_indicator, do_record_value
from ris3hub.monitoring.reporting import do_open_round, do_save_values
from ris3hub.practices import actions as practice_actions
from ris3hub.projects.models import Call, Participation, Project
from ris3hub.regions.models import Region
from ris3hub.registry import actions
from ris3hub.registry.models import Equipment, Membership, OrganisationKind, Service
from ris3hub.strategies.models import Priority, PriorityDomain, Strategy
from ris3hub.taxonomy.models import Concept, Scheme
from ris3hub.tokens.actions import create_token

# The roles of the matrix, in the order of docs/permissions.md.
ROLES = ("anonymous", "registered", "editor", "coordinator", "analyst", "administrator", "outsider_editor")
ROLE_TITLES = {
    "anonymous": "Visitor", "registered": "Registered user", "editor": "Editor (of member A)",
    "coordinator": "Network coordinator", "analyst": "Analyst", "administrator": "Administrator",
    "outsider_editor": "Editor of another organisation",
}
PASSWORD = "s3cret-pass"
REGIONS = [("IT", 0), ("ITH", 1), ("ITH5", 2), ("ITH54", 3), ("ITH55", 3), ("ITH3", 2), ("ITH35", 3), ("ITC", 1),
           ("ITC4", 2), ("ITC4C", 3)]
SQUARE = '{"type": "Polygon", "coordinates": [[[10, 44], [11, 44], [11, 45], [10, 45], [10, 44]]]}'
ROUND_FIELDS = [
    {"name": "contracts", "label": "Research contracts with companies", "type": "int", "required": True},
    {"name": "notes", "label": "Notes", "type": "text", "required": False},
]


def _regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, level in REGIONS:
        regions[code] = Region.objects.create(version=2021, code=code, level=level, country="IT", name_latn=code,
                                              parent=regions.get(code[:-1]), geometry=SQUARE)
    return regions


def _organisations(regions):
    org = actions.do_create_organisation
    network = org("Rete Alta Tecnologia", OrganisationKind.OTHER, country="IT", region=regions["ITH5"],
                  contact_email="rete@example.org", contact_person="Rete Contact")
    member_a = org("CIRI ICT", OrganisationKind.LABORATORY, country="IT", region=regions["ITH55"],
                   contact_email="ciri@example.org", contact_phone="+39 051 000000", contact_person="Anna Ciri")
    member_b = org("InterMech", OrganisationKind.LABORATORY, country="IT", region=regions["ITH54"],
                   contact_email="intermech@example.org")
    outsider = org("Politecnico di Milano", OrganisationKind.UNIVERSITY, country="IT", region=regions["ITC4C"],
                   contact_email="polimi@example.org")
    company = org("Motori Modenesi Srl", OrganisationKind.COMPANY, is_sme=True, country="IT", region=regions["ITH54"])
    venice = org("Università Ca' Foscari", OrganisationKind.UNIVERSITY, country="IT", region=regions["ITH35"])
    actions.do_add_member(network, member_a, Membership.Kind.NETWORK_MEMBER, Membership.Status.ACCREDITED,
                          start=date(2022, 3, 1))
    actions.do_add_member(network, member_b, Membership.Kind.NETWORK_MEMBER, Membership.Status.ACCREDITED)
    equipment = actions.do_add_equipment(member_a, "Electron microscope", access=Equipment.Access.SERVICE)
    service = actions.do_add_service(member_a, Service.Category.TESTING, "Materials testing")
    competence = actions.do_add_competence(member_a, "Machine learning")
    outsider_equipment = actions.do_add_equipment(outsider, "Wind tunnel", access=Equipment.Access.SERVICE)
    return SimpleNamespace(network=network, member_a=member_a, member_b=member_b, outsider=outsider, company=company,
                           venice=venice,
                           equipment=equipment, service=service, competence=competence,
                           outsider_equipment=outsider_equipment)


def _projects(regions, orgs):
    scheme = Scheme.objects.create(code="er-rat", name="Rete Alta Tecnologia")
    ict = Concept.objects.create(scheme=scheme, code="ict", label="ICT")
    call = Call.objects.create(identifier="HORIZON-CL4-2021-01", title="Digital call", deadline=date(2021, 10, 1))
    projects = []
    for number, priority, share in [("101000001", "Information and Communication Technologies",
                                     [(orgs.member_a, "ITH55", 1000), (orgs.outsider, "ITC4C", 300)]),
                                    ("101000002", "Health", [(orgs.member_b, "ITH54", 500),
                                                             (orgs.outsider, "ITC4C", 800)]),
                                    ("101000003", "Energy", [(orgs.company, "ITH54", 200),
                                                             (orgs.member_a, "ITH55", 50),
                                                             (orgs.venice, "ITH35", 900)]),
                                    ("101000004", "Health", [(orgs.venice, "ITH35", 400)]),
                                    ("101000005", "Information and Communication Technologies",
                                     [(orgs.outsider, "ITC4C", 100), (orgs.venice, "ITH35", 60)])]:
        project = Project.objects.create(number=number, framework="H2020", title=f"Project {number}",
                                         acronym=f"P{number[-1]}", signature_date=date(2021, 9, 9),
                                         start=date(2022, 1, 1), thematic_priority=priority, call=call)
        for organisation, region, amount in share:
            Participation.objects.create(project=project, organisation=organisation, region=regions[region],
                                         eu_contribution=Decimal(amount))
        projects.append(project)
    projects[0].concepts.add(ict)
    gdp = StatIndicator.objects.create(code="gdp", dataset="nama_10r_2gdp", unit="EUR", label="GDP")
    Observation.objects.create(indicator=gdp, region_code="ITH5", nuts_version=2021, year=2021, value=40000.0)
    return SimpleNamespace(scheme=scheme, ict=ict, call=call, projects=projects, project=projects[0])


def _users():
    User = get_user_model()
    users = {name: User.objects.create_user(name, f"{name}@example.org", PASSWORD)
             for name in ROLES if name != "anonymous"}
    return users


def _monitoring(regions, orgs, users, strategy):
    indicator = do_define_indicator(strategy, "R1", "Research contracts", unit="contracts", query="research_contracts")
    do_record_value(indicator, regions["ITH5"], "2021", "12", by=users["administrator"])
    round = do_open_round("Annual report", orgs.network, users["coordinator"], "2025", ROUND_FIELDS,
                          date.today() + timedelta(days=10), strategy=strategy)
    submissions = {s.organisation_id: s for s in round.submissions.all()}
    submission_a = submissions[orgs.member_a.pk]
    do_save_values(submission_a, {"contracts": "3", "notes": "fine"}, users["editor"])
    return SimpleNamespace(indicator=indicator, round=round, submission_a=submission_a,
                           submission_b=submissions[orgs.member_b.pk])


def _event(orgs, users):
    event = event_actions.do_create_event("Brokerage day", "brokerage-day", venue="Tecnopolo di Bologna",
                                          organising_network=orgs.network, max_meetings=4, max_requests=3)
    event_actions.do_add_session(event, "Morning", date.today() + timedelta(days=30), time(9), time(11),
                                 meeting_minutes=20)
    event_actions.do_add_places(event, 2, "Table")
    kind = event_actions.do_add_participation_type(event, "Participant", needs_validation=False)
    editor_registration = event_actions.do_register(
        event, kind, person_name="Editor A", email=users["editor"].email, organisation_name=orgs.member_a.name,
        consent_terms=True, user=users["editor"], organisation=orgs.member_a,
        entries=[Entry("offer", "Machine learning for quality control")])
    guest = event_actions.do_register(
        event, kind, person_name="Guest Person", email="guest@example.org", organisation_name="Guest Srl",
        consent_terms=True, password=PASSWORD, entries=[Entry("request", "Quality control partner")])
    request = event_actions.do_request_meeting(guest, editor_registration, "Shall we meet?")
    meeting = request.meeting if request.status == "accepted" else event_actions.do_accept_request(request, "Yes")
    draft = event_actions.do_create_event("Closed workshop", "closed-workshop", published=False,
                                          organisers=[users["administrator"]])
    return SimpleNamespace(event=event, draft=draft, registration=editor_registration, guest=guest,
                           meeting_request=request, meeting=meeting)


def _consultations(strategy, users):
    now = timezone.now()
    published = consultation_actions.create_consultation(
        "Priorities of the S3", strategy=strategy, created_by=users["administrator"],
        description="Tell us what matters.", opens=now - timedelta(days=1), closes=now + timedelta(days=30))
    open_question = consultation_actions.add_question(published, "What should come first?", Question.Kind.OPEN)
    consultation_actions.add_question(published, "You answer as", Question.Kind.SINGLE,
                                      options=["company", "citizen"])
    consultation_actions.publish(published)
    for text in ("More funds for start-ups", "Training for technicians"):
        consultation_actions.submit_response(published, {open_question.pk: text}, consent=True)
    draft = consultation_actions.create_consultation(
        "Draft consultation", strategy=strategy, created_by=users["administrator"],
        opens=now - timedelta(days=1), closes=now + timedelta(days=30))
    consultation_actions.add_question(draft, "Anything?", Question.Kind.OPEN)
    return SimpleNamespace(published=published, draft=draft, question=open_question)


def _practices(regions, orgs, users):
    now = timezone.now()
    published = practice_actions.create_practice(
        "Open labs for SMEs", "Laboratories open their equipment to small companies.",
        main_institution=orgs.member_a, region=regions["ITH5"], author_name="Anna Ciri",
        author_email="author@example.org", created_by=users["administrator"])
    draft = practice_actions.create_practice("Unfinished practice", "Not ready yet.", published=False,
                                             created_by=users["administrator"])
    workshop = practice_actions.create_workshop("Open labs day", now + timedelta(days=20),
                                                now + timedelta(days=20, hours=3), practices=[published],
                                                place="Bologna")
    draft_workshop = practice_actions.create_workshop("Planned workshop", now + timedelta(days=40),
                                                      now + timedelta(days=40, hours=2), place="Modena",
                                                      published=False)
    return SimpleNamespace(published=published, draft=draft, workshop=workshop, draft_workshop=draft_workshop)


def build_world() -> SimpleNamespace:
    regions = _regions()
    orgs = _organisations(regions)
    projects = _projects(regions, orgs)
    strategy = Strategy.objects.create(region=regions["ITH5"], period="2021-2027", title="ER S3")
    priority = Priority.objects.create(strategy=strategy, code="T06", title="Digitalisation")
    priority.concepts.add(projects.ict)
    PriorityDomain.objects.create(priority=priority, scheme="thematic", code="Information and Communication Technologies")

    users = _users()
    grant(users["editor"], Role.EDITOR, orgs.member_a)
    grant(users["coordinator"], Role.COORDINATOR, orgs.network)
    grant(users["analyst"], Role.ANALYST)
    grant(users["administrator"], Role.ADMINISTRATOR)
    grant(users["outsider_editor"], Role.EDITOR, orgs.outsider)

    monitoring = _monitoring(regions, orgs, users, strategy)
    events = _event(orgs, users)
    consultations = _consultations(strategy, users)
    practices = _practices(regions, orgs, users)
    editor_request = do_request_editor(users["registered"], orgs.member_b, "I work there")

    created = {name: create_token(user, f"{name} token", ["read", "write", "export"])
               for name, user in users.items()}
    tokens = {name: new.secret for name, new in created.items()}
    token_ids = {name: new.token.pk for name, new in created.items()}
    read_only_token = create_token(users["administrator"], "read only", ["read"]).secret

    return SimpleNamespace(regions=regions, orgs=orgs, projects=projects, strategy=strategy, priority=priority,
                           users=users, monitoring=monitoring, events=events, consultations=consultations,
                           practices=practices, editor_request=editor_request, tokens=tokens, token_ids=token_ids,
                           read_only_token=read_only_token)
