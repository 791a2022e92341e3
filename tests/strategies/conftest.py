"""A few regions, concepts, projects and an EURITO indicator that strategy files can point at."""

import pytest

from ris3hub.indicators.models import Indicator
from ris3hub.projects.models import Project
from ris3hub.regions.models import NutsChange, Region
from ris3hub.taxonomy.models import Concept, Scheme

CODES = ["IT", "ITH", "ITH5", "ITH55", "DE", "DE3", "DE30"]


@pytest.fixture
def strategy_data(db):
    regions = {}
    for code in CODES:
        regions[code] = Region.objects.create(version=2021, code=code, level=len(code) - 2, country=code[:2],
                                              name_latn={"ITH5": "Emilia-Romagna"}.get(code, code),
                                              parent=regions.get(code[:-1]))
    # Emilia-Romagna's NUTS 2010 code: written in a file, it means ITH5.
    Region.objects.create(version=2010, code="ITD5", level=2, country="IT", name_latn="Emilia-Romagna")
    NutsChange.objects.create(from_version=2010, from_code="ITD5", to_version=2021, to_code="ITH5")
    rat = Scheme.objects.create(code="er-rat", name="Rete Alta Tecnologia")
    ict = Concept.objects.create(scheme=rat, code="ict-e-design", label="ICT e design")
    big_data = Concept.objects.create(scheme=rat, code="ict-e-design/big-data", label="Big Data", parent=ict, level=1)
    esv = Scheme.objects.create(code="euroscivoc", name="EuroSciVoc")
    natural = Concept.objects.create(scheme=esv, code="/23", label="natural sciences")
    computing = Concept.objects.create(scheme=esv, code="/23/47", label="computer and information sciences",
                                       parent=natural, level=1)
    Project.objects.create(number="1", title="A", thematic_priority="Information and Communication Technologies")
    Project.objects.create(number="2", title="B", topic_code="ICT-01-2020")
    Indicator.objects.create(code="eurito:deep_learning_count", dataset="eurito", unit="count",
                             label="Number of participations in Deep Learning preprints", topic="Deep Learning preprints")
    return {"regions": regions, "ict": ict, "big_data": big_data, "computing": computing}
