"""The search index in the data directory: built once, then kept up to date record by record.

``<data dir>/search/`` holds:

- ``current``: the name of the index folder in use (replaced atomically when a rebuild ends, so
  readers never see half an index);
- ``index-<time>/``: the retriever's files (vectors, BM25, passages: ris3hub.engines.matching),
  ``documents.sqlite3`` (each document's kind, name, source id, facets and text hash) and
  ``manifest.json`` (scope, encoder, counts, times, and a version bumped by every update);
- ``embeddings/``: encoded texts by text hash (ris3hub.search.embeddings), so a rebuild encodes
  only new texts;
- ``lock``: held exclusively while an update writes, shared while a process loads the index.

Updates: saving or deleting a record queues it (IndexChange, by signals); :func:`update_index`
turns the queue into removals and additions of documents, without rebuilding. A process holding
the index in memory reloads it when the manifest's version changes, and applies a short queue
itself before searching (:data:`AUTO_APPLY`), so an edit shows in the next search.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ris3hub import conf
from ris3hub.engines.matching.retrieval import HybridRetriever, Record
from ris3hub.search import documents as docs_module
from ris3hub.search.documents import Document, Facets
from ris3hub.search.embeddings import get_encoder, print_progress
from ris3hub.search.filters import FacetTable

FORMAT = 1
AUTO_APPLY = 200  # queued records a searching process applies itself; more wait for the command
BATCH = 5000


class IndexMissing(RuntimeError):
    """No index has been built in this data directory."""


def search_root() -> Path:
    return conf.data_dir() / "search"


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@contextmanager
def _locked(exclusive: bool) -> Iterator[None]:
    root = search_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_folder() -> Path | None:
    pointer = search_root() / "current"
    if not pointer.exists():
        return None
    folder = search_root() / pointer.read_text().strip()
    return folder if (folder / "manifest.json").exists() else None


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str))
    os.replace(tmp, path)


class DocumentStore:
    """What the index knows of each document besides its vectors: one SQLite table."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS document (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                         "pk INTEGER NOT NULL, name TEXT NOT NULL, source_id TEXT NOT NULL, facets TEXT NOT NULL, "
                         "hash TEXT NOT NULL)")
        self._lock = threading.Lock()

    def put(self, docs: list[Document]) -> None:
        rows = [(d.id, d.kind, d.pk, d.name, d.source_id, json.dumps(d.as_dict()["facets"]), text_hash(d.text))
                for d in docs]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO document VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def remove(self, ids: Iterable[str]) -> None:
        with self._lock, self._db:
            self._db.executemany("DELETE FROM document WHERE id = ?", [(i,) for i in ids])

    def rows(self) -> Iterator[tuple]:
        with self._lock:
            rows = self._db.execute("SELECT id, kind, pk, name, source_id, facets, hash FROM document").fetchall()
        yield from rows

    def hashes(self, ids: Iterable[str]) -> dict[str, str]:
        ids = list(ids)
        out = {}
        with self._lock:
            for start in range(0, len(ids), 900):
                chunk = ids[start:start + 900]
                marks = ",".join("?" * len(chunk))
                out.update(self._db.execute(f"SELECT id, hash FROM document WHERE id IN ({marks})", chunk).fetchall())
        return out

    def close(self) -> None:
        self._db.close()


@dataclass(frozen=True)
class Entry:
    """An indexed document as search results show it."""

    id: str
    kind: str
    pk: int
    name: str
    source_id: str
    facets: Facets


def _facets(data: str) -> Facets:
    raw = json.loads(data)
    return Facets(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


class SearchIndex:
    """An index folder loaded in memory: the retriever, the documents' entries and facet sets."""

    def __init__(self, folder: Path, encoder=None):
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text())
        self.encoder = encoder or get_encoder()
        if self.manifest["encoder"] != self.encoder.name:
            raise ValueError(f"the search index in {folder} was built with the encoder {self.manifest['encoder']!r}, "
                             f"not {self.encoder.name!r}: run `ris3hub search-index rebuild`")
        self.retriever = HybridRetriever.open(folder / "retriever", self.encoder)
        self.store = DocumentStore(folder / "documents.sqlite3")
        self.entries: dict[str, Entry] = {}
        self.table = FacetTable()
        for doc_id, kind, pk, name, source_id, facets, _hash in self.store.rows():
            parsed = _facets(facets)
            self.entries[doc_id] = Entry(doc_id, kind, pk, name, source_id, parsed)
            self.table.add(doc_id, kind, parsed)

    @property
    def version(self) -> int:
        return self.manifest["version"]

    def __len__(self) -> int:
        return len(self.entries)

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(e.kind for e in self.entries.values()).items()))

    # -- writing -------------------------------------------------------------------------------
    def add(self, docs: list[Document], progress: bool = False) -> int:
        """Index ``docs`` (replacing documents of the same ids); returns how many texts were encoded."""
        encoded_before = self.encoder.encoded
        self.encoder.progress = print_progress("encoding") if progress else None
        try:
            for start in range(0, len(docs), BATCH):
                batch = docs[start:start + BATCH]
                self.retriever.index(Record(d.id, d.text, title=d.name) for d in batch)
                self.store.put(batch)
                for d in batch:
                    self.entries[d.id] = Entry(d.id, d.kind, d.pk, d.name, d.source_id, d.facets)
                    self.table.add(d.id, d.kind, d.facets)
        finally:
            self.encoder.progress = None
        return self.encoder.encoded - encoded_before

    def remove(self, ids: Iterable[str]) -> list[str]:
        present = [i for i in ids if i in self.entries]
        if present:
            self.retriever.remove(present)
            self.store.remove(present)
            self.table.remove(present)
            for i in present:
                del self.entries[i]
        return present

    def save(self, progress: bool = False, **manifest_changes) -> None:
        """Write the retriever (it encodes the new words of its vocabulary first) and the manifest."""
        self.encoder.progress = print_progress("encoding new words") if progress else None
        try:
            self.retriever.save()
        finally:
            self.encoder.progress = None
        self.manifest.update(manifest_changes, documents=len(self.entries), counts=self.counts(),
                             version=self.manifest["version"] + 1, updated=time.strftime("%Y-%m-%dT%H:%M:%S"))
        _write_json(self.folder / "manifest.json", self.manifest)

    def close(self) -> None:
        self.store.close()


# -- building ------------------------------------------------------------------------------------


@dataclass
class BuildReport:
    folder: Path
    scope: str
    documents: int
    counts: dict[str, int]
    encoded: int
    seconds: float

    def as_dict(self) -> dict:
        return {"folder": str(self.folder), "scope": self.scope, "documents": self.documents, "counts": self.counts,
                "encoded": self.encoded, "seconds": round(self.seconds, 1)}


def build_index(progress: bool = True, scope: str = "default") -> BuildReport:
    """Index every document of ``scope`` in a new folder, then make it the current one.

    The demo builder calls this last; cached embeddings make a rebuild encode only new texts.
    """
    from ris3hub.search.models import IndexChange

    if scope not in docs_module.SCOPES:
        raise ValueError(f"unknown scope '{scope}'; use one of {', '.join(docs_module.SCOPES)}")
    started = time.monotonic()
    root = search_root()
    root.mkdir(parents=True, exist_ok=True)
    queued_before = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    encoder = get_encoder()
    folder = root / f"index-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    folder.mkdir()
    manifest = {"format": FORMAT, "scope": scope, "encoder": encoder.name, "version": 0,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
    _write_json(folder / "manifest.json", manifest)
    index = SearchIndex(folder, encoder)
    if progress:
        print("reading the documents", file=sys.stderr, flush=True)
    docs = list(docs_module.all_documents(scope))
    encoded = index.add(docs, progress=progress)
    if progress:
        print(file=sys.stderr)
    index.save(progress=progress)
    index.close()
    with _locked(exclusive=True):
        previous = current_folder()
        tmp = root / f"current.{os.getpid()}.tmp"
        tmp.write_text(folder.name)
        os.replace(tmp, root / "current")
        IndexChange.objects.filter(id__lte=queued_before).delete()
    if previous is not None and previous != folder:
        shutil.rmtree(previous)
    encoder.cache.compact()
    report = BuildReport(folder, scope, len(docs), index.counts(), encoded, time.monotonic() - started)
    if progress:
        print(f"\nsearch index: {report.documents} documents, {encoded} texts encoded, {report.seconds:.0f} s",
              file=sys.stderr)
    return report


# -- updating ------------------------------------------------------------------------------------


@dataclass
class UpdateReport:
    changes: int
    removed: int
    added: int
    unchanged: int
    encoded: int
    seconds: float

    def as_dict(self) -> dict:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _apply(index: SearchIndex, limit: int | None, progress: bool) -> UpdateReport:
    from ris3hub.search.models import IndexChange

    started = time.monotonic()
    queued = list(IndexChange.objects.order_by("id")[:limit] if limit else IndexChange.objects.order_by("id"))
    if not queued:
        return UpdateReport(0, 0, 0, 0, 0, 0.0)
    records = docs_module.affected_records((c.model, c.object_id) for c in queued)
    fresh = list(docs_module.documents_of(records, index.manifest["scope"]))
    fresh_ids = {d.id for d in fresh}
    stale = [i for i in docs_module.possible_ids(records) if i in index.entries and i not in fresh_ids]
    known = index.store.hashes(fresh_ids)
    changed = [d for d in fresh if known.get(d.id) != text_hash(d.text)
               or index.entries[d.id].facets != d.facets or index.entries[d.id].name != d.name]
    removed = index.remove(stale)
    encoded = index.add(changed, progress=progress)
    index.save()
    IndexChange.objects.filter(pk__in=[c.pk for c in queued]).delete()
    return UpdateReport(len(queued), len(removed), len(changed), len(fresh) - len(changed), encoded,
                        time.monotonic() - started)


def update_index(progress: bool = False) -> UpdateReport:
    """Apply every queued change to the current index (no rebuild)."""
    if current_folder() is None:
        raise IndexMissing("no search index yet: run `ris3hub search-index rebuild`")
    with _locked(exclusive=True):
        index = SearchIndex(current_folder())
        try:
            report = _apply(index, None, progress)
        finally:
            index.close()
    _loaded.pop(str(search_root()), None)
    return report


def index_status() -> dict:
    """Where the index is, what it holds, and how many changes wait."""
    from ris3hub.search.models import IndexChange

    folder = current_folder()
    status = {"folder": str(folder) if folder else None, "queued_changes": IndexChange.objects.count()}
    if folder is not None:
        manifest = json.loads((folder / "manifest.json").read_text())
        status.update({k: manifest.get(k) for k in ("scope", "encoder", "documents", "counts", "built", "updated",
                                                     "version")})
        status["size_bytes"] = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return status


# -- reading -------------------------------------------------------------------------------------

_loaded: dict[str, SearchIndex] = {}
_loading = threading.Lock()


def _manifest_version(folder: Path) -> int:
    return json.loads((folder / "manifest.json").read_text())["version"]


def open_index(apply_queue: bool = True) -> SearchIndex:
    """The current index, loaded once per process and reloaded when it changed on disk.

    A short queue of changes (up to AUTO_APPLY records) is applied first, so that an edit made in
    the admin shows in the next search; a longer one waits for `ris3hub search-index update`.
    """
    from ris3hub.search.models import IndexChange

    key = str(search_root())
    with _loading:
        folder = current_folder()
        if folder is None:
            raise IndexMissing("no search index yet: run `ris3hub search-index rebuild` (the demo builds one)")
        if apply_queue and 0 < IndexChange.objects.count() <= AUTO_APPLY:
            with _locked(exclusive=True):
                index = _loaded.get(key)
                if index is None or index.folder != folder or index.version != _manifest_version(folder):
                    index = SearchIndex(folder)
                _apply(index, AUTO_APPLY, progress=False)
                _loaded[key] = index
                return index
        index = _loaded.get(key)
        if index is not None and index.folder == folder and index.version == _manifest_version(folder):
            return index
        with _locked(exclusive=False):
            index = SearchIndex(folder)
        _loaded[key] = index
        return index
