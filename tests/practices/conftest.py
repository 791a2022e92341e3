"""Good practices and workshops built with the actions; a stand-in encoder for similar practices."""

from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ris3hub.practices import actions
from ris3hub.regions.models import Region
from ris3hub.registry.models import Organisation


class WordHashEncoder:
    """Each word adds a fixed random direction; a text is the normalised sum of its words."""

    name = "word-hash"
    dim = 64

    def encode(self, texts):
        rows = []
        for text in texts:
            vector = np.zeros(self.dim)
            for word in text.lower().replace(",", " ").replace(".", " ").split():
                seed = int.from_bytes(word.encode("utf-8")[:8].ljust(8, b"\0"), "little") ^ len(word)
                vector += np.random.default_rng(seed).normal(size=self.dim)
            norm = np.linalg.norm(vector)
            rows.append(vector / norm if norm else vector)
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)


@pytest.fixture(autouse=True)
def stand_in_encoder(monkeypatch):
    encoder = WordHashEncoder()
    monkeypatch.setattr("ris3hub.practices.similar._encoder", lambda: encoder)
    return encoder


@pytest.fixture
def people(db):
    User = get_user_model()
    return SimpleNamespace(
        staff=User.objects.create_user("editor", "editor@example.org", is_staff=True),
        member=User.objects.create_user("member", "member@example.org"),
    )


@pytest.fixture
def practices(db):
    region = Region.objects.create(version=2021, code="ITH5", level=2, country="IT", name_latn="Emilia-Romagna")
    agency = Organisation.objects.create(name="ART-ER Attrattività Ricerca Territorio", country="IT")
    network = actions.create_practice(
        "High Technology Network", "Accredited research laboratories working with companies on technology transfer.",
        slug="high-technology-network", description="Laboratories accredited by the region for technology transfer.",
        keywords="technology transfer, laboratories", region=region, main_institution=agency,
        start_date=date(2002, 1, 1), author_name="Demo editor", author_email="editor@example.org",
        expert_opinion="A model of regional research laboratories serving companies.")
    technopoles = actions.create_practice(
        "Technopoles", "Buildings hosting research laboratories and companies for technology transfer.",
        slug="technopoles", keywords="research infrastructure, laboratories")
    platform = actions.create_practice(
        "Open innovation platform", "An online community where stakeholders answer consultations and post challenges.",
        slug="open-innovation-platform", keywords="online platform, consultation")
    draft = actions.create_practice("Draft practice", "Not ready.", slug="draft", published=False)
    return SimpleNamespace(network=network, technopoles=technopoles, platform=platform, draft=draft,
                           region=region, agency=agency)


@pytest.fixture
def workshop(practices):
    starts = timezone.now() + timedelta(days=10)
    return actions.create_workshop("Learning from the network", starts, starts + timedelta(hours=3),
                                   place="Bologna", capacity=2, practices=[practices.network])
