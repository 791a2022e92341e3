"""A small ecosystem built with the ORM: NUTS 2021 regions of Italy (all 21 NUTS-2, Emilia-Romagna's
nine NUTS-3), organisations placed in them, networks, projects, a classification scheme, an indicator.
"""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from ris3hub.indicators.models import Indicator, Observation
from ris3hub.projects.models import Participation, Programme, Project
from ris3hub.regions.models import Region
from ris3hub.registry.models import Competence, Equipment, ExternalId, Membership, Organisation, Service
from ris3hub.taxonomy.models import Concept, Scheme

ITALY_NUTS2_2021 = {
    "ITC1": "Piemonte", "ITC2": "Valle d'Aosta/Vallée d'Aoste", "ITC3": "Liguria", "ITC4": "Lombardia",
    "ITF1": "Abruzzo", "ITF2": "Molise", "ITF3": "Campania", "ITF4": "Puglia", "ITF5": "Basilicata",
    "ITF6": "Calabria", "ITG1": "Sicilia", "ITG2": "Sardegna", "ITH1": "Provincia Autonoma di Bolzano/Bozen",
    "ITH2": "Provincia Autonoma di Trento", "ITH3": "Veneto", "ITH4": "Friuli-Venezia Giulia",
    "ITH5": "Emilia-Romagna", "ITI1": "Toscana", "ITI2": "Umbria", "ITI3": "Marche", "ITI4": "Lazio",
}
EMILIA_ROMAGNA_NUTS3 = {
    "ITH51": "Piacenza", "ITH52": "Parma", "ITH53": "Reggio nell'Emilia", "ITH54": "Modena", "ITH55": "Bologna",
    "ITH56": "Ferrara", "ITH57": "Ravenna", "ITH58": "Forlì-Cesena", "ITH59": "Rimini",
}
NUTS1 = {"ITC": "Nord-Ovest", "ITF": "Sud", "ITG": "Isole", "ITH": "Nord-Est", "ITI": "Centro (IT)"}
SQUARE = {"type": "Polygon", "coordinates": [[[9.2, 43.7], [12.8, 43.7], [12.8, 45.1], [9.2, 45.1], [9.2, 43.7]]]}


def _region(code, name, parent=None, version=2021, **extra):
    return Region.objects.create(
        version=version, code=code, level=len(code) - 2, country=code[:2], name_latn=name, name=name,
        parent=parent, **extra,
    )


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def ecosystem(db):
    italy = _region("IT", "Italia")
    nuts1 = {code: _region(code, name, italy) for code, name in NUTS1.items()}
    nuts2 = {
        code: _region(code, name, nuts1[code[:3]],
                      geometry=json.dumps(SQUARE) if code == "ITH5" else "",
                      label_lon=11.0 if code == "ITH5" else None, label_lat=44.5 if code == "ITH5" else None)
        for code, name in ITALY_NUTS2_2021.items()
    }
    nuts3 = {
        code: _region(code, name, nuts2["ITH5"], urban_rural="Predominantly urban" if code == "ITH55" else "",
                      metropolitan="Metropolitan region" if code == "ITH55" else "")
        for code, name in EMILIA_ROMAGNA_NUTS3.items()
    }
    nuts3["ITC4C"] = _region("ITC4C", "Milano", nuts2["ITC4"])
    old_er = _region("ITH5", "Emilia-Romagna (NUTS 2016)", version=2016)

    scheme = Scheme.objects.create(code="er-rat", name="Emilia-Romagna High Technology Network")
    platform = Concept.objects.create(scheme=scheme, code="P1", label="Agrifood", path="Agrifood", level=0)
    tag = Concept.objects.create(scheme=scheme, code="P1.01", label="Food safety", parent=platform,
                                 path="Agrifood/Food safety", level=1)
    Concept.objects.create(scheme=scheme, code="P1.01.a", label="Traceability", parent=tag,
                           path="Agrifood/Food safety/Traceability", level=2)
    Concept.objects.create(scheme=scheme, code="P2", label="Mechatronics", path="Mechatronics", level=0)
    Scheme.objects.create(code="nace2", name="NACE Rev. 2")

    unibo = Organisation.objects.create(
        name="Alma Mater Studiorum - Università di Bologna", short_name="UNIBO", kind="university",
        pic="999976305", vat="IT01131710376", city="Bologna", country="IT", region=nuts3["ITH55"],
        website="https://www.unibo.it", trl=None,
    )
    unibo.domains.add(tag)
    ExternalId.objects.create(organisation=unibo, source="cordis-pic", value="999976305")
    technopole = Organisation.objects.create(name="Tecnopolo di Bologna", kind="technopole", city="Bologna",
                                             country="IT", region=nuts3["ITH55"])
    lab = Organisation.objects.create(name="Modena Mechatronics Lab", kind="laboratory", city="Modena",
                                      country="IT", region=nuts3["ITH54"], trl=6)
    Membership.objects.create(member=lab, network=technopole, kind="lab_in_technopole", status="accredited",
                              start=date(2019, 1, 1))
    competence = Competence.objects.create(organisation=lab, name="Robotics", description="Industrial robots")
    competence.concepts.add(tag)
    Equipment.objects.create(organisation=lab, name="3D printer", access="rental", booking_contact="lab@example.org")
    Service.objects.create(organisation=lab, category="testing", name="Material testing")
    regional = Organisation.objects.create(name="ART-ER", kind="public", city="Bologna", country="IT",
                                           region=nuts2["ITH5"])
    sme = Organisation.objects.create(name="Milano Robotics Srl", kind="company", is_sme=True, pic="912345678",
                                      vat="IT12345678901", city="Milano", country="IT", region=nuts3["ITC4C"])
    big = Organisation.objects.create(name="Grande Impresa SpA", kind="company", is_sme=False, city="Milano",
                                      country="IT", region=nuts3["ITC4C"])
    french = Organisation.objects.create(name="Laboratoire de Lyon", kind="research", country="FR")

    h2020 = Programme.objects.create(code="H2020", name="Horizon 2020", framework="H2020")
    agri = Project.objects.create(
        number="101000001", framework="H2020", acronym="AGRIBOT", title="Robots for agrifood", programme=h2020,
        start=date(2021, 3, 1), end=date(2024, 2, 28), total_cost=Decimal("2500000.00"),
        eu_contribution=Decimal("2000000.50"), url="https://cordis.europa.eu/project/id/101000001",
    )
    agri.concepts.add(platform)
    Participation.objects.create(project=agri, organisation=unibo, role="coordinator", region=nuts3["ITH55"],
                                 eu_contribution=Decimal("1200000"))
    Participation.objects.create(project=agri, organisation=sme, role="participant", region=nuts3["ITC4C"],
                                 eu_contribution=Decimal("800000.50"))
    mecha = Project.objects.create(number="600001", framework="FP7", acronym="MECHA", title="Mechatronics",
                                   start=date(2012, 1, 1))
    Participation.objects.create(project=mecha, organisation=lab, role="coordinator", region=nuts3["ITH54"])
    lyon = Project.objects.create(number="101100002", framework="HORIZON", acronym="LYON", title="Lyon alone",
                                  start=date(2023, 1, 1))
    Participation.objects.create(project=lyon, organisation=french, role="coordinator")

    gdp = Indicator.objects.create(code="nama_10r_3gdp:unit=PPS_EU27_2020_HAB", dataset="nama_10r_3gdp",
                                   unit="PPS_EU27_2020_HAB", label="GDP per inhabitant (PPS)", source="Eurostat")
    for code, year, value, flags in [("ITH5", 2020, 33000.0, ""), ("ITH5", 2021, 35000.0, "p"),
                                     ("ITH55", 2021, 41000.0, ""), ("ITC4", 2021, 38000.0, ""),
                                     ("ITH5", 2022, None, "")]:
        Observation.objects.create(indicator=gdp, region_code=code, nuts_version=2021, year=year, value=value,
                                   flags=flags)

    return SimpleNamespace(
        italy=italy, nuts2=nuts2, nuts3=nuts3, old_er=old_er, scheme=scheme, platform=platform, tag=tag,
        unibo=unibo, technopole=technopole, lab=lab, regional=regional, sme=sme, big=big, french=french,
        agri=agri, mecha=mecha, lyon=lyon, gdp=gdp,
    )
