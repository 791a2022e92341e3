"""Hybrid search: dense chunks (meaning, across Italian and English), BM25 (names, codes,
rare words) with translated query words, and a rerank by how much of the query a record covers.

Indexing a record (:class:`Record`: id, title, text):

* its text is cut into display passages (:func:`split_passages`) and into 12-word windows
  (:func:`split_chunks`), each window encoded (case tidied, :func:`tidy_case`) and added to
  the vector index under the record id, its number pointing to its passage;
* title and text go to BM25 (:class:`LexicalIndex`) and their words to the
  :class:`Vocabulary` (document frequencies, word vectors).

A query:

1. dense: the query vector's nearest chunks, best chunk per record (max), ``DEPTH`` records;
2. lexical: BM25 over the query plus the translations of its words the index does not know
   (:meth:`Vocabulary.lookup`: "idroponica" -> "hydroponic"), chosen among each word's nearest
   indexed words by their closeness to the word and to the whole query ("coerente" in a query
   on Raman imaging -> "coherent", not "consistent"), ``DEPTH`` records;
3. the two rankings fused by reciprocal rank fusion, score = sum of w / (c + rank) with c = 30
   (Cormack, Clarke & Büttcher 2009, SIGIR);
4. the first ``DEPTH`` fused records reranked: their fused ranking is fused again (same weight)
   with their ranking by coverage, the IDF-weighted mean over the query words of each word's
   best cosine with the record's words (a soft, cross-lingual term match: Kusner et al. 2015,
   "From word embeddings to document distances", ICML, in its relaxed form).

Each step was kept because it raised recall@10 on the labelled set
(tests/engines/matching/eval; benchmarks/search_quality.py prints the table): the dense
windows, the word translation (BM25 across languages 0.07 -> 0.49), RRF over a score sum, the
coverage rerank; then translations chosen in the query's context (Italian queries 0.678 ->
0.687, English ones unchanged; neither half of the set worse). Tried on the same set and
dropped (each within about ±0.02 of recall@10, or worse): pseudo-relevance feedback on the
dense side (Rocchio over the first 3-10 records) and on BM25 (RM3-like, 5-20 expansion
terms), mean or top-2 aggregation of a record's chunks instead of the best chunk, a linear
combination of the normalised scores in place of the rank fusions, other RRF constants (10,
60) and depths (50, 150, 300), a coverage weight of 1.5 or 2 (Italian queries up to +0.014,
English ones down to -0.01), whole sentences of 13-40 words encoded beside the 12-word
windows, and a phrase-level coverage (query word pairs against the record's chunks).
``mode="dense"`` and ``mode="lexical"`` give the single methods (BM25 without
translation) for comparison.

Filters (``filter_ids``) are applied inside both indexes (faiss id selector, BM25 weight mask),
so the best allowed records come back without post-filtering.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ris3hub.engines.matching.encoders import Encoder, tidy_case
from ris3hub.engines.matching.lexical import LexicalIndex
from ris3hub.engines.matching.passages import (
    Passage,
    PassageStore,
    enclosing,
    split_chunks,
    split_passages,
)
from ris3hub.engines.matching.vector_index import MAX_PARTS, VectorIndex
from ris3hub.engines.matching.vocabulary import Vocabulary, words_of

MODES = ("hybrid", "dense", "lexical")
RRF_C = 30
DEPTH = 100
COVERAGE_WEIGHT = 1.0
TRANSLATIONS = 2
TRANSLATION_THRESHOLD = 0.4


@dataclass(frozen=True)
class Record:
    """What is indexed of a record: ``text`` (the body; fields apart by blank lines) and
    ``title`` (name, acronym: searched by BM25, encoded only when there is no text)."""

    id: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class Hit:
    record_id: str
    score: float
    passage: Passage | None
    why: str
    dense_score: float | None = None
    lexical_score: float | None = None
    matched_terms: tuple[str, ...] = field(default=())
    coverage: float | None = None


def rrf(rankings: Sequence[Sequence[str]], weights: Sequence[float], c: int = RRF_C) -> dict[str, float]:
    """Weighted reciprocal rank fusion of ranked id lists (rank 1 first).

    >>> sorted(rrf([["a", "b"], ["b", "c"]], [1.0, 1.0], c=1).items())
    [('a', 0.5), ('b', 0.8333333333333333), ('c', 0.3333333333333333)]
    """
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, record_id in enumerate(ranking, start=1):
            scores[record_id] = scores.get(record_id, 0.0) + weight / (c + rank)
    return scores


def coverage(query_vectors: np.ndarray, weights: np.ndarray, record_words: dict[str, list[str]],
             vocabulary: Vocabulary) -> dict[str, float]:
    """For each record, sum_i w_i max(0, max_j cos(q_i, d_j)) / sum_i w_i over the query words
    q_i (weights w_i) and the record's encoded words d_j.

    >>> class V:
    ...     def vectors_of(self, words):
    ...         table = {"cat": [1.0, 0.0], "dog": [0.0, 1.0]}
    ...         known = [w for w in words if w in table]
    ...         return known, np.array([table[w] for w in known])
    >>> coverage(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 3.0]), {"a": ["cat"], "b": ["dog", "x"]}, V())
    {'a': 0.25, 'b': 0.75}
    """
    all_words, vectors = vocabulary.vectors_of(w for words in record_words.values() for w in words)
    position = {w: i for i, w in enumerate(all_words)}
    out = {record_id: 0.0 for record_id in record_words}
    columns = {r: sorted({position[w] for w in words if w in position}) for r, words in record_words.items()}
    holders = [r for r in record_words if columns[r]]
    if not holders:
        return out
    similarity = np.clip(np.asarray(query_vectors, dtype=np.float32) @ vectors.T, 0.0, 1.0)
    flat = np.concatenate([columns[r] for r in holders])
    starts = np.cumsum([0] + [len(columns[r]) for r in holders[:-1]])
    best = np.maximum.reduceat(similarity[:, flat], starts, axis=1)  # query words x records
    total = float(weights.sum()) or 1.0
    for record_id, value in zip(holders, weights @ best / total):
        out[record_id] = float(value)
    return out


class HybridRetriever:
    """Search over records with an encoder, a :class:`VectorIndex`, a :class:`LexicalIndex`,
    and (for passages, translation and the rerank) a :class:`PassageStore` and a
    :class:`Vocabulary`."""

    def __init__(self, encoder: Encoder, vector_index: VectorIndex, lexical_index: LexicalIndex,
                 passages: PassageStore | None = None, vocabulary: Vocabulary | None = None,
                 mode: str = "hybrid", rerank: bool = True):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if vector_index.dim != encoder.dim:
            raise ValueError(f"the vector index has {vector_index.dim} dimensions, the encoder {encoder.name} "
                             f"{encoder.dim}")
        if vector_index.encoder and vector_index.encoder != encoder.name:
            raise ValueError(f"the vector index was built with {vector_index.encoder!r}, not {encoder.name!r}; "
                             "rebuild it")
        vector_index.encoder = encoder.name
        self.encoder = encoder
        self.vector_index = vector_index
        self.lexical_index = lexical_index
        self.passages = passages
        self.vocabulary = vocabulary
        self.mode = mode
        self.rerank = rerank

    @classmethod
    def open(cls, folder: str | Path, encoder: Encoder, **options) -> HybridRetriever:
        """The retriever kept in ``folder`` (``vectors/``, ``lexical/``, ``vocabulary/``,
        ``passages.sqlite3``); empty indexes where the folder holds none yet."""
        folder = Path(folder)
        vectors_path, lexical_path, vocabulary_path = folder / "vectors", folder / "lexical", folder / "vocabulary"
        if (vectors_path / "manifest.json").exists():
            vector_index = VectorIndex.load(vectors_path, encoder=encoder.name)
        else:
            vector_index = VectorIndex(vectors_path, encoder.dim, encoder=encoder.name)
        lexical_index = (LexicalIndex.load(lexical_path) if (lexical_path / "manifest.json").exists()
                         else LexicalIndex(lexical_path))
        vocabulary = (Vocabulary.load(vocabulary_path) if (vocabulary_path / "manifest.json").exists()
                      else Vocabulary(vocabulary_path))
        return cls(encoder, vector_index, lexical_index, PassageStore(folder / "passages.sqlite3"), vocabulary,
                   **options)

    def with_mode(self, mode: str, rerank: bool = True) -> HybridRetriever:
        """The same indexes searched another way."""
        return HybridRetriever(self.encoder, self.vector_index, self.lexical_index, self.passages,
                               self.vocabulary, mode=mode, rerank=rerank)

    # -- writing ---------------------------------------------------------------------------
    def index(self, records: Iterable[Record], batch_size: int = 512) -> int:
        """Add or replace records; returns how many were indexed. Call :meth:`save` after."""
        count = 0
        batch: list[Record] = []
        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                count += self._index_batch(batch)
                batch = []
        if batch:
            count += self._index_batch(batch)
        return count

    def _index_batch(self, records: list[Record]) -> int:
        ids, parts, texts, stored = [], [], [], []
        for record in records:
            text = record.text if record.text.strip() else record.title
            passages = split_passages(text)
            chunks = split_chunks(text)[:MAX_PARTS]
            chunk_parts = []
            for chunk in chunks:
                holder = enclosing(passages, chunk.start)
                chunk_parts.append(holder.part if holder else 0)
                ids.append(record.id)
                parts.append(chunk.part)
                texts.append(tidy_case(chunk.text))
            stored.append((record.id, passages, chunk_parts))
        self.vector_index.remove([r.id for r in records])
        if texts:
            self.vector_index.add(ids, self.encoder.encode(texts), parts)
        bodies = [f"{r.title}\n\n{r.text}" for r in records]
        self.lexical_index.add([r.id for r in records], bodies)
        if self.vocabulary is not None:
            self.vocabulary.add(bodies)
        if self.passages is not None:
            self.passages.put_many(stored)
        return len(records)

    def remove(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        self.vector_index.remove(ids)
        self.lexical_index.remove(ids)
        if self.passages is not None:
            self.passages.remove(ids)

    def save(self) -> None:
        """Encode new vocabulary words and write every index to its folder."""
        self.vector_index.save()
        self.lexical_index.save()
        if self.vocabulary is not None:
            self.vocabulary.refresh(self.encoder)
            self.vocabulary.save()

    # -- searching -------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, filter_ids: Iterable[str] | None = None) -> list[Hit]:
        """The ``k`` best records for ``query``, best first; with ``filter_ids``, only those."""
        query = " ".join(query.split())
        if not query or k < 1:
            return []
        allowed = None if filter_ids is None else list(dict.fromkeys(map(str, filter_ids)))
        depth = max(DEPTH, k)
        dense, lexical, translations = {}, {}, {}
        words = list(dict.fromkeys(words_of(query)))
        word_vectors, weights, vector = None, None, None
        if self.mode in ("hybrid", "dense"):
            vector = self.encoder.encode([tidy_case(query)])
            dense = {h.record_id: h for h in self.vector_index.search(vector, depth, allowed_ids=allowed)[0]}
        if self.mode in ("hybrid", "lexical"):
            if self.mode == "hybrid" and self.vocabulary is not None and self.vocabulary.ready and words:
                word_vectors = self.encoder.encode(words)
                translations, weights = self.vocabulary.lookup(words, word_vectors, TRANSLATIONS,
                                                               TRANSLATION_THRESHOLD, context=vector[0])
            expanded = " ".join([query] + [w for targets in translations.values() for w in targets])
            lexical = {h.record_id: h for h in self.lexical_index.search([expanded], depth, allowed_ids=allowed)[0]}
        if self.mode == "dense":
            ranked = [(r, h.score) for r, h in dense.items()]
        elif self.mode == "lexical":
            ranked = [(r, h.score) for r, h in lexical.items()]
        else:
            fused = rrf([list(dense), list(lexical)], [1.0, 1.0])
            ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:depth]
        covered: dict[str, float] = {}
        if self.rerank and word_vectors is not None and self.passages is not None:
            ranked, covered = self._reranked(word_vectors, weights, ranked)
        texts = self.passages.passages_of([r for r, _ in ranked[:k]]) if self.passages is not None else {}
        return [self._hit(query, translations, record_id, score, dense.get(record_id), lexical.get(record_id),
                          covered.get(record_id), texts.get(record_id, []))
                for record_id, score in ranked[:k]]

    def _reranked(self, query_vectors: np.ndarray, weights: np.ndarray,
                  ranked: list[tuple[str, float]]) -> tuple[list[tuple[str, float]], dict]:
        if not ranked:
            return ranked, {}
        passages = self.passages.passages_of([r for r, _ in ranked])
        record_words = {r: words_of(" ".join(p.text for p in passages.get(r, []))) for r, _ in ranked}
        covered = coverage(query_vectors, weights, record_words, self.vocabulary)
        # Equal coverage, equal rank ("1224" ranking), so that ties do not reorder the records.
        levels = sorted(set(covered.values()), reverse=True)
        above, count = {}, 0
        for level in levels:
            above[level] = count + 1
            count += sum(1 for v in covered.values() if v == level)
        fused = {record_id: 1.0 / (RRF_C + rank) + COVERAGE_WEIGHT / (RRF_C + above[covered[record_id]])
                 for rank, (record_id, _) in enumerate(ranked, start=1)}
        return sorted(fused.items(), key=lambda item: (-item[1], item[0])), covered

    def _hit(self, query: str, translations: dict[str, list[str]], record_id: str, score: float, dense, lexical,
             covered: float | None, passages: list[Passage]) -> Hit:
        terms: tuple[str, ...] = ()
        if lexical is not None:
            expanded = " ".join([query] + [w for ws in translations.values() for w in ws])
            terms = tuple(self.lexical_index.matched_terms(expanded, record_id))
        passage = None
        if dense is not None and self.passages is not None:
            passage = self.passages.of_chunk(record_id, dense.part)
        if passage is None and terms:
            passage = _passage_with_most(passages, terms)
        reasons = []
        if dense is not None:
            reasons.append(f"close in meaning to the passage (cosine {dense.score:.2f})")
        if terms:
            source = {w: original for original, ws in translations.items() for w in ws}
            reasons.append("shares the words " + ", ".join(
                f"{t} (for {source[t.lower()]})" if t.lower() in source else t for t in terms))
        if covered:
            reasons.append(f"covers {covered:.0%} of the query")
        return Hit(record_id, float(score), passage, "; ".join(reasons),
                   dense.score if dense is not None else None,
                   lexical.score if lexical is not None else None, terms, covered)


def _passage_with_most(passages: list[Passage], terms: Sequence[str]) -> Passage | None:
    wanted = {t.lower() for t in terms}
    best, best_count = None, 0
    for passage in passages:
        words = set(words_of(passage.text)) | {w.lower().strip(".,;:()") for w in passage.text.split()}
        count = len(wanted & words)
        if count > best_count:
            best, best_count = passage, count
    return best


def competence_scores(retriever: HybridRetriever, competences: Sequence[str], filter_ids: Iterable[str] | None = None,
                      depth: int = 50) -> dict[str, dict[str, tuple[float, str]]]:
    """Evidence for team formation: record id -> competence -> (score in [0, 1], passage text),
    from a search of each competence among ``filter_ids`` (its ``depth`` first hits). The score
    is the hit's coverage of the competence's words, or its dense cosine when it has none."""
    allowed = None if filter_ids is None else list(filter_ids)
    out: dict[str, dict[str, tuple[float, str]]] = {}
    for competence in competences:
        for hit in retriever.search(competence, depth, filter_ids=allowed):
            score = hit.coverage if hit.coverage is not None else max(0.0, hit.dense_score or 0.0)
            out.setdefault(hit.record_id, {})[competence] = (score, hit.passage.text if hit.passage else "")
    return out
