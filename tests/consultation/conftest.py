"""A consultation of the Emilia-Romagna strategy with an open, a single-choice, a multiple-choice and
a ranking question, built with the actions; a stand-in encoder where themes are computed."""

from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ris3hub.consultation import actions
from ris3hub.consultation.models import Consultation, Question
from ris3hub.regions.models import Region
from ris3hub.strategies.models import Priority, Strategy

# Words that mean the same across the two languages share one direction in the stand-in encoder.
SYNONYMS = {"fondi": "funds", "finanziamenti": "funds", "capitale": "capital", "startup": "startups",
            "formazione": "training", "tecnici": "technicians", "competenze": "skills", "energia": "energy",
            "rinnovabile": "renewable", "pulita": "clean"}


class WordHashEncoder:
    """Each word adds a fixed random direction; a text is the normalised sum of its words."""

    name = "word-hash"
    dim = 64

    def _word(self, word: str) -> np.ndarray:
        word = SYNONYMS.get(word, word)
        seed = int.from_bytes(word.encode("utf-8")[:8].ljust(8, b"\0"), "little") ^ len(word)
        return np.random.default_rng(seed).normal(size=self.dim)

    def encode(self, texts):
        rows = []
        for text in texts:
            words = [w.strip(".,;:!?'\"()").lower() for w in text.split()]
            vector = sum((self._word(w) for w in words if w), np.zeros(self.dim))
            norm = np.linalg.norm(vector)
            rows.append(vector / norm if norm else vector)
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)


@pytest.fixture(autouse=True)
def stand_in_encoder(monkeypatch):
    """No test of this folder loads the real encoder."""
    encoder = WordHashEncoder()
    monkeypatch.setattr("ris3hub.consultation.actions._default_encoder", lambda: encoder)
    return encoder


FINANCE = ["More venture capital funds for startups", "Servono fondi di capitale per le startup",
           "Funds and capital for startups", "Finanziamenti e fondi per startup innovative"]
SKILLS = ["Training for technicians and skills", "Formazione dei tecnici e competenze digitali",
          "Technicians need training", "Competenze e formazione per i giovani tecnici"]
ENERGY = ["Clean renewable energy for companies", "Energia rinnovabile e pulita",
          "Renewable energy communities", "Energia pulita nei distretti"]


@pytest.fixture
def people(db):
    User = get_user_model()
    return SimpleNamespace(
        staff=User.objects.create_user("officer", "officer@example.org", is_staff=True),
        citizen=User.objects.create_user("citizen", "citizen@example.org"),
    )


@pytest.fixture
def strategy(db):
    region = Region.objects.create(version=2021, code="ITH5", level=2, country="IT", name_latn="Emilia-Romagna")
    strategy = Strategy.objects.create(region=region, period="2021-2027", title="S3 Emilia-Romagna")
    for code, title, title_it in [("T01", "Clean, safe and affordable energy", "Energia pulita"),
                                  ("T05", "Skills and training of technicians", "Competenze e formazione"),
                                  ("T09", "Funds and capital for startups", "Capitale per le startup"),
                                  ("T12", "Blue growth", "Crescita blu")]:
        Priority.objects.create(strategy=strategy, code=code, title=title, title_it=title_it)
    return strategy


@pytest.fixture
def consultation(db, strategy, people):
    now = timezone.now()
    c = actions.create_consultation("Priorities of the S3", strategy=strategy, created_by=people.staff,
                                    description="Tell us what matters.", opens=now - timedelta(days=1),
                                    closes=now + timedelta(days=30))
    actions.add_question(c, "What should the strategy put first?", Question.Kind.OPEN, required=True)
    actions.add_question(c, "You answer as", Question.Kind.SINGLE, options=["company", "researcher", "citizen"])
    actions.add_question(c, "Which topics interest you?", Question.Kind.MULTIPLE, options=["energy", "health", "ICT"])
    actions.add_question(c, "Rank the priorities", Question.Kind.RANKING, ranked=2)
    actions.publish(c)
    return c


def questions(consultation: Consultation) -> SimpleNamespace:
    q = {question.kind: question for question in consultation.questions.all()}
    return SimpleNamespace(open=q["open"], single=q["single"], multiple=q["multiple"], ranking=q["ranking"])


@pytest.fixture
def q(consultation):
    return questions(consultation)


@pytest.fixture
def answered(consultation, q):
    """Twelve anonymous responses: four about finance, four about skills, four about energy."""
    priorities = list(consultation.strategy.priorities.order_by("code").values_list("pk", flat=True))
    for i, text in enumerate(FINANCE + SKILLS + ENERGY):
        actions.submit_response(consultation, {
            q.open.pk: text, q.single.pk: ["company", "researcher", "citizen"][i % 3],
            q.multiple.pk: ["energy", "ICT"] if i % 2 else ["health"],
            q.ranking.pk: [str(priorities[i % 4]), str(priorities[(i + 1) % 4])],
        }, consent=True)
    return consultation
