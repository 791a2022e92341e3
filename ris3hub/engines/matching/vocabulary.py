"""Words of the indexed texts with their vectors, to translate the query words BM25 cannot match.

An Italian need searched over English offers shares few words with them, so BM25 alone finds
almost nothing across languages (recall@10 0.07 on the labelled set). The multilingual encoder
places a word near its translations, so each query word the indexed texts do not contain
("idroponica", "sanguisughe") is replaced for BM25 by its nearest indexed words ("hydroponic",
"leeches") when their cosine is at least ``threshold``: cross-lingual query translation with
multilingual word embeddings (Vulić & Moens 2015, "Monolingual and cross-lingual information
retrieval models based on (bilingual) word embeddings", SIGIR). Words the texts do contain are
left alone, so an English query over English texts is unchanged.

A word alone is ambiguous ("tessuto" is fabric or tissue, "coerente" consistent or coherent),
so when the query's sentence vector is given, the translations are chosen among the word's
``CANDIDATES`` nearest indexed words by their cosine with the word plus ``CONTEXT_WEIGHT``
times their cosine with the whole query: "imaging Raman coerente ..." now translates
"coerente" to "coherent" (Italian queries on the labelled set: recall@10 +0.01; the sentence
acts as the context of a word-by-word translation, as in context-aware candidate selection
for dictionary-based CLIR).

The same word vectors score how much of a query a record covers (:mod:`retrieval`), each
query word weighted by the inverse document frequency of its nearest indexed word.

Words are lower-cased runs of letters of at least 3 characters that are not stop words; a word
is known when ``min_count`` texts hold it. Removing records does not shrink the vocabulary (a
word no longer indexed only translates to nothing). The folder holds ``counts.json`` (word ->
texts holding it), ``words.json`` and ``vectors.npy`` (float16, the encoded known words, most
frequent first, at most ``max_words``).
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from ris3hub.engines.matching.encoders import Encoder
from ris3hub.engines.matching.lexical import STOPWORDS, write_atomic

FORMAT = 1
# A translation must be a word of at least two texts: one-off words are mostly project acronyms.
TRANSLATION_MIN_COUNT = 2
# Nearest words considered as translations of an unknown word, and the weight of their cosine
# with the whole query when choosing among them.
CANDIDATES = 50
CONTEXT_WEIGHT = 0.3
_WORD = re.compile(r"[^\W\d_]{3,}")


def words_of(text: str) -> list[str]:
    """The vocabulary words of ``text``.

    >>> words_of("Sensori per l'acqua: 5G and IoT sensors")
    ['sensori', 'acqua', 'iot', 'sensors']
    """
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in STOPWORDS]


class Vocabulary:
    def __init__(self, path: str | Path, min_count: int = 1, max_words: int = 200_000):
        self.path = Path(path)
        self.min_count = min_count
        self.max_words = max_words
        self.counts: Counter[str] = Counter()
        self.documents = 0
        self._index: dict[str, int] = {}
        self._words: list[str] = []
        self._vectors = np.zeros((0, 0), dtype=np.float16)
        self._search: faiss.Index | None = None

    def add(self, texts: Iterable[str]) -> None:
        """Count the words of texts being indexed (each text once per word)."""
        for text in texts:
            self.counts.update(set(words_of(text)))
            self.documents += 1

    def weight(self, word: str) -> float:
        """Inverse document frequency of a known word, at least 0.1: log(N / (df + 1))."""
        return max(0.1, float(np.log(max(self.documents, 1) / (self.counts.get(word, 0) + 1))))

    def vectors_of(self, words: Iterable[str]) -> tuple[list[str], np.ndarray]:
        """The encoded words among ``words`` and their vectors (float32)."""
        rows = [(w, self._index[w]) for w in dict.fromkeys(words) if w in self._index]
        if not rows:
            return [], np.zeros((0, self._vectors.shape[1] if self._vectors.ndim == 2 else 0), dtype=np.float32)
        return [w for w, _ in rows], self._vectors[[i for _, i in rows]].astype(np.float32)

    def nearest(self, vectors: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
        """For each row of ``vectors``, the positions and cosines of its ``top`` nearest words."""
        if not self._words:
            empty = np.zeros((len(vectors), 0))
            return empty.astype(np.int64), empty
        if self._search is None:
            # float16 vectors scanned by faiss (SIMD): a few ms for 50,000 words, half the memory
            self._search = faiss.IndexScalarQuantizer(self._vectors.shape[1], faiss.ScalarQuantizer.QT_fp16,
                                                      faiss.METRIC_INNER_PRODUCT)
            self._search.add(self._vectors.astype(np.float32))
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            cosines, best = self._search.search(np.ascontiguousarray(vectors, dtype=np.float32),
                                                min(top, len(self._words)))
        finally:
            faiss.omp_set_num_threads(previous)
        return best, cosines

    @property
    def ready(self) -> bool:
        """True once words have vectors (after :meth:`refresh`)."""
        return bool(self._words)

    def known(self, word: str) -> bool:
        return self.counts.get(word.lower(), 0) >= self.min_count

    def refresh(self, encoder: Encoder, batch_size: int = 4096) -> int:
        """Encode the known words that have no vector yet; returns how many were encoded."""
        wanted = [w for w, c in self.counts.most_common(self.max_words) if c >= self.min_count]
        have = set(self._words)
        missing = [w for w in wanted if w not in have]
        if not missing:
            return 0
        fresh = [encoder.encode(missing[i:i + batch_size]) for i in range(0, len(missing), batch_size)]
        previous = [self._vectors.astype(np.float32)] if self._words else []
        vectors = np.vstack(previous + fresh)
        words = self._words + missing
        keep = set(wanted)
        rows = [i for i, w in enumerate(words) if w in keep]
        self._words = [words[i] for i in rows]
        self._vectors = vectors[rows].astype(np.float16)
        self._index = {w: i for i, w in enumerate(self._words)}
        self._search = None
        return len(missing)

    def translate(self, query: str, encoder: Encoder, top: int = 2, threshold: float = 0.4,
                  in_context: bool = False) -> dict[str, list[str]]:
        """For each word of ``query`` the vocabulary does not know, its nearest known words (held
        by at least two texts) with a cosine of at least ``threshold``; ``in_context``: chosen
        with the query's sentence vector (see :meth:`lookup`)."""
        words = list(dict.fromkeys(words_of(query)))
        if not words:
            return {}
        context = encoder.encode([query])[0] if in_context else None
        return self.lookup(words, encoder.encode(words), top, threshold, context)[0]

    def lookup(self, words: list[str], vectors: np.ndarray, top: int = 2, threshold: float = 0.4,
               context: np.ndarray | None = None) -> tuple[dict[str, list[str]], np.ndarray]:
        """Translations of the unknown ``words`` (their ``vectors`` given) and the weight of every
        word: its inverse document frequency, or that of its nearest known word when unknown.

        Without ``context``, an unknown word's translations are its ``top`` nearest known words
        with a cosine of at least ``threshold``. With ``context`` (the query's unit vector), they
        are the ``top`` of its ``CANDIDATES`` nearest words over ``threshold`` by
        cos(word, candidate) + CONTEXT_WEIGHT * cos(context, candidate)."""
        weights = np.array([self.weight(w) if self.known(w) else 0.0 for w in words])
        unknown = [i for i, w in enumerate(words) if not self.known(w)]
        translations: dict[str, list[str]] = {}
        if not unknown or not self._words:
            weights[weights == 0.0] = 1.0
            return translations, weights
        best, cosines = self.nearest(vectors[unknown], CANDIDATES if context is not None else 5 * top)
        for row, i in enumerate(unknown):
            kept = [(j, float(c)) for j, c in zip(best[row].tolist(), cosines[row].tolist())
                    if c >= threshold and self.counts[self._words[j]] >= TRANSLATION_MIN_COUNT]
            if context is not None and kept:
                fit = self._vectors[[j for j, _ in kept]].astype(np.float32) @ np.asarray(context, dtype=np.float32)
                kept = sorted(((j, c + CONTEXT_WEIGHT * float(f)) for (j, c), f in zip(kept, fit)),
                              key=lambda item: -item[1])
            found = [self._words[j] for j, _ in kept[:top]]
            if found:
                translations[words[i]] = found
            weights[i] = self.weight(self._words[best[row][0]])
        return translations, weights

    def save(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.save(buffer, self._vectors)
        write_atomic(self.path / "vectors.npy", buffer.getvalue())
        write_atomic(self.path / "words.json", json.dumps(self._words, ensure_ascii=False).encode())
        write_atomic(self.path / "counts.json", json.dumps(self.counts, ensure_ascii=False).encode())
        manifest = {"format": FORMAT, "min_count": self.min_count, "max_words": self.max_words,
                    "documents": self.documents, "words": len(self._words)}
        write_atomic(self.path / "manifest.json", json.dumps(manifest, indent=1).encode())

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        path = Path(path)
        manifest_path = path / "manifest.json"
        if not manifest_path.exists():
            raise FileNotFoundError(f"{path} holds no vocabulary (no manifest.json)")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{manifest_path}: format {manifest.get('format')} is not {FORMAT}; rebuild the index")
        vocabulary = cls(path, min_count=manifest["min_count"], max_words=manifest["max_words"])
        vocabulary.counts = Counter(json.loads((path / "counts.json").read_text()))
        vocabulary._words = json.loads((path / "words.json").read_text())
        vocabulary._vectors = np.load(path / "vectors.npy")
        vocabulary._index = {w: i for i, w in enumerate(vocabulary._words)}
        vocabulary.documents = manifest["documents"]
        if len(vocabulary._words) != len(vocabulary._vectors):
            raise ValueError(f"{path}: {len(vocabulary._words)} words but {len(vocabulary._vectors)} vectors; "
                             "rebuild the index")
        return vocabulary
