"""A small region to monitor, built with the ORM and the registry and monitoring actions.

Emilia-Romagna (ITH5) with Modena (ITH54) and Bologna (ITH55), and Milan outside it; a strategy with
an ICT priority (a taxonomy concept and the CORDIS thematic priority) and a health priority; a
network with a laboratory; an H2020 project signed in 2021 with partners in Bologna, Modena and
Milan, an FP7 project in the ICT concept started in 2014 whose laboratory has no region of its own;
a research contract and a new membership; a coordinator and a member with their logins.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ris3hub.accounts.roles import Role, grant
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.models import Region
from ris3hub.registry import actions
from ris3hub.registry.models import Membership, OrganisationKind
from ris3hub.strategies.models import Priority, PriorityDomain, Strategy
from ris3hub.taxonomy.models import Concept, Scheme

PASSWORD = "s3cret-pass"
REGIONS = [("IT", 0), ("ITH", 1), ("ITH5", 2), ("ITH54", 3), ("ITH55", 3), ("ITC", 1), ("ITC4", 2), ("ITC4C", 3)]

# A three-field round: the tests' reporting form.
FIELDS = [
    {"name": "contracts", "label": "Research contracts with companies", "type": "int", "required": True},
    {"name": "revenue", "label": "Revenue from companies (EUR)", "type": "decimal", "required": True,
     "help": "Invoiced in the year"},
    {"name": "sector", "label": "Main sector", "type": "choice", "required": False, "choices": ["ICT", "Health"]},
    {"name": "since", "label": "Operating since", "type": "date", "required": False},
    {"name": "notes", "label": "Notes", "type": "text", "required": False},
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eco(db):
    regions = {}
    for code, level in REGIONS:
        regions[code] = Region.objects.create(version=2021, code=code, level=level, country="IT", name_latn=code,
                                              parent=regions.get(code[:-1]))
    scheme = Scheme.objects.create(code="er-rat", name="Rete Alta Tecnologia")
    ict = Concept.objects.create(scheme=scheme, code="ict", label="ICT")
    ai = Concept.objects.create(scheme=scheme, code="ict/ai", label="Artificial intelligence", parent=ict, level=1)
    strategy = Strategy.objects.create(region=regions["ITH5"], period="2021-2027", title="ER S3")
    t06 = Priority.objects.create(strategy=strategy, code="T06", title="Digitalisation")
    t06.concepts.add(ict)
    PriorityDomain.objects.create(priority=t06, scheme="thematic", code="Information and Communication Technologies")
    t13 = Priority.objects.create(strategy=strategy, code="T13", title="Health")

    unibo = actions.do_create_organisation("Università di Bologna", OrganisationKind.UNIVERSITY, country="IT",
                                           region=regions["ITH55"])
    sme = actions.do_create_organisation("Motori Modenesi Srl", OrganisationKind.COMPANY, is_sme=True, country="IT",
                                         region=regions["ITH54"])
    milan = actions.do_create_organisation("Politecnico di Milano", OrganisationKind.UNIVERSITY, country="IT",
                                           region=regions["ITC4C"])
    network = actions.do_create_organisation("Rete Alta Tecnologia", OrganisationKind.OTHER, country="IT",
                                             region=regions["ITH5"])
    lab = actions.do_create_organisation("CIRI ICT", OrganisationKind.LABORATORY, country="IT",
                                         region=regions["ITH55"], domains=[ai])
    lab2 = actions.do_create_organisation("InterMech", OrganisationKind.LABORATORY, country="IT",
                                          region=regions["ITH54"])
    actions.do_add_member(network, lab, Membership.Kind.NETWORK_MEMBER, Membership.Status.ACCREDITED,
                          start=date(2022, 3, 1))
    actions.do_add_member(network, lab2, Membership.Kind.NETWORK_MEMBER, Membership.Status.ACCREDITED)
    actions.do_record_contract(lab, sme, "C-1", value="45000.50", date=date(2023, 5, 2))
    actions.do_record_contract(lab, sme, "C-2", value="10000", date=date(2023, 11, 20))
    actions.do_record_contract(lab, unibo, "C-3", value="99999", date=date(2023, 6, 1))  # not a company

    ictp = Project.objects.create(number="101000001", framework="H2020", title="ICT project",
                                  signature_date=date(2021, 9, 9), start=date(2022, 1, 1),
                                  thematic_priority="Information and Communication Technologies")
    Participation.objects.create(project=ictp, organisation=unibo, eu_contribution=Decimal("1000.25"),
                                 region=regions["ITH55"])
    Participation.objects.create(project=ictp, organisation=sme, eu_contribution=Decimal("500"),
                                 region=regions["ITH54"])
    Participation.objects.create(project=ictp, organisation=milan, eu_contribution=Decimal("300"),
                                 region=regions["ITC4C"])
    old = Project.objects.create(number="600001", framework="FP7", title="AI project", start=date(2014, 2, 1))
    old.concepts.add(ai)
    # No region of its own: placed where the laboratory is (Bologna).
    Participation.objects.create(project=old, organisation=lab, eu_contribution=Decimal("700"))
    health = Project.objects.create(number="101000002", framework="H2020", title="Health", start=date(2020, 1, 1))
    Participation.objects.create(project=health, organisation=unibo, eu_contribution=Decimal("50"),
                                 region=regions["ITH55"])

    User = get_user_model()
    coordinator = User.objects.create_user("coordinator", "coordinator@example.org", PASSWORD)
    member = User.objects.create_user("member", "member@example.org", PASSWORD)
    other = User.objects.create_user("other", "other@example.org", PASSWORD)
    grant(coordinator, Role.COORDINATOR, network)
    grant(member, Role.EDITOR, lab)
    return SimpleNamespace(regions=regions, strategy=strategy, t06=t06, t13=t13, ict=ict, ai=ai, unibo=unibo, sme=sme,
                           milan=milan, network=network, lab=lab, lab2=lab2, ict_project=ictp, old_project=old,
                           coordinator=coordinator, member=member, other=other)


@pytest.fixture
def as_user():
    """A test client logged in as the given user."""

    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def round_fields():
    return [dict(f) for f in FIELDS]


@pytest.fixture
def open_round(eco, round_fields):
    """A round of the network's two laboratories for 2025, due in ten days, feeding the strategy."""
    from ris3hub.monitoring.reporting import do_open_round

    return do_open_round("Annual report", eco.network, eco.coordinator, "2025", round_fields,
                         date.today() + timedelta(days=10), strategy=eco.strategy)


def workbook(rows: list[list], header: list[str] | None = None, sheet: str = "Report") -> bytes:
    """An XLSX file with one sheet of ``rows`` under ``header`` (the template's columns by default)."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or ["organisation_id", "organisation", *(f["name"] for f in FIELDS)])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
