"""Fixtures of the matching engine tests: a small deterministic encoder, and the real one."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest


class HashEncoder:
    """Bag of words hashed into 256 dimensions: texts sharing words are close. For logic tests."""

    name = "hash-256"
    dim = 256

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


@pytest.fixture
def hash_encoder():
    return HashEncoder()


@pytest.fixture(scope="session")
def use_encoder():
    from ris3hub.engines.matching.encoders import USEEncoder

    return USEEncoder(threads=2)
