"""A database with real rows in every domain, for fuzzing the API and the pages with hostile inputs.

The search ecosystem of tests/search/conftest.py (spin-offs imported from the shared file, the
registry, projects, strategies, calls, indicators) is reused as it is; this file adds a brokerage
event with validated participants and a meeting, a published consultation with answers, good
practices with a workshop and a monitoring indicator with a value, and builds the search index.
"""

from __future__ import annotations

import importlib.util
from datetime import date, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_search = _load("fuzz_search_fixtures", Path(__file__).parent.parent / "search" / "conftest.py")
ecosystem = _search.ecosystem
search_dir = _search.search_dir
spinoff_records = _search.spinoff_records

SCRIPT = "<script>alert('x')</script>"


class WordHashEncoder:
    """A stand-in text encoder (each word a fixed random direction): fuzzing needs answers, not the
    quality of the multilingual model, whose loading would take most of the run."""

    name = "word-hash"
    dim = 64

    def encode(self, texts):
        rows = []
        for text in texts:
            vector = np.zeros(self.dim)
            for word in str(text).lower().split():
                seed = int.from_bytes(word.encode("utf-8", "replace")[:8].ljust(8, b"\0"), "little") ^ len(word)
                vector += np.random.default_rng(seed).normal(size=self.dim)
            norm = np.linalg.norm(vector)
            rows.append(vector / norm if norm else vector)
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)


@pytest.fixture
def stand_in_encoder(monkeypatch):
    from ris3hub.search import embeddings

    encoder = WordHashEncoder()
    # get_encoder() keeps one encoder per process (lru_cache): forget it before and after, so that the
    # stand-in is used here and never leaks into the tests that run after these.
    embeddings._shared.cache_clear()
    monkeypatch.setattr("ris3hub.search.embeddings._model", lambda choice, threads: encoder)
    monkeypatch.setattr("ris3hub.practices.similar._encoder", lambda: encoder)
    yield encoder
    embeddings._shared.cache_clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def everything(stand_in_encoder, search_dir, ecosystem):
    """The search ecosystem plus an event, a consultation, practices, a monitoring indicator and the index."""
    from ris3hub.consultation import actions as consultation_actions
    from ris3hub.consultation.models import Question
    from ris3hub.events import actions as event_actions
    from ris3hub.events.actions import Entry
    from ris3hub.monitoring import actions as monitoring_actions
    from ris3hub.practices import actions as practice_actions
    from ris3hub.search.indexing import build_index

    User = get_user_model()
    staff = User.objects.create_user("officer", "officer@example.org", "s3cret-pass", is_staff=True)
    organiser = User.objects.create_user("organiser", "organiser@example.org", "s3cret-pass")

    event = event_actions.do_create_event("Brokerage day", "brokerage-day", venue="Tecnopolo di Bologna",
                                          organisers=[organiser], max_meetings=4, max_requests=3)
    event_actions.do_add_session(event, "Morning", date(2026, 3, 12), time(9), time(11), meeting_minutes=20)
    event_actions.do_add_places(event, 2, "Table")
    company = event_actions.do_add_participation_type(event, "Company", needs_validation=False)
    people = []
    for key, entries in (("radar", [Entry("offer", "Radar sensors for quality control")]),
                         ("food", [Entry("request", "Inline inspection of cheese wheels")])):
        people.append(event_actions.do_register(
            event, company, person_name=f"{key.title()} Person", email=f"{key}@example.org",
            organisation_name=f"{key.title()} Srl", consent_terms=True, password="s3cret-pass", entries=entries))
    request = event_actions.do_request_meeting(people[0], people[1], "Shall we meet?")
    if request.status != "accepted":
        event_actions.do_accept_request(request, "Gladly")

    strategy = ecosystem.strategies["ITH5"]
    now = timezone.now()
    consultation = consultation_actions.create_consultation(
        "Priorities of the S3", strategy=strategy, created_by=staff, description="Tell us what matters.",
        opens=now - timedelta(days=1), closes=now + timedelta(days=30))
    open_question = consultation_actions.add_question(consultation, "What should come first?",
                                                      Question.Kind.OPEN, required=True)
    consultation_actions.publish(consultation)
    for text in ("Clean energy for companies", "Training for young technicians", SCRIPT):
        consultation_actions.submit_response(consultation, {open_question.pk: text}, consent=True)

    practice = practice_actions.create_practice(
        "High Technology Network", "Accredited laboratories working with companies.", slug="high-technology-network",
        region=ecosystem.regions["ITH5"], keywords="technology transfer")
    starts = now + timedelta(days=10)
    practice_actions.create_workshop("Learning from the network", starts, starts + timedelta(hours=3),
                                     place="Bologna", capacity=5, practices=[practice])

    indicator = monitoring_actions.do_define_indicator(strategy, "R1", "Research contracts", unit="number",
                                                     query="research_contracts")
    monitoring_actions.do_record_value(indicator, ecosystem.regions["ITH5"], "2023", "12")

    build_index(progress=False)
    return SimpleNamespace(eco=ecosystem, event=event, people=people, consultation=consultation,
                           question=open_question, practice=practice, indicator=indicator, staff=staff,
                           organiser=organiser)
