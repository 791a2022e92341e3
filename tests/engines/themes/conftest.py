import csv
from pathlib import Path

import numpy as np
import pytest

EVAL = Path(__file__).parent / "eval" / "answers.csv"


@pytest.fixture(scope="session")
def eval_rows() -> list[dict]:
    with open(EVAL, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class WordHashEncoder:
    """A stand-in for the sentence encoder: each word adds a fixed random direction (same word, same
    direction; an entry of ``synonyms`` shares its direction across languages)."""

    name = "word-hash"
    dim = 64

    def __init__(self, synonyms: dict[str, str] | None = None):
        self.synonyms = synonyms or {}
        self.calls = 0

    def _word(self, word: str) -> np.ndarray:
        word = self.synonyms.get(word, word)
        seed = int.from_bytes(word.encode("utf-8")[:8].ljust(8, b"\0"), "little") ^ len(word)
        return np.random.default_rng(seed).normal(size=self.dim)

    def encode(self, texts):
        self.calls += 1
        rows = []
        for text in texts:
            words = [w.strip(".,;:!?'\"()").lower() for w in text.split()]
            vector = sum((self._word(w) for w in words if w), np.zeros(self.dim))
            norm = np.linalg.norm(vector)
            rows.append(vector / norm if norm else vector)
        return np.array(rows, dtype=np.float32).reshape(len(rows), self.dim)


@pytest.fixture
def fake_encoder():
    return WordHashEncoder
