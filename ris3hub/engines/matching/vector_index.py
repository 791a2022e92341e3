"""A persistent vector index of records (several vectors a record: its passages), with faiss.

Kinds, chosen by size (``kind="auto"``) or by name:

* ``flat``: exact inner-product search (faiss IndexFlatIP under an id map) while the index
  holds fewer than ``flat_limit`` vectors (100,000 by default, where a query costs about 25 ms
  on this two-core machine against 9 ms for the inverted file at recall 0.97).
* ``ivf``: an inverted file (Jégou, Douze & Schmid 2011, "Product quantization for nearest
  neighbor search", IEEE TPAMI 33(1); faiss, Douze et al. 2024) with ``nlist`` ≈ 4·√n
  spherical k-means cells and 8-bit scalar-quantised vectors (a quarter of float32's memory);
  ``nprobe`` cells (an eighth by default) are scanned a query. When an ``auto`` index outgrows ``flat_limit`` it is
  trained once on its own vectors and rebuilt as ``ivf``; after that, records are added to the
  trained cells with no rebuild, until the index holds 8 times the vectors it was trained on,
  when it is trained again.

HNSW (faiss or usearch) searches faster at equal recall but cannot filter by id in usearch and
cannot remove vectors in faiss; benchmarks/search.py measures the three.

Each vector's faiss id is ``record number << 10 | passage number``: removing or replacing a
record removes the id range of its record number, and a filter by record ids becomes a faiss
IDSelector over their vectors (applied while scanning, so the k best allowed records come
back, scanning more cells when the allowed set is a small share of the index).

The folder holds ``index.faiss``, ``ids.json`` (record id of each record number, null when
removed), ``parts.npy`` (vectors per record number) and ``manifest.json`` (kind, dimension,
encoder name, cells, counts); each file is replaced atomically on save.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

FORMAT = 1
PART_BITS = 10
MAX_PARTS = 1 << PART_BITS
FLAT_LIMIT = 100_000
RETRAIN_GROWTH = 8
KINDS = ("auto", "flat", "ivf")


@dataclass(frozen=True)
class VectorHit:
    """The best-matching vector of a record: ``part`` is its passage number, ``score`` the cosine."""

    record_id: str
    part: int
    score: float


def ivf_cells(n: int) -> int:
    """Cells of an inverted file for ``n`` vectors: about 4·√n, a power of two, 64 to 65,536.

    >>> ivf_cells(1_000_000), ivf_cells(100_000), ivf_cells(10)
    (4096, 1024, 64)
    """
    return int(min(65_536, max(64, 2 ** round(math.log2(4 * math.sqrt(max(n, 1)))))))


def default_nprobe(nlist: int) -> int:
    """Cells scanned a query: 1/8 of them, at least 16 (recall@10 0.97 of exact search at
    100,000 profiles, where 1/16 gave 0.94 and 1/32 0.89; benchmarks/search.py)."""
    return int(min(nlist, max(16, nlist // 8)))


class VectorIndex:
    """Vectors of records in the folder ``path``.

    ``add(ids, vectors, parts)`` indexes one vector per row (``parts`` numbers the rows of one
    record, 0, 1, ...; default: the order in which a record's rows come); an id already indexed
    has all its vectors replaced. ``search`` returns, per query row, up to ``k`` records with
    their best passage, best first.
    """

    def __init__(self, path: str | Path, dim: int, encoder: str = "", kind: str = "auto",
                 flat_limit: int = FLAT_LIMIT, nprobe: int | None = None, threads: int | None = None):
        if kind not in KINDS:
            raise ValueError(f"vector index kind must be one of {', '.join(KINDS)}, not {kind!r}")
        if dim < 1:
            raise ValueError(f"dimension must be positive, not {dim}")
        self.path = Path(path)
        self.dim = dim
        self.encoder = encoder
        self.kind = kind
        self.flat_limit = flat_limit
        self.nprobe = nprobe
        self.threads = threads
        self.trained_on = 0
        self._ids: list[str | None] = []
        self._number: dict[str, int] = {}
        self._parts = np.zeros(0, dtype=np.int32)
        self._index: faiss.Index = self._flat()

    # -- structure -------------------------------------------------------------------------
    def _flat(self) -> faiss.Index:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    @property
    def current_kind(self) -> str:
        return "ivf" if isinstance(self._ivf(), faiss.IndexIVF) else "flat"

    def _ivf(self) -> faiss.Index:
        return faiss.extract_index_ivf(self._index) if _is_ivf(self._index) else self._index

    @property
    def ntotal(self) -> int:
        """Vectors held (passages of all records)."""
        return int(self._index.ntotal)

    def __len__(self) -> int:
        return len(self._number)

    def __contains__(self, record_id: str) -> bool:
        return record_id in self._number

    def ids(self) -> list[str]:
        return list(self._number)

    @property
    def cells_scanned(self) -> int | None:
        """``nprobe`` of an inverted file (None for a flat index)."""
        return int(self._ivf().nprobe) if self.current_kind == "ivf" else None

    @cells_scanned.setter
    def cells_scanned(self, nprobe: int) -> None:
        if self.current_kind != "ivf":
            raise ValueError("only an inverted file scans cells")
        self._ivf().nprobe = nprobe
        self.nprobe = nprobe

    def memory_bytes(self) -> int:
        """Size of the faiss index (vectors and lists, without the id mapping)."""
        return len(faiss.serialize_index(self._index))

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every vector held (decoded from int8 in an inverted file) and its faiss id."""
        return self._all_vectors()

    # -- writing ---------------------------------------------------------------------------
    def add(self, ids: Sequence[str], vectors: np.ndarray, parts: Sequence[int] | None = None) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"vectors must have shape (n, {self.dim}), not {vectors.shape}")
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        ids = [str(i) for i in ids]
        if parts is None:
            seen: dict[str, int] = {}
            part_list = []
            for record_id in ids:
                part_list.append(seen.get(record_id, 0))
                seen[record_id] = part_list[-1] + 1
            parts_arr = np.array(part_list, dtype=np.int64)
        else:
            parts_arr = np.asarray(parts, dtype=np.int64)
            if parts_arr.shape != (len(ids),):
                raise ValueError(f"{len(parts_arr)} passage numbers for {len(ids)} vectors")
        if len(parts_arr) and (parts_arr.min() < 0 or parts_arr.max() >= MAX_PARTS):
            raise ValueError(f"passage numbers must be from 0 to {MAX_PARTS - 1}")
        unique = list(dict.fromkeys(ids))
        self.remove([r for r in unique if r in self._number])
        total = self.ntotal + len(ids)
        retrain = self._wants_ivf(total) and (self.current_kind == "flat" or total >= RETRAIN_GROWTH * self.trained_on)
        held = self._all_vectors() if retrain else None
        numbers = np.empty(len(ids), dtype=np.int64)
        new_counts: dict[int, int] = {}
        for record_id in unique:
            self._number[record_id] = len(self._ids)
            self._ids.append(record_id)
        for row, record_id in enumerate(ids):
            numbers[row] = self._number[record_id]
            new_counts[numbers[row]] = max(new_counts.get(numbers[row], 0), int(parts_arr[row]) + 1)
        grown = np.zeros(len(self._ids), dtype=np.int32)
        grown[: len(self._parts)] = self._parts
        for number, count in new_counts.items():
            grown[number] = count
        self._parts = grown
        labels = (numbers << PART_BITS) | parts_arr
        if len(np.unique(labels)) != len(labels):
            raise ValueError("a record has two vectors with the same passage number")
        if held is not None:
            self._train(np.vstack([held[0], vectors]), np.concatenate([held[1], labels]))
        else:
            self._with_threads(lambda: self._index.add_with_ids(vectors, labels))

    def remove(self, ids: Iterable[str]) -> None:
        """Remove every vector of these records (unknown ids are ignored)."""
        numbers = [self._number.pop(str(r)) for r in ids if str(r) in self._number]
        if not numbers:
            return
        labels = self._labels(np.array(numbers, dtype=np.int64))
        for number in numbers:
            self._ids[number] = None
            self._parts[number] = 0
        self._with_threads(lambda: self._index.remove_ids(faiss.IDSelectorBatch(labels)))

    def _labels(self, numbers: np.ndarray) -> np.ndarray:
        counts = self._parts[numbers].astype(np.int64)
        starts = np.repeat(numbers << PART_BITS, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        return starts + offsets

    def _wants_ivf(self, total: int) -> bool:
        return self.kind == "ivf" or (self.kind == "auto" and total >= self.flat_limit)

    def rebuild(self) -> None:
        """Train the index again on the vectors it holds (IVF) or copy them (flat)."""
        self._train(*self._all_vectors())

    def _train(self, vectors: np.ndarray, labels: np.ndarray) -> None:
        """A new index of ``vectors``: an inverted file trained on them, or flat when small."""
        if not len(vectors) or not self._wants_ivf(len(vectors)):
            index = self._flat()
            if len(vectors):
                index.add_with_ids(vectors, labels)
            self._index, self.trained_on = index, 0
            return
        nlist = ivf_cells(len(vectors))
        quantizer = faiss.IndexFlatIP(self.dim)
        index = faiss.IndexIVFScalarQuantizer(quantizer, self.dim, nlist, faiss.ScalarQuantizer.QT_8bit,
                                              faiss.METRIC_INNER_PRODUCT)
        index.cp.spherical = True
        index.cp.niter = 20
        sample = vectors
        if len(vectors) > 40 * nlist:  # faiss asks for at least 39 training points a cell
            rng = np.random.default_rng(0)
            sample = vectors[rng.choice(len(vectors), 40 * nlist, replace=False)]
        self._with_threads(lambda: index.train(sample))
        self._with_threads(lambda: index.add_with_ids(vectors, labels))
        index.nprobe = self.nprobe or default_nprobe(nlist)
        self._index, self.trained_on = index, len(vectors)

    def _all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        live = np.array([n for n, r in enumerate(self._ids) if r is not None], dtype=np.int64)
        labels = self._labels(live) if len(live) else np.zeros(0, dtype=np.int64)
        if not len(labels):
            return np.zeros((0, self.dim), dtype=np.float32), labels
        if isinstance(self._index, faiss.IndexIDMap2):
            flat = faiss.downcast_index(self._index.index)
            raw = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * self.dim).reshape(flat.ntotal, self.dim).copy()
            stored = faiss.vector_to_array(self._index.id_map)
            order = {int(v): i for i, v in enumerate(stored)}
            return raw[[order[int(v)] for v in labels]], labels
        ivf = self._ivf()
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        try:
            vectors = ivf.reconstruct_batch(labels).astype(np.float32)
        finally:
            ivf.set_direct_map_type(faiss.DirectMap.NoMap)
        return vectors, labels

    # -- searching -------------------------------------------------------------------------
    def search(self, vectors: np.ndarray, k: int, allowed_ids: Iterable[str] | None = None) -> list[list[VectorHit]]:
        """For each row of ``vectors``, up to ``k`` records (best passage each), best first."""
        vectors = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise ValueError(f"query vectors must have {self.dim} columns, not {vectors.shape[1]}")
        if k < 1 or self.ntotal == 0:
            return [[] for _ in range(len(vectors))]
        # One thread for a few queries: OpenMP threads waiting on a busy machine cost more than
        # they save (18 ms against 119 ms for one query over 80,000 vectors, measured).
        threads = self.threads or (1 if len(vectors) <= 4 else None)
        params, allowed_vectors = self._params(allowed_ids)
        if allowed_vectors == 0:
            return [[] for _ in range(len(vectors))]
        # Over-fetch passages until k distinct records are found (or everything was fetched).
        budget = min(max(allowed_vectors, 1), self.ntotal)
        fetch = min(budget, max(k * 4, 16))
        results: list[list[VectorHit] | None] = [None] * len(vectors)
        pending = list(range(len(vectors)))
        while pending:
            batch = vectors[pending]
            scores, labels = self._with_threads(
                lambda batch=batch, fetch=fetch: self._index.search(batch, fetch, params=params), threads)
            still = []
            for row, q in enumerate(pending):
                hits = self._records(scores[row], labels[row], k)
                if len(hits) >= k or fetch >= budget or (labels[row] < 0).any():
                    results[q] = hits
                else:
                    still.append(q)
            pending, fetch = still, min(budget, fetch * 4)
        return results  # type: ignore[return-value]

    def _records(self, scores: np.ndarray, labels: np.ndarray, k: int) -> list[VectorHit]:
        hits: dict[int, VectorHit] = {}
        for score, label in zip(scores.tolist(), labels.tolist()):
            if label < 0:
                break
            number = label >> PART_BITS
            if number not in hits:
                record_id = self._ids[number]
                if record_id is None:
                    continue
                hits[number] = VectorHit(record_id, label & (MAX_PARTS - 1), float(score))
                if len(hits) >= k:
                    break
        return list(hits.values())

    def _params(self, allowed_ids: Iterable[str] | None) -> tuple[faiss.SearchParameters | None, int]:
        """faiss search parameters (an id filter, more cells when it is selective) and the
        number of vectors the query may reach."""
        is_ivf = self.current_kind == "ivf"
        nprobe = self._ivf().nprobe if is_ivf else 0
        if allowed_ids is None:
            if is_ivf:
                return faiss.SearchParametersIVF(nprobe=nprobe), self.ntotal
            return None, self.ntotal
        numbers = np.array(sorted({self._number[r] for r in map(str, allowed_ids) if r in self._number}),
                           dtype=np.int64)
        labels = self._labels(numbers) if len(numbers) else np.zeros(0, dtype=np.int64)
        if not len(labels):
            return None, 0
        selector = faiss.IDSelectorBatch(labels)
        if not is_ivf:
            params = faiss.SearchParameters(sel=selector)
        else:
            share = len(labels) / max(self.ntotal, 1)
            nlist = self._ivf().nlist
            params = faiss.SearchParametersIVF(sel=selector, nprobe=int(min(nlist, math.ceil(nprobe / share))))
        params._keep = (selector, labels)  # the selector must outlive the search call
        return params, len(labels)

    def _with_threads(self, call, threads: int | None = None):
        threads = threads or self.threads
        if threads is None:
            return call()
        before = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(threads)
        try:
            return call()
        finally:
            faiss.omp_set_num_threads(before)

    # -- persistence -----------------------------------------------------------------------
    def manifest(self) -> dict:
        ivf = self._ivf()
        return {
            "format": FORMAT, "dim": self.dim, "encoder": self.encoder, "kind": self.kind,
            "current_kind": self.current_kind, "flat_limit": self.flat_limit,
            "nlist": int(ivf.nlist) if self.current_kind == "ivf" else None,
            "nprobe": int(ivf.nprobe) if self.current_kind == "ivf" else None,
            "trained_on": self.trained_on, "records": len(self), "vectors": self.ntotal,
            "quantisation": "int8 scalar" if self.current_kind == "ivf" else "float32",
        }

    def save(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        temporary = self.path / "index.faiss.tmp"
        faiss.write_index(self._index, str(temporary))
        os.replace(temporary, self.path / "index.faiss")
        _write(self.path / "parts.npy", lambda f: np.save(f, self._parts))
        _write(self.path / "ids.json", lambda f: f.write(json.dumps(self._ids).encode()))
        _write(self.path / "manifest.json", lambda f: f.write(json.dumps(self.manifest(), indent=1).encode()))

    @classmethod
    def load(cls, path: str | Path, encoder: str | None = None, threads: int | None = None) -> VectorIndex:
        """The index saved in ``path``; with ``encoder``, refuse an index built by another encoder."""
        path = Path(path)
        manifest_path = path / "manifest.json"
        if not manifest_path.exists():
            raise FileNotFoundError(f"{path} holds no vector index (no manifest.json)")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{manifest_path}: format {manifest.get('format')} is not {FORMAT}; rebuild the index")
        if encoder is not None and manifest["encoder"] != encoder:
            raise ValueError(f"{path} was built with the encoder {manifest['encoder']!r}, not {encoder!r}; "
                             "rebuild the index")
        index = cls(path, manifest["dim"], encoder=manifest["encoder"], kind=manifest["kind"],
                    flat_limit=manifest["flat_limit"], threads=threads)
        index._index = faiss.read_index(str(path / "index.faiss"))
        if index._index.d != index.dim:
            raise ValueError(f"{path}: index.faiss has dimension {index._index.d}, the manifest {index.dim}")
        index._ids = json.loads((path / "ids.json").read_text())
        index._number = {r: n for n, r in enumerate(index._ids) if r is not None}
        index._parts = np.load(path / "parts.npy")
        index.trained_on = manifest["trained_on"]
        if manifest.get("nprobe"):
            index._ivf().nprobe = manifest["nprobe"]
            index.nprobe = manifest["nprobe"]
        if index.ntotal != int(index._parts.sum()):
            raise ValueError(f"{path}: index.faiss holds {index.ntotal} vectors, parts.npy counts "
                             f"{int(index._parts.sum())}; rebuild the index")
        return index


def _is_ivf(index: faiss.Index) -> bool:
    try:
        faiss.extract_index_ivf(index)
    except RuntimeError:
        return False
    return True


def _write(target: Path, write) -> None:
    temporary = target.with_name(target.name + ".tmp")
    with open(temporary, "wb") as handle:
        write(handle)
    os.replace(temporary, target)
