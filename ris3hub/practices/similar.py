"""Practices like a given one: cosine of the encoder vectors of their public texts.

The encoder is the one of the settings with its disk cache (ris3hub.search.embeddings), so a
practice's text is encoded once; a caller may pass another (tests pass a small fake one).
"""

from __future__ import annotations

import numpy as np

from ris3hub.practices.models import GoodPractice

SIMILAR = 3


def _encoder():
    from ris3hub.search.embeddings import get_encoder

    return get_encoder()


def similar_practices(practice: GoodPractice, limit: int = SIMILAR, encoder=None) -> list[tuple[GoodPractice, float]]:
    """Up to ``limit`` other published practices, most similar first, with their cosine."""
    others = list(GoodPractice.objects.filter(published=True).exclude(pk=practice.pk).order_by("pk"))
    if not others:
        return []
    encoder = encoder or _encoder()
    vectors = np.asarray(encoder.encode([practice.text()] + [p.text() for p in others]), dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    vectors = vectors / norms[:, None]
    scores = vectors[1:] @ vectors[0]
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(others[i], float(scores[i])) for i in order]
