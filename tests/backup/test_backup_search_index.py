"""After a restore the search index of the data directory goes; the embedding cache stays."""

from ris3hub.backup.search_index import detach_search_index
from ris3hub.search.indexing import current_folder


def test_the_old_index_goes_and_the_embedding_cache_stays(tmp_path, monkeypatch):
    monkeypatch.setenv("RIS3HUB_DATA_DIR", str(tmp_path))
    root = tmp_path / "search"
    (root / "index-20250101-000000-1").mkdir(parents=True)
    (root / "index-20250101-000000-1" / "manifest.json").write_text("{}")
    (root / "current").write_text("index-20250101-000000-1")
    (root / "embeddings").mkdir()
    (root / "embeddings" / "cache.bin").write_bytes(b"vectors")
    assert current_folder() is not None

    assert detach_search_index() == root / "index-20250101-000000-1"
    assert current_folder() is None
    assert not (root / "index-20250101-000000-1").exists()
    assert (root / "embeddings" / "cache.bin").read_bytes() == b"vectors"
    assert detach_search_index() is None  # nothing left to detach
