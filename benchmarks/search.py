"""Vector search at scale: build time, memory, p50/p95 query latency (query encoding included)
and recall@10 of the approximate index against exact search, at 100,000 and 1,000,000 profiles.

    .venv/bin/python benchmarks/search.py [--sizes 100000 1000000] [--hnsw-sizes 100000]
                                          [--base var/bench/search-index] [--queries 300]

Profiles: encoding a million texts at a few hundred a second would take an hour here, so the
profiles are generated from real embeddings: each is a random mixture of two real passage
vectors plus noise, v = unit(a·e_i + (1 − a)·e_j + σ·g), a ~ U(0.5, 1), g ~ N(0, I/d),
σ = 0.3, which keeps the topical clusters of the real corpus without copying any vector. The
real vectors come from the index built by search_quality.py (``--base``) or, without it, from
encoding 20,000 passages of the corpus. Queries are real texts encoded one at a time with the
encoder's cache off (the 64 labelled queries and Horizon 2020 / FP7 project titles), so each
latency includes encoding the query.

Indexes: ris3hub's VectorIndex (inverted file, int8 scalar quantisation, ``nprobe`` cells a
query; its default and a sweep), exact flat search (the reference for recall, and its own
latency), and usearch HNSW (int8) for comparison. Timings are one process on this shared
two-core machine: noisy, run twice.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_corpus

from ris3hub.engines.matching.encoders import USEEncoder, normalise_rows
from ris3hub.engines.matching.passages import split_chunks
from ris3hub.engines.matching.vector_index import VectorIndex, default_nprobe, ivf_cells

K = 10


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def base_vectors(base: Path | None, encoder: USEEncoder, limit: int = 60_000) -> np.ndarray:
    """Real passage vectors: from a saved flat VectorIndex, else by encoding corpus passages."""
    if base and (base / "vectors" / "manifest.json").exists():
        return VectorIndex.load(base / "vectors").vectors()[0][:limit]
    texts = [c.text for doc in search_corpus.corpus() for c in split_chunks(doc.text)]
    rng = np.random.default_rng(0)
    picked = [texts[i] for i in rng.choice(len(texts), min(20_000, len(texts)), replace=False)]
    return encoder.encode(picked)


def profiles(base: np.ndarray, n: int, seed: int = 1, sigma: float = 0.3, batch: int = 200_000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    for first in range(0, n, batch):
        m = min(batch, n - first)
        a = rng.uniform(0.5, 1.0, size=(m, 1)).astype(np.float32)
        i, j = rng.integers(0, len(base), m), rng.integers(0, len(base), m)
        noise = rng.standard_normal((m, base.shape[1]), dtype=np.float32) * (sigma / np.sqrt(base.shape[1]))
        out[first:first + m] = normalise_rows(a * base[i] + (1 - a) * base[j] + noise)
    return out


def query_texts(n: int) -> list[str]:
    from ris3hub.importers.base import read_xlsx

    queries = [json.loads(line)["query"] for line in (search_corpus.EVAL_DIR / "queries.jsonl").read_text().splitlines()
               if line.strip()]
    header, rows = read_xlsx(search_corpus.shared_data() / "cordis" / "fp7-projects.xlsx")
    column = header.index("Project Title")
    titles = [str(values[column]) for _, values in rows if values[column]]
    rng = np.random.default_rng(2)
    return (queries + [titles[i] for i in rng.choice(len(titles), n, replace=False)])[:n]


def exact_top(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index.search(queries, K)[1]


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t.tolist())) / K for f, t in zip(found, truth)]))


def timed_queries(texts: list[str], encoder: USEEncoder, search) -> tuple[list[float], list[list[int]]]:
    latencies, found = [], []
    for text in texts:
        started = time.perf_counter()
        vector = encoder.encode([text])
        found.append(search(vector))
        latencies.append(1000 * (time.perf_counter() - started))
    return latencies, found


def row(name: str, n: int, build_s: float, memory_mb: float, latencies: list[float], rec: float) -> str:
    p50, p95 = np.percentile(latencies, [50, 95])
    return f"{name:<34} {n:>9,} {build_s:>8.1f} {memory_mb:>9.0f} {p50:>7.1f} {p95:>7.1f} {rec:>9.3f}"


def bench_vector_index(vectors, texts, query_vectors, truth, encoder, sweep) -> list[str]:
    lines = []
    n = len(vectors)
    ids = [str(i) for i in range(n)]
    with tempfile.TemporaryDirectory() as folder:
        before = rss_mb()
        started = time.perf_counter()
        index = VectorIndex(folder, vectors.shape[1], kind="ivf")
        index.add(ids, vectors)
        build = time.perf_counter() - started
        memory = index.memory_bytes() / 2**20
        rss = rss_mb() - before
        nlist = ivf_cells(n)
        chosen = index.cells_scanned
        for nprobe in sorted(set(sweep) | {chosen}):
            if nprobe > nlist:
                continue
            index.cells_scanned = nprobe
            latencies, found = timed_queries(
                texts, encoder, lambda v: [int(h.record_id) for h in index.search(v, K)[0]])
            label = f"ivf{nlist},int8 nprobe={nprobe}" + (" (default)" if nprobe == chosen else "")
            lines.append(row(label, n, build, memory, latencies, recall(found, truth)))
        lines.append(f"{'':<34} (process memory +{rss:.0f} MB with ids and mapping)")
    return lines


def bench_flat(vectors, texts, truth, encoder, threads: int) -> str:
    import faiss

    started = time.perf_counter()
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    build = time.perf_counter() - started
    sample = texts[: max(20, len(texts) // 5)]
    faiss.omp_set_num_threads(1)  # as VectorIndex does for single queries
    latencies, found = timed_queries(sample, encoder, lambda v: index.search(v, K)[1][0].tolist())
    faiss.omp_set_num_threads(threads)
    return row("exact flat (float32)", len(vectors), build, vectors.nbytes / 2**20, latencies,
               recall(found, truth[: len(sample)]))


def bench_hnsw(vectors, texts, truth, encoder, threads: int) -> str:
    from usearch.index import Index

    started = time.perf_counter()
    index = Index(ndim=vectors.shape[1], metric="ip", dtype="i8", connectivity=16, expansion_add=128,
                  expansion_search=64)
    index.add(np.arange(len(vectors)), vectors, threads=threads)
    build = time.perf_counter() - started
    latencies, found = timed_queries(texts, encoder, lambda v: index.search(v[0], K).keys.tolist())
    return row("usearch HNSW M=16 ef=64 (int8)", len(vectors), build, index.memory_usage / 2**20, latencies,
               recall(found, truth))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--hnsw-sizes", type=int, nargs="*", default=[100_000])
    parser.add_argument("--base", type=Path, default=Path("var/bench/search-index"))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--sweep", type=int, nargs="*", default=[64, 128, 256, 512])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    import faiss

    faiss.omp_set_num_threads(args.threads)
    encoder = USEEncoder(threads=args.threads, cache_size=0)
    base = base_vectors(args.base, encoder)
    texts = query_texts(args.queries)
    query_vectors = encoder.encode(texts)
    print(f"{len(base):,} real vectors mixed into the profiles; {len(texts)} query texts; faiss "
          f"{faiss.__version__}, {args.threads} threads", file=sys.stderr)
    print(f"{'index':<34} {'profiles':>9} {'build s':>8} {'memory MB':>9} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'recall@10':>9}")
    for n in args.sizes:
        vectors = profiles(base, n)
        truth = exact_top(vectors, query_vectors)
        for line in bench_vector_index(vectors, texts, query_vectors, truth, encoder, args.sweep):
            print(line, flush=True)
        print(bench_flat(vectors, texts, truth, encoder, args.threads), flush=True)
        if n in args.hnsw_sizes:
            print(bench_hnsw(vectors, texts, truth, encoder, args.threads), flush=True)
        del vectors
        gc.collect()
    print(f"default nprobe: {default_nprobe(ivf_cells(100_000))} of {ivf_cells(100_000)} cells at 100k, "
          f"{default_nprobe(ivf_cells(1_000_000))} of {ivf_cells(1_000_000)} at 1M")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
