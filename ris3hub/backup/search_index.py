"""The search index of the data directory after a restore: it describes the old data, so it goes.

The index (``<data dir>/search/index-*``) is derived from the database, so a backup does not carry
it; after a restore it would point searches at records that no longer exist. It is detached (under
the search index's lock, which searching processes share) and removed; the embedding cache
(``search/embeddings``), keyed by text, is kept so that ``ris3hub search-index rebuild`` encodes only
texts it has not seen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ris3hub.search import indexing


def detach_search_index() -> Path | None:
    """Remove the current search index; returns the folder it was in, or None if there was none."""
    root = indexing.search_root()
    if not (root / "current").exists():
        return None
    with indexing._locked(exclusive=True):
        folder = indexing.current_folder()
        (root / "current").unlink(missing_ok=True)
    indexing._loaded.pop(str(root), None)
    for old in root.glob("index-*"):
        shutil.rmtree(old, ignore_errors=True)
    return folder
