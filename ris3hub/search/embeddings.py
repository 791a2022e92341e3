"""The text encoder of the settings, with its vectors cached on disk by text hash.

Encoding is the slow step of building the index (several hundred texts a second on two cores);
the cache makes a rebuild encode only texts it has not seen. Vectors are kept per encoder in
``<data dir>/search/embeddings/<encoder>/`` as pairs of numpy files written once each:
``<batch>.keys.npy`` (16-byte BLAKE2b digests of the texts) and ``<batch>.vectors.npy`` (float32
rows). Writers in several processes never write to the same file; :meth:`EmbeddingCache.compact`
merges the batches into one.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ris3hub import conf
from ris3hub.engines.matching.encoders import Encoder, default_encoder

DIGEST_SIZE = 16
ENCODE_BATCH = 512
# Calls with at most this many texts are queries: the encoder's own memory cache serves them.
QUERY_TEXTS = 8


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_SIZE).digest()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-").lower() or "encoder"


def _save_atomic(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.save(f, array)
    os.replace(tmp, path)


class EmbeddingCache:
    """Vectors of texts already encoded by one encoder, on disk."""

    def __init__(self, folder: Path, dim: int):
        self.folder = folder
        self.dim = dim
        self._rows: dict[bytes, tuple[int, int]] = {}
        self._vectors: list[np.ndarray] = []
        self._seen: set[str] = set()

    def _batches(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        names = sorted(p.name[: -len(".keys.npy")] for p in self.folder.glob("*.keys.npy"))
        return [n for n in names if (self.folder / f"{n}.vectors.npy").exists()]

    def refresh(self) -> None:
        """Take in batches written since the last look (by this or another process)."""
        for name in self._batches():
            if name in self._seen:
                continue
            keys = np.load(self.folder / f"{name}.keys.npy")
            vectors = np.load(self.folder / f"{name}.vectors.npy", mmap_mode="r")
            if vectors.shape != (len(keys), self.dim):
                raise ValueError(f"{self.folder / name}.vectors.npy has shape {vectors.shape}; expected "
                                 f"({len(keys)}, {self.dim}): delete the folder {self.folder} to rebuild the cache")
            slot = len(self._vectors)
            self._vectors.append(vectors)
            for row, key in enumerate(keys.tolist()):
                # numpy's bytes dtype drops trailing NUL bytes of a digest: put them back.
                self._rows[key.ljust(DIGEST_SIZE, b"\0")] = (slot, row)
            self._seen.add(name)

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, keys: Sequence[bytes]) -> list[np.ndarray | None]:
        out = []
        for key in keys:
            where = self._rows.get(key)
            out.append(None if where is None else np.asarray(self._vectors[where[0]][where[1]], dtype=np.float32))
        return out

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        if not keys:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{os.getpid()}"
        _save_atomic(self.folder / f"{name}.vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
        _save_atomic(self.folder / f"{name}.keys.npy", np.array(keys, dtype=f"S{DIGEST_SIZE}"))
        slot = len(self._vectors)
        self._vectors.append(np.asarray(vectors, dtype=np.float32))
        for row, key in enumerate(keys):
            self._rows[key] = (slot, row)
        self._seen.add(name)

    def compact(self) -> None:
        """Merge every batch into one (fewer files to open), keeping one vector per text."""
        self.refresh()
        batches = self._batches()
        if len(batches) < 2:
            return
        keys = list(self._rows)
        vectors = np.stack(self.get(keys)) if keys else np.zeros((0, self.dim), dtype=np.float32)
        name = f"{time.time_ns():020d}-{os.getpid()}"
        _save_atomic(self.folder / f"{name}.vectors.npy", vectors)
        _save_atomic(self.folder / f"{name}.keys.npy", np.array(keys, dtype=f"S{DIGEST_SIZE}"))
        for old in batches:
            (self.folder / f"{old}.keys.npy").unlink()
            (self.folder / f"{old}.vectors.npy").unlink()
        self._rows, self._vectors, self._seen = {}, [], set()
        self.refresh()


class CachedEncoder:
    """An Encoder that asks the disk cache first and encodes only what it lacks."""

    def __init__(self, encoder: Encoder, cache: EmbeddingCache):
        self.encoder = encoder
        self.cache = cache
        self.name = encoder.name
        self.dim = encoder.dim
        self.encoded = 0  # texts this process had to encode (not found in the cache)
        self.progress: Callable[[int, int], None] | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        texts = list(texts)
        if len(texts) <= QUERY_TEXTS:
            return self.encoder.encode(texts)
        self.cache.refresh()
        keys = [text_key(t) for t in texts]
        found = self.cache.get(keys)
        missing = list(dict.fromkeys(k for k, v in zip(keys, found) if v is None))
        if missing:
            text_of = dict(zip(keys, texts))
            fresh: dict[bytes, np.ndarray] = {}
            for start in range(0, len(missing), ENCODE_BATCH):
                batch = missing[start:start + ENCODE_BATCH]
                vectors = self.encoder.encode([text_of[k] for k in batch])
                self.cache.put(batch, vectors)
                fresh.update(zip(batch, vectors))
                self.encoded += len(batch)
                if self.progress is not None:
                    self.progress(min(start + ENCODE_BATCH, len(missing)), len(missing))
            found = [v if v is not None else fresh[k] for k, v in zip(keys, found)]
        if not found:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack(found).astype(np.float32, copy=False)


def print_progress(label: str) -> Callable[[int, int], None]:
    """A progress line on standard error: texts encoded so far (across calls) and the rate."""
    started = time.monotonic()
    finished = [0]  # texts of the calls already done

    def report(done: int, total: int) -> None:
        so_far = finished[0] + done
        rate = so_far / max(time.monotonic() - started, 1e-9)
        print(f"\r  {label}: {so_far} new texts ({rate:.0f}/s)", end="", file=sys.stderr, flush=True)
        if done >= total:
            finished[0] += total

    return report


def cache_root() -> Path:
    """RIS3HUB_EMBEDDING_CACHE, else ``<data dir>/search/embeddings``: a folder several data
    directories may share (vectors depend on the text and the encoder only)."""
    root = os.environ.get("RIS3HUB_EMBEDDING_CACHE", "").strip()
    return Path(root).expanduser().resolve() if root else conf.data_dir() / "search" / "embeddings"


@lru_cache(maxsize=1)
def _model(choice: str, threads: str):
    return default_encoder({"RIS3HUB_ENCODER": choice, "RIS3HUB_ENCODER_THREADS": threads})


@lru_cache(maxsize=4)
def _shared(root: str, choice: str, threads: str) -> CachedEncoder:
    encoder = _model(choice, threads)
    return CachedEncoder(encoder, EmbeddingCache(Path(root) / _slug(encoder.name), encoder.dim))


def get_encoder() -> CachedEncoder:
    """The encoder of the settings (RIS3HUB_ENCODER, RIS3HUB_ENCODER_THREADS), loaded once per
    process, with the disk cache of :func:`cache_root`."""
    return _shared(str(cache_root()), os.environ.get("RIS3HUB_ENCODER", ""),
                   os.environ.get("RIS3HUB_ENCODER_THREADS", ""))
