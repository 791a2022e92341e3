"""A small registry whose matrices are easy to count by hand.

Regions of NUTS 2021 in Italy (Emilia-Romagna with Bologna and Modena, Lombardy with Milan) and
Germany (Berlin), with square polygons; Emilia-Romagna's NUTS 2010 code ITD5 maps to ITH5.

    project  thematic priority  EuroSciVoc fields              participants (EU contribution)
    P1       ICT (2020)         /23/47/297 (AI)                UniBo 100, Polimi 50, FU Berlin 30 (no own region)
    P2       Health (2021)      /21/33 (health sciences)       UniBo 200, Unimore 20
    P3       ICT (2021)         /23/47, /21/33/117 (nutrition) Unimore 10, FU Berlin 40, Nowhere Ltd 5 (no region)
    P4       (none, topic T-1)  -                              UniBo 1

EURITO counts (NUTS-2 unless said): deep learning ITH5 10 in 2020 and, as ITD5 (NUTS 2010), 4 in
2012; ITH55 (NUTS-3) 7; DE30 5. arXiv ITH5 100, DE30 50, ITC4 30 in 2019, and an empty value.
"""

import json
from datetime import date
from decimal import Decimal

import pytest

from ris3hub.analytics import cache
from ris3hub.indicators.models import Indicator, Observation
from ris3hub.projects.models import Call, Participation, Project
from ris3hub.regions.models import NutsChange, Region
from ris3hub.registry import actions
from ris3hub.registry.models import OrganisationKind
from ris3hub.taxonomy.models import Concept, Scheme

REGIONS = [("IT", "Italia"), ("ITH", "Nord-Est"), ("ITH5", "Emilia-Romagna"), ("ITH54", "Modena"),
           ("ITH55", "Bologna"), ("ITC", "Nord-Ovest"), ("ITC4", "Lombardia"), ("ITC4C", "Milano"),
           ("DE", "Deutschland"), ("DE3", "Berlin"), ("DE30", "Berlin"), ("DE300", "Berlin"),
           ("FR", "France"), ("FR1", "Ile-de-France"), ("FR10", "Ile-de-France")]
CORNERS = {"IT": (7, 37), "ITH": (10, 44), "ITH5": (10, 44), "ITH54": (10.5, 44.2), "ITH55": (11.2, 44.3),
           "ITC": (7, 45), "ITC4": (8.5, 45.2), "ITC4C": (9, 45.3), "DE": (6, 48), "DE3": (13, 52.3),
           "DE30": (13, 52.3), "DE300": (13, 52.3), "FR": (0, 44), "FR1": (2, 48.5), "FR10": (2, 48.5)}


def square(code: str) -> str:
    west, south = CORNERS[code]
    ring = [[west, south], [west + 1, south], [west + 1, south + 1], [west, south + 1], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def s3_data(db):
    regions = {}
    for code, name in REGIONS:
        regions[code] = Region.objects.create(version=2021, code=code, level=len(code) - 2, country=code[:2],
                                              name_latn=name, parent=regions.get(code[:-1]), geometry=square(code))
    Region.objects.create(version=2010, code="ITD5", level=2, country="IT", name_latn="Emilia-Romagna")
    NutsChange.objects.create(from_version=2010, from_code="ITD5", to_version=2021, to_code="ITH5")

    esv = Scheme.objects.create(code="euroscivoc", name="EuroSciVoc")

    def concept(code, label, parent=None):
        return Concept.objects.create(scheme=esv, code=code, label=label, parent=parent,
                                      level=parent.level + 1 if parent else 0)

    natural = concept("/23", "natural sciences")
    computing = concept("/23/47", "computer and information sciences", natural)
    ai = concept("/23/47/297", "artificial intelligence", computing)
    medical = concept("/21", "medical and health sciences")
    health = concept("/21/33", "health sciences", medical)
    nutrition = concept("/21/33/117", "nutrition", health)

    org = actions.do_create_organisation
    unibo = org("Università di Bologna", OrganisationKind.UNIVERSITY, region=regions["ITH55"], country="IT")
    unimore = org("Università di Modena e Reggio Emilia", OrganisationKind.UNIVERSITY, region=regions["ITH54"],
                  country="IT")
    polimi = org("Politecnico di Milano", OrganisationKind.UNIVERSITY, region=regions["ITC4C"], country="IT")
    fu = org("Freie Universität Berlin", OrganisationKind.UNIVERSITY, region=regions["DE300"], country="DE")
    nowhere = org("Nowhere Ltd", OrganisationKind.COMPANY, country="FR")

    call = Call.objects.create(identifier="CALL-1", title="The first call", year=2019)
    p1 = Project.objects.create(number="P1", title="One", thematic_priority="ICT", start=date(2020, 3, 1), call=call)
    p2 = Project.objects.create(number="P2", title="Two", thematic_priority="Health", start=date(2021, 1, 1))
    p3 = Project.objects.create(number="P3", title="Three", thematic_priority="ICT", signature_date=date(2021, 6, 1))
    p4 = Project.objects.create(number="P4", title="Four", topic_code="T-1", topic_title="Topic one",
                                start=date(2022, 1, 1))
    p1.concepts.add(ai)
    p2.concepts.add(health)
    p3.concepts.add(computing, nutrition)

    def take_part(project, organisation, eu, region="own"):
        Participation.objects.create(project=project, organisation=organisation, eu_contribution=Decimal(eu),
                                     region=organisation.region if region == "own" else region)

    take_part(p1, unibo, 100)
    take_part(p1, polimi, 50)
    take_part(p1, fu, 30, region=None)  # placed where its organisation is
    take_part(p2, unibo, 200)
    take_part(p2, unimore, 20)
    take_part(p3, unimore, 10)
    take_part(p3, fu, 40)
    take_part(p3, nowhere, 5)
    take_part(p4, unibo, 1)

    deep = Indicator.objects.create(code="eurito:deep_learning_count", dataset="eurito", unit="count",
                                    label="Number of participations in Deep Learning preprints",
                                    topic="Deep Learning preprints")
    deep_lq = Indicator.objects.create(code="eurito:deep_learning_lq", dataset="eurito",
                                       unit="relative specialisation", label="LQ", topic="Deep Learning preprints")
    arxiv = Indicator.objects.create(code="eurito:arxiv_count", dataset="eurito", unit="count",
                                     label="Number of participations in arxiv articles", topic="arxiv articles")
    for indicator, code, version, year, value in [
        (deep, "ITH5", 2021, 2020, 10), (deep, "ITD5", 2010, 2012, 4), (deep, "ITH55", 2021, 2020, 7),
        (deep, "DE30", 2021, 2020, 5), (deep_lq, "ITH5", 2021, 2020, 1.4),
        (arxiv, "ITH5", 2021, 2019, 100), (arxiv, "DE30", 2021, 2019, 50), (arxiv, "ITC4", 2021, 2019, 30),
        (arxiv, "ITC4", 2021, 2020, None),
    ]:
        Observation.objects.create(indicator=indicator, region_code=code, nuts_version=version, year=year,
                                   value=value)
    return {"regions": regions, "projects": [p1, p2, p3, p4]}


# A richer EURITO panel for the pages: five topics in four NUTS-2 regions over four years.
TOPICS = ["ai", "bio", "covid", "deep", "edu"]
PANEL_REGIONS = ["ITH5", "ITC4", "DE30", "FR10"]
YEARS = [2018, 2019, 2020, 2021]


def panel_value(region: int, topic: int, year: int) -> float:
    """Counts with specialisations (each region strong in some topics) and a topic, "deep",
    that grows fast in Emilia-Romagna."""
    base = [[40, 5, 10, 2, 8], [10, 30, 5, 12, 6], [6, 8, 40, 20, 4], [15, 15, 15, 15, 30]][region][topic]
    if region == 0 and topic == 3:
        return float(2 * 3 ** year)
    return float(base + year * (topic + 1))


@pytest.fixture
def s3_panel(s3_data):
    """s3_data plus the EURITO topics above (and Emilia-Romagna's strategy with two priorities)."""
    from ris3hub.strategies.models import Priority, PriorityDomain, Strategy

    for t, topic in enumerate(TOPICS):
        indicator = Indicator.objects.create(code=f"eurito:{topic}_count", dataset="eurito", unit="count",
                                             label=f"Number of participations in {topic} preprints",
                                             topic=f"{topic.capitalize()} preprints")
        Observation.objects.bulk_create([
            Observation(indicator=indicator, region_code=code, nuts_version=2021, year=year,
                        value=panel_value(r, t, y))
            for r, code in enumerate(PANEL_REGIONS) for y, year in enumerate(YEARS)])
    strategy = Strategy.objects.create(region=s3_data["regions"]["ITH5"], period="2021-2027", title="S3 ER")
    digital = Priority.objects.create(strategy=strategy, code="T06", title="Digitalisation", title_it="Digitalizzazione")
    PriorityDomain.objects.create(priority=digital, scheme="eurito", code="deep")
    PriorityDomain.objects.create(priority=digital, scheme="eurito", code="ai")
    Priority.objects.create(strategy=strategy, code="S8", title="Tourism")
    return s3_data
