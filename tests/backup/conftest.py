"""A small database holding every kind of value a backup must carry, and a way to compare databases.

Built with the ORM: regions with floats and nulls, a taxonomy, organisations with many-to-many
domains, projects with decimals and dates, binary columns (a stored panel, a text vector with zero
bytes), JSON with nested values and unicode, times of an event's sessions, users with sessions,
auto_now timestamps set in the past, text with quotes, newlines, emoji and a formula prefix.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session as WebSession
from django.db import connection

from ris3hub.analytics.models import StoredPanel
from ris3hub.backup.schema import code_tables
from ris3hub.events.models import Event, Session, SessionBreak, TextVector
from ris3hub.indicators.models import Indicator, Observation
from ris3hub.monitoring.models import ReportSubmission
from ris3hub.accounts.roles import Role, grant
from ris3hub.monitoring.reporting import do_open_round, do_save_values
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.models import Region
from ris3hub.registry import actions
from ris3hub.registry.models import Membership, OrganisationKind
from ris3hub.taxonomy.models import Concept, Scheme

TRICKY_TEXT = "=HYPERLINK(\"x\")\n'quoted' \"double\" \\ back, tab\there; città 🚀 \u2028 end"
FIELDS = [
    {"name": "contracts", "label": "Contratti", "type": "int", "required": True},
    {"name": "revenue", "label": "Revenue (EUR)", "type": "decimal", "required": False},
    {"name": "notes", "label": "Note", "type": "text", "required": False},
]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def rich_data(db):
    it = Region.objects.create(version=2021, code="IT", level=0, country="IT", name_latn="Italia",
                               label_lon=12.4963655, label_lat=41.9027835)
    ith = Region.objects.create(version=2021, code="ITH", level=1, country="IT", name_latn="Nord-Est", parent=it,
                                label_lon=0.1 + 0.2, label_lat=None)
    bo = Region.objects.create(version=2021, code="ITH55", level=3, country="IT", name_latn="Bologna", parent=ith,
                               label_lon=-1e-300, label_lat=1.7976931348623157e308)
    scheme = Scheme.objects.create(code="er", name="Rete Alta Tecnologia")
    ict = Concept.objects.create(scheme=scheme, code="ict", label="ICT")
    ai = Concept.objects.create(scheme=scheme, code="ict/ai", label=TRICKY_TEXT, parent=ict, level=1)
    network = actions.do_create_organisation("Rete Alta Tecnologia", OrganisationKind.OTHER, country="IT", region=bo)
    lab = actions.do_create_organisation("CIRI ICT", OrganisationKind.LABORATORY, country="IT", region=bo,
                                         domains=[ict, ai])
    sme = actions.do_create_organisation("Motori Modenesi Srl", OrganisationKind.COMPANY, is_sme=True, country="IT")
    actions.do_add_member(network, lab, Membership.Kind.NETWORK_MEMBER, Membership.Status.ACCREDITED,
                          start=date(2022, 3, 1))
    actions.do_record_contract(lab, sme, "C-1", value="45000.50", date=date(2023, 5, 2))
    project = Project.objects.create(number="101000001", framework="H2020", title=TRICKY_TEXT,
                                     signature_date=date(2021, 9, 9), start=date(2022, 1, 1))
    project.concepts.add(ai)
    Participation.objects.create(project=project, organisation=lab, eu_contribution=Decimal("1000.25"), region=bo)
    Participation.objects.create(project=project, organisation=sme, eu_contribution=Decimal("0.01"))
    indicator = Indicator.objects.create(code="rd_e_gerdreg", dataset="rd_e_gerdreg", label="GERD")
    Observation.objects.create(indicator=indicator, region_code="ITH55", year=2020, value=1.0 / 3.0, flags="p")
    Observation.objects.create(indicator=indicator, region_code="ITH55", year=2021, value=None)
    StoredPanel.objects.create(key="er:2:count:1", version="v1", counts=bytes(range(256)) + b"\x00\x00",
                               labels={"z": [1, 2.5, None], "a": {"città": "🚀", "nested": [True, False]}})
    TextVector.objects.create(digest="d" * 64, vector=b"\x00\x01\xff" * 100)
    event = Event.objects.create(name="Brokerage day", slug="brokerage-day")
    session = Session.objects.create(event=event, name="Morning", day=date(2025, 3, 4), start=time(9, 30),
                                     end=time(12, 45, 30))
    SessionBreak.objects.create(session=session, start=time(10, 59, 59, 999999), end=time(11, 15))

    User = get_user_model()
    coordinator = User.objects.create_user("coordinator", "coordinator@example.org", "pw-1",
                                           first_name="Àlvaro", last_login=datetime(2024, 2, 29, 23, 59, 59, 123456,
                                                                                     tzinfo=UTC))
    member = User.objects.create_user("member", "member@example.org", "pw-2")
    event.organisers.add(coordinator)
    grant(coordinator, Role.COORDINATOR, network)
    grant(member, Role.EDITOR, lab)
    round_ = do_open_round("Annual report", network, coordinator, "2025", [dict(f) for f in FIELDS],
                           date.today() + timedelta(days=10))
    submission = ReportSubmission.objects.get(round=round_, organisation=lab)
    do_save_values(submission, {"contracts": "3", "revenue": "1234.5", "notes": TRICKY_TEXT}, member)
    ReportSubmission.objects.filter(pk=submission.pk).update(updated=datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=UTC))
    StoredPanel.objects.update(computed=datetime(2019, 12, 31, 23, 0, tzinfo=UTC))
    WebSession.objects.create(session_key="k" * 32, session_data="data", expire_date=datetime(2030, 1, 1, tzinfo=UTC))
    return {"scheme": scheme, "network": network, "lab": lab, "project": project}


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the code, read with the ORM (independently of the backup's codec)."""
    result = {}
    for table in code_tables():
        if table.name not in connection.introspection.table_names():
            continue
        rows = table.model._base_manager.order_by(table.pk.attname).values_list(*(f.attname for f in table.fields))
        result[table.name] = [tuple(_plain(v) for v in row) for row in rows]
    return result


def _mutate():
    """Changes of every kind, so that a restore has something to undo."""
    Region.objects.filter(code="IT").update(name_latn="Italy", label_lon=None)
    Participation.objects.filter(eu_contribution="0.01").delete()
    Project.objects.create(number="999", framework="FP7", title="added later", start=date(2014, 1, 1))
    TextVector.objects.all().delete()
    Scheme.objects.create(code="new", name="added later")


@pytest.fixture
def mutate():
    return _mutate


@pytest.fixture
def db_snapshot():
    return snapshot
