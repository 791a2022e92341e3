"""Print the candidate pool a person (here: an automated assistant) reads to label a query.

For each query of a JSONL file ({"id", "query", "lang", "pool_helper"}) the pool is the union of
the top ``--depth`` records of BM25 on the query, BM25 on the helper words (an English
paraphrase written by the labeller, never used by the engines), and exact dense search
(the default encoder over passages) on the query and on the helper. Each candidate is shown
with its full text so that it can be judged; nothing is labelled automatically.

    .venv/bin/python tests/engines/matching/eval/pool_candidates.py drafts.jsonl --depth 30
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO))

import search_corpus

from ris3hub.engines.matching.encoders import USEEncoder
from ris3hub.engines.matching.lexical import LexicalIndex
from ris3hub.engines.matching.passages import split_passages


def dense_top(query_vector: np.ndarray, vectors: np.ndarray, owners: np.ndarray, depth: int) -> list[int]:
    scores = vectors @ query_vector
    order = np.argsort(-scores)
    seen: list[int] = []
    for row in order:
        if owners[row] not in seen:
            seen.append(int(owners[row]))
            if len(seen) >= depth:
                break
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--depth", type=int, default=30)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ris3hub-eval-cache"),
                        help="folder for the corpus vectors (encoding the corpus takes minutes)")
    args = parser.parse_args()
    docs = search_corpus.corpus()
    encoder = USEEncoder()
    args.cache.mkdir(parents=True, exist_ok=True)
    owners, texts = [], []
    for n, doc in enumerate(docs):
        for passage in split_passages(doc.text):
            owners.append(n)
            texts.append(passage.text)
    cached = args.cache / f"passages-{len(texts)}.npy"
    if cached.exists():
        vectors = np.load(cached)
    else:
        vectors = encoder.encode(texts)
        np.save(cached, vectors)
    owners_arr = np.array(owners)
    lexical = LexicalIndex(args.cache / "lexical")
    lexical.add([d.record_id for d in docs], [d.text for d in docs])
    number = {d.record_id: n for n, d in enumerate(docs)}
    for line in args.queries.read_text().splitlines():
        if not line.strip():
            continue
        query = json.loads(line)
        texts_to_try = [query["query"]] + ([query["pool_helper"]] if query.get("pool_helper") else [])
        pool: list[int] = []
        for text in texts_to_try:
            for hit in lexical.search([text], args.depth)[0]:
                pool.append(number[hit.record_id])
            pool += dense_top(encoder.encode([text])[0], vectors, owners_arr, args.depth)
        pool = list(dict.fromkeys(pool))
        print(f"=== {query['id']} [{query['lang']}] {query['query']}  ({len(pool)} candidates)")
        for n in sorted(pool, key=lambda i: docs[i].record_id):
            doc = docs[n]
            text = " ".join(doc.text.split())
            print(f"  {doc.record_id} | {text[:600] if doc.kind == 'spinoff' else text[:250]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
