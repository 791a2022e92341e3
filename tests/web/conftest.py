"""A small ecosystem for the web pages, built with the ORM and the registry actions.

Regions of NUTS 2021 (Italy: Emilia-Romagna with two provinces, Lombardy with one; Germany: one
Berlin branch) with square polygons; a platform > technopole > laboratory network in Bologna; a
university, an SME, a German institute; an H2020 and an FP7 project; GDP per head observations.
"""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client

from ris3hub.indicators.models import Indicator, Observation
from ris3hub.projects.models import Participation, Programme, Project
from ris3hub.regions.models import Region
from ris3hub.registry import actions
from ris3hub.registry.models import ExternalId, Membership, OrganisationKind, Service
from ris3hub.taxonomy.models import Concept, Scheme

REGIONS = [
    # code, Latin name, national name, typologies of NUTS-3 regions
    ("IT", "Italia", "Italia", {}),
    ("ITH", "Nord-Est", "Nord-Est", {}),
    ("ITH5", "Emilia-Romagna", "Emilia-Romagna", {}),
    ("ITH54", "Modena", "Modena", {"urban_rural": "intermediate", "coastal": "non-coastal",
                                   "mountain": "mountain region"}),
    ("ITH55", "Bologna", "Bologna", {"urban_rural": "predominantly urban", "coastal": "non-coastal",
                                     "metropolitan": "metropolitan region", "mountain": "mountain region"}),
    ("ITC", "Nord-Ovest", "Nord-Ovest", {}),
    ("ITC4", "Lombardia", "Lombardia", {}),
    ("ITC4C", "Milano", "Milano", {"urban_rural": "predominantly urban", "capital": ""}),
    ("DE", "Deutschland", "Deutschland", {}),
    ("DE3", "Berlin", "Berlin", {}),
    ("DE30", "Berlin", "Berlin", {}),
    ("DE300", "Berlin", "Berlin", {"urban_rural": "predominantly urban", "capital": "capital city region"}),
]
# Where each region's square lies: (west, south) corner; squares of one degree.
CORNERS = {"IT": (7, 37), "ITH": (10, 44), "ITH5": (10, 44), "ITH54": (10.5, 44.2), "ITH55": (11.2, 44.3),
           "ITC": (7, 45), "ITC4": (8.5, 45.2), "ITC4C": (9, 45.3), "DE": (6, 48), "DE3": (13, 52.3),
           "DE30": (13, 52.3), "DE300": (13, 52.3)}


def square(code: str) -> str:
    west, south = CORNERS[code]
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def italian_client():
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    return c


@pytest.fixture
def web_data(db):
    regions = {}
    for code, name_latn, name, typologies in REGIONS:
        regions[code] = Region.objects.create(
            version=2021, code=code, level=len(code) - 2, country=code[:2], name_latn=name_latn, name=name,
            parent=regions.get(code[:-1]), geometry=square(code), **typologies,
        )
    # The same code in another NUTS version must not leak into the pages of the version in use.
    Region.objects.create(version=2016, code="ITH55", level=3, country="IT", name_latn="Bologna 2016")

    scheme = Scheme.objects.create(code="er-rat", name="Rete Alta Tecnologia")
    agrifood = Concept.objects.create(scheme=scheme, code="AGRI", label="Agrifood", label_it="Agroalimentare")

    university = actions.do_create_organisation(
        "Alma Mater Studiorum - Università di Bologna", OrganisationKind.UNIVERSITY, short_name="UNIBO",
        pic="999993953", vat="IT80007010376", city="Bologna", country="IT", region=regions["ITH55"],
        website="https://www.unibo.it", description="The oldest university in Europe.",
        description_it="La più antica università d'Europa.", domains=[agrifood],
        external={"cordis-pic": "999993953"},
    )
    sme = actions.do_create_organisation(
        "Motori Modenesi Srl", OrganisationKind.COMPANY, is_sme=True, city="Modena", country="IT",
        region=regions["ITH54"], pic="912345678",
    )
    milan = actions.do_create_organisation(
        "Politecnico di Milano", OrganisationKind.UNIVERSITY, city="Milano", country="IT", region=regions["ITC4C"],
    )
    berlin = actions.do_create_organisation(
        "Fraunhofer Institut Berlin", OrganisationKind.RESEARCH, city="Berlin", country="DE",
        region=regions["DE300"], pic="999984059",
    )
    platform = actions.do_create_organisation(
        "Piattaforma Agroalimentare", OrganisationKind.PLATFORM, country="IT", region=regions["ITH5"],
    )
    technopole = actions.do_create_organisation(
        "Tecnopolo di Bologna", OrganisationKind.TECHNOPOLE, city="Bologna", country="IT", region=regions["ITH55"],
    )
    lab = actions.do_create_organisation(
        "CIRI Agroalimentare", OrganisationKind.LABORATORY, city="Bologna", country="IT", region=regions["ITH55"],
        trl=5, looking_for="industrial partners", description="Industrial research on food.",
    )
    actions.do_add_member(platform, technopole, Membership.Kind.IN_PLATFORM, Membership.Status.ACCREDITED,
                          start=date(2019, 1, 1))
    actions.do_add_member(platform, lab, Membership.Kind.IN_PLATFORM, Membership.Status.ACCREDITED)
    actions.do_add_member(technopole, lab, Membership.Kind.LAB_IN_TECHNOPOLE, Membership.Status.PENDING)
    actions.do_add_competence(lab, "Food safety", "Shelf life and contaminants", concepts=[agrifood])
    actions.do_add_equipment(lab, "Mass spectrometer", access="shareable", location="Via Fanin 40, Bologna",
                             conditions="Half-day slots, fee on request", booking_contact="booking@ciri.example.org")
    actions.do_add_service(lab, Service.Category.TESTING, "Shelf-life testing")
    actions.do_record_contract(lab, sme, "C-2023-7", title="Oil quality study", value="45000", date=date(2023, 3, 1))

    h2020 = Programme.objects.create(code="H2020", name="Horizon 2020", framework="H2020")
    food = Project.objects.create(
        number="101000001", framework="H2020", acronym="FOODNET", title="A network for safer food",
        abstract="Food safety across Europe.", programme=h2020, topic_code="SFS-01-2020",
        topic_title="Food systems", thematic_priority="Food security", start=date(2021, 1, 1),
        end=date(2024, 12, 31), total_cost=Decimal("3000000"), eu_contribution=Decimal("2500000"),
        participant_count=4, url="https://cordis.europa.eu/project/id/101000001",
    )
    food.concepts.add(agrifood)
    engines = Project.objects.create(
        number="600001", framework="FP7", acronym="ENGINES", title="Cleaner engines", start=date(2012, 6, 1),
        eu_contribution=Decimal("800000"),
    )
    Participation.objects.create(project=food, organisation=university, role="coordinator",
                                 eu_contribution=Decimal("1000000"), region=regions["ITH55"])
    Participation.objects.create(project=food, organisation=berlin, role="participant",
                                 eu_contribution=Decimal("900000"), region=regions["DE300"])
    # No region of its own: counted where the laboratory is (Bologna).
    Participation.objects.create(project=food, organisation=lab, role="participant", eu_contribution=Decimal("600000"))
    Participation.objects.create(project=engines, organisation=sme, role="coordinator",
                                 eu_contribution=Decimal("500000"), region=regions["ITH54"])
    Participation.objects.create(project=engines, organisation=milan, role="participant",
                                 eu_contribution=Decimal("300000"), region=regions["ITC4C"])

    pps = Indicator.objects.create(code="nama_10r_3gdp:unit=PPS_EU27_2020_HAB", dataset="nama_10r_3gdp",
                                   unit="PPS_EU27_2020_HAB", label="GDP, PPS per inhabitant", source="Eurostat")
    eur = Indicator.objects.create(code="nama_10r_3gdp:unit=EUR_HAB", dataset="nama_10r_3gdp", unit="EUR_HAB",
                                   label="GDP, euro per inhabitant", source="Eurostat")
    share = Indicator.objects.create(code="nama_10r_3gdp:unit=PPS_HAB_EU27_2020", dataset="nama_10r_3gdp",
                                     unit="PPS_HAB_EU27_2020", label="GDP, % of EU average", source="Eurostat")
    for year, value in ((2019, 39000), (2020, 36100), (2021, 41234)):
        Observation.objects.create(indicator=pps, region_code="ITH5", year=year, value=value)
    Observation.objects.create(indicator=pps, region_code="ITH5", year=2022, value=None)
    Observation.objects.create(indicator=eur, region_code="ITH55", year=2021, value=42420)
    Observation.objects.create(indicator=share, region_code="ITH54", year=2021, value=120)
    ExternalId.objects.create(organisation=lab, source="registry", value="ciri-agro")

    return SimpleNamespace(regions=regions, university=university, sme=sme, milan=milan, berlin=berlin,
                           platform=platform, technopole=technopole, lab=lab, food=food, engines=engines,
                           agrifood=agrifood)
