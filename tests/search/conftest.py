"""A small ecosystem for search and matchmaking, built with the importers and the registry actions.

Thirty real spin-offs of knowledge-share.eu (imported from a slice of the shared file), a
laboratory and a company in Emilia-Romagna, a university in Campania, an investor, a cluster and
a district, H2020 projects with participants, S3 strategies with priorities in three regions,
GDP per head in PPS, a few calls. Regions carry label points for distances.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from ris3hub.indicators.models import Indicator, Observation
from ris3hub.projects.models import Call, Participation, Programme, Project
from ris3hub.regions.models import Region
from ris3hub.registry import actions
from ris3hub.registry.models import Membership, OrganisationKind, Service
from ris3hub.strategies.models import Priority, Strategy
from ris3hub.taxonomy.models import Concept, Scheme

SPINOFF_FILE = "actors/it-research-spinoffs-knowledge-share.json"
SPINOFFS = 30
# code, name, label point (lon, lat)
REGIONS = [
    ("IT", "Italia", (12.5, 42.5)), ("ITH", "Nord-Est", (11.5, 45.5)), ("ITH5", "Emilia-Romagna", (11.0, 44.5)),
    ("ITH55", "Bologna", (11.34, 44.49)), ("ITH54", "Modena", (10.92, 44.65)), ("ITF", "Sud", (15.5, 40.5)),
    ("ITF3", "Campania", (14.8, 40.9)), ("ITF33", "Napoli", (14.25, 40.85)), ("ITC", "Nord-Ovest", (8.5, 45.2)),
    ("ITC4", "Lombardia", (9.7, 45.6)), ("ITC4C", "Milano", (9.19, 45.46)), ("DE", "Deutschland", (10.4, 51.1)),
    ("DE1", "Baden-Württemberg", (9.0, 48.6)), ("DE11", "Stuttgart", (9.2, 48.9)), ("EL", "Elláda", (22.0, 39.0)),
    ("EL5", "Voreia Ellada", (23.0, 40.8)), ("EL52", "Kentriki Makedonia", (23.0, 40.7)),
]


def square(lon: float, lat: float) -> str:
    ring = [[lon - 0.4, lat - 0.3], [lon + 0.4, lat - 0.3], [lon + 0.4, lat + 0.3], [lon - 0.4, lat + 0.3],
            [lon - 0.4, lat - 0.3]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture
def search_dir(tmp_path, monkeypatch, tmp_path_factory):
    """A data directory of its own for the index; the embedding cache shared by the session's tests."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("RIS3HUB_DATA_DIR", str(data_dir))
    shared_cache = tmp_path_factory.getbasetemp() / "search-embeddings"
    monkeypatch.setenv("RIS3HUB_EMBEDDING_CACHE", str(shared_cache))
    return data_dir


@pytest.fixture
def spinoff_records(shared_data):
    records = json.loads((shared_data / SPINOFF_FILE).read_text(encoding="utf-8"))
    return records[:SPINOFFS]


@pytest.fixture
def ecosystem(db, tmp_path, spinoff_records):
    from ris3hub.core.loading import run_import

    regions = {}
    for code, name, (lon, lat) in REGIONS:
        regions[code] = Region.objects.create(
            version=2021, code=code, level=len(code) - 2, country=code[:2], name_latn=name,
            parent=regions.get(code[:-1]), geometry=square(lon, lat), label_lon=lon, label_lat=lat,
        )
    path = tmp_path / "spinoffs.json"
    path.write_text(json.dumps(spinoff_records), encoding="utf-8")
    report = run_import("spinoffs", [path], progress=False)
    assert not report.errors, report.errors

    scheme = Scheme.objects.create(code="er-rat", name="Rete Alta Tecnologia")
    agrifood = Concept.objects.create(scheme=scheme, code="AGRI", label="Agrifood", label_it="Agroalimentare")
    mechanics = Concept.objects.create(scheme=scheme, code="MECC", label="Mechatronics and motor vehicles",
                                       label_it="Meccatronica e motoristica")
    lab = actions.do_create_organisation(
        "CIRI Agroalimentare", OrganisationKind.LABORATORY, city="Bologna", country="IT", region=regions["ITH55"],
        trl=5, description="Industrial research on food safety, shelf life and packaging for the agrifood industry.",
        description_it="Ricerca industriale su sicurezza alimentare, conservazione e imballaggi per l'agroalimentare.",
        domains=[agrifood],
    )
    actions.do_add_competence(lab, "Food safety", "Shelf life and contaminants", concepts=[agrifood])
    actions.do_add_equipment(lab, "Mass spectrometer", access="shareable", description="High-resolution LC-MS")
    actions.do_add_service(lab, Service.Category.TESTING, "Shelf-life testing",
                           "Accelerated shelf-life tests of packaged food")
    company = actions.do_create_organisation(
        "Motori Modenesi Srl", OrganisationKind.COMPANY, is_sme=True, city="Modena", country="IT",
        region=regions["ITH54"], pic="912345678", description="Electric motors and drives for agricultural machines.",
        looking_for="A partner for battery management systems", domains=[mechanics],
    )
    supplier = actions.do_create_organisation(
        "Batterie Emiliane Spa", OrganisationKind.COMPANY, is_sme=False, city="Bologna", country="IT",
        region=regions["ITH55"], description="Battery packs and battery management systems for vehicles.",
        domains=[mechanics],
    )
    university = actions.do_create_organisation(
        "Università degli Studi di Napoli Federico II", OrganisationKind.UNIVERSITY, city="Napoli", country="IT",
        region=regions["ITF33"], pic="999976787",
        description="Research on robotics, artificial intelligence and agricultural engineering.",
    )
    stuttgart = actions.do_create_organisation(
        "Institut für Fahrzeugtechnik Stuttgart", OrganisationKind.RESEARCH, city="Stuttgart", country="DE",
        region=regions["DE11"], description="Vehicle engineering, powertrains and battery testing.",
    )
    investor = actions.do_create_organisation(
        "Fondo Innovazione Emilia", OrganisationKind.FUNDER, country="IT", region=regions["ITH55"],
        description="Seed and early-stage investments in deep-tech start-ups: medical devices, diagnostics, "
                    "new materials.",
        looking_for="Start-ups looking for seed investors",
    )
    cluster = actions.do_create_organisation("Clust-ER Agrifood", OrganisationKind.CLUSTER, country="IT",
                                             region=regions["ITH5"])
    district = actions.do_create_organisation("Distretto Meccatronica", OrganisationKind.DISTRICT, country="IT",
                                              region=regions["ITH5"])
    actions.do_add_member(cluster, lab, Membership.Kind.CLUSTER_MEMBER)
    actions.do_add_member(district, company, Membership.Kind.CLUSTER_MEMBER)
    actions.do_add_member(district, supplier, Membership.Kind.CLUSTER_MEMBER)
    actions.do_add_service(cluster, Service.Category.TRAINING, "Food safety training",
                           "Courses on food safety and shelf life for agrifood companies")
    actions.do_add_service(district, Service.Category.TRAINING, "Corsi sulla sicurezza alimentare",
                           "Formazione su sicurezza alimentare e conservazione per le imprese agroalimentari")

    h2020 = Programme.objects.create(code="H2020", name="Horizon 2020", framework="H2020")
    food = Project.objects.create(number="101000001", framework="H2020", acronym="FOODNET",
                                  title="A network for safer food", abstract="Food safety across Europe.",
                                  programme=h2020, topic_title="Food systems", thematic_priority="Food security")
    food.concepts.add(agrifood)
    battery = Project.objects.create(number="600001", framework="FP7", acronym="BATMAN",
                                     title="Battery management for electric vehicles",
                                     thematic_priority="Transport")
    untitled = Project.objects.create(number="101131342", framework="HORIZON", topic_title="MSCA Staff Exchanges")
    Participation.objects.create(project=food, organisation=lab, role="coordinator", region=regions["ITH55"])
    Participation.objects.create(project=food, organisation=university, region=regions["ITF33"])
    Participation.objects.create(project=battery, organisation=company, role="coordinator", region=regions["ITH54"])
    Participation.objects.create(project=battery, organisation=stuttgart, region=regions["DE11"])

    strategies = {}
    for code, title in (("ITH5", "S3 Emilia-Romagna"), ("ITF3", "RIS3 Campania"), ("EL52", "RIS3 Central Macedonia")):
        strategies[code] = Strategy.objects.create(region=regions[code], period="2021-2027", title=title)
    priorities = [
        ("ITH5", "ER1", "Agrifood", "Agroalimentare", "Food safety, sustainable agriculture and food processing"),
        ("ITH5", "ER2", "Mechatronics and motor vehicles", "Meccatronica e motoristica", "Electric vehicles"),
        ("ITF3", "CA1", "Aerospace", "Aerospazio", "Aircraft components and space systems"),
        ("EL52", "KM1", "Agri-food", "", "Food processing, quality and safety of agricultural products"),
    ]
    for region, code, title, title_it, description in priorities:
        p = Priority.objects.create(strategy=strategies[region], code=code, title=title, title_it=title_it,
                                    description=description)
        if title.startswith("Agri"):
            p.concepts.add(agrifood)

    pps = Indicator.objects.create(code="nama_10r_3gdp:unit=PPS_EU27_2020_HAB", dataset="nama_10r_3gdp",
                                   unit="PPS_EU27_2020_HAB", label="GDP, PPS per inhabitant", source="Eurostat")
    for code, value in (("EU27_2020", 35400), ("ITH5", 41600), ("ITF3", 20300), ("EL52", 19000), ("ITC4", 47000),
                        ("DE11", 52000)):
        Observation.objects.create(indicator=pps, region_code=code, year=2022, value=value)

    today = date.today()
    open_call = Call.objects.create(identifier="HORIZON-CL6-2030-FOOD-01", title="Food safety and shelf life",
                                    programme=h2020, deadline=today + timedelta(days=60))
    closed_call = Call.objects.create(identifier="H2020-GV-2014", title="Electric vehicle batteries",
                                      programme=h2020, deadline=today - timedelta(days=400))
    return SimpleNamespace(regions=regions, lab=lab, company=company, supplier=supplier, university=university,
                           stuttgart=stuttgart, investor=investor, cluster=cluster, district=district, food=food,
                           battery=battery, untitled=untitled, agrifood=agrifood, mechanics=mechanics,
                           open_call=open_call, closed_call=closed_call, strategies=strategies)
