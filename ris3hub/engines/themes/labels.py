"""What a theme is about: its most representative answers and its keywords.

Representatives are the answers closest (cosine) to the theme's centroid. Keywords are ranked by
class-based TF-IDF (Grootendorst, 2022, "BERTopic: neural topic modeling with a class-based TF-IDF
procedure", arXiv:2203.05794): all answers of a theme form one document, and a term t weighs

    W(t, c) = tf(t, c) * ln(1 + A / f(t))

where tf(t, c) is the term's share of the theme's terms, f(t) its count in all answers and A the
mean number of terms a theme has. Terms are the Snowball stems of content words and of adjacent
pairs of them ("venture capital", "fondo perduto"), each language apart, shown in the form the
answers use most. A theme with answers in both languages gets keywords of both, taken in turn.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ris3hub.engines.themes.text import content_words, stems

# A word is shown as a phrase it belongs to when this share of its answers use the phrase.
PHRASE_SHARE = 0.6


@dataclass(frozen=True)
class Term:
    language: str
    stems: tuple[str, ...]


@dataclass
class AnswerTerms:
    terms: list[Term]
    surfaces: dict[Term, str]


def answer_terms(text: str, language: str) -> AnswerTerms:
    """The unigram and bigram terms of one answer, with the words each came from.

    >>> a = answer_terms("Più venture capital per le startup", "en")
    >>> [(" ".join(t.stems), a.surfaces[t]) for t in a.terms][2:]
    [('startup', 'startup'), ('ventur capit', 'venture capital'), ('capit startup', 'capital startup')]
    """
    tokens = content_words(text)
    stemmed = stems(tokens, language)
    terms: list[Term] = []
    surfaces: dict[Term, str] = {}
    for i, stem in enumerate(stemmed):
        term = Term(language, (stem,))
        terms.append(term)
        surfaces.setdefault(term, tokens[i])
    for i in range(len(stemmed) - 1):
        term = Term(language, (stemmed[i], stemmed[i + 1]))
        terms.append(term)
        surfaces.setdefault(term, f"{tokens[i]} {tokens[i + 1]}")
    return AnswerTerms(terms, surfaces)


def representatives(vectors: np.ndarray, labels: np.ndarray, count: int = 3) -> dict[int, list[int]]:
    """Indices of each theme's ``count`` answers closest to its centroid, closest first.

    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> representatives(v, np.array([0, 0, 1]), count=2)
    {0: [0, 1], 1: [2]}
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    out = {}
    for theme in np.unique(labels):
        members = np.flatnonzero(labels == theme)
        centroid = vectors[members].mean(axis=0)
        norms = np.linalg.norm(vectors[members], axis=1) * (np.linalg.norm(centroid) or 1.0)
        similarity = (vectors[members] @ centroid) / np.where(norms > 0, norms, 1.0)
        order = np.argsort(-similarity, kind="stable")[:count]
        out[int(theme)] = [int(members[i]) for i in order]
    return out


def keywords(texts: Sequence[str], languages: Sequence[str], labels: np.ndarray,
             count: int = 8) -> dict[int, list[str]]:
    """Each theme's ``count`` keywords by class-based TF-IDF (module docstring).

    Terms of two answers of the theme or more come first (in a theme of four answers or more), and
    a pair of words counts only when two answers of the theme use it;
    a term whose stems all belong to keywords already chosen is skipped ("venture" after
    "venture capital"), and so is a word already chosen in the other language ("startup").
    """
    per_answer = [answer_terms(t, lang) for t, lang in zip(texts, languages)]
    surface_counts: dict[Term, Counter] = defaultdict(Counter)
    for answer in per_answer:
        for term in answer.terms:
            surface_counts[term][answer.surfaces[term]] += 1
    themes = [int(t) for t in np.unique(labels)]
    term_counts = {t: Counter() for t in themes}
    answer_counts = {t: Counter() for t in themes}
    for answer, theme in zip(per_answer, labels):
        term_counts[int(theme)].update(answer.terms)
        answer_counts[int(theme)].update(set(answer.terms))
    overall = Counter()
    for counts in term_counts.values():
        overall.update(counts)
    mean_terms = sum(overall.values()) / max(len(themes), 1)
    out = {}
    for theme in themes:
        total = sum(term_counts[theme].values()) or 1
        size = int(np.sum(labels == theme))
        needed = 2 if size >= 4 else 1
        ranked: dict[str, list[tuple[bool, float, Term]]] = defaultdict(list)
        for term, tf in term_counts[theme].items():
            if len(term.stems) > 1 and answer_counts[theme][term] < 2:
                continue  # two words side by side in one answer only: not yet a phrase
            weight = tf / total * math.log(1 + mean_terms / overall[term])
            # Terms of one answer only come after all the shared ones.
            ranked[term.language].append((answer_counts[theme][term] < needed, -weight, term))
        for language in ranked:
            ranked[language].sort(key=lambda entry: (entry[0], entry[1], entry[2].stems))
        # A word mostly used in one phrase ("capital" in "venture capital") is shown as that phrase.
        phrases: dict[Term, Term] = {}
        for term, used in answer_counts[theme].items():
            if len(term.stems) < 2 or used < 2:
                continue
            for stem in term.stems:
                word = Term(term.language, (stem,))
                best = phrases.get(word)
                if used >= PHRASE_SHARE * answer_counts[theme][word] and (
                        best is None or used > answer_counts[theme][best]):
                    phrases[word] = term
        # Languages take turns, the one with the strongest term first.
        order = sorted(ranked, key=lambda lang: ranked[lang][0][:2])
        chosen: list[str] = []
        covered: set[tuple[str, str]] = set()
        positions = dict.fromkeys(order, 0)
        while len(chosen) < count and any(positions[lang] < len(ranked[lang]) for lang in order):
            for language in order:
                while positions[language] < len(ranked[language]):
                    _, _, term = ranked[language][positions[language]]
                    positions[language] += 1
                    term = phrases.get(term, term)
                    surface = surface_counts[term].most_common(1)[0][0]
                    if surface in chosen or all((term.language, s) in covered for s in term.stems):
                        continue
                    chosen.append(surface)
                    covered.update((term.language, s) for s in term.stems)
                    break
                if len(chosen) == count:
                    break
        out[theme] = chosen
    return out
