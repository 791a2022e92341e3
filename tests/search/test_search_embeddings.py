"""The disk cache of encoded texts: only new texts reach the encoder; processes share batches."""

import numpy as np
import pytest

from ris3hub.search.embeddings import CachedEncoder, EmbeddingCache, text_key


class CountingEncoder:
    name = "counting"
    dim = 4

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += list(texts)
        return np.array([[len(t), 1.0, 0.0, float(i)] for i, t in enumerate(texts)], dtype=np.float32)


def test_only_new_texts_are_encoded_and_batches_are_shared(tmp_path):
    folder = tmp_path / "cache"
    inner = CountingEncoder()
    encoder = CachedEncoder(inner, EmbeddingCache(folder, 4))
    texts = [f"text {i}" for i in range(20)]
    first = encoder.encode(texts)
    assert len(inner.seen) == 20 and encoder.encoded == 20
    again = encoder.encode([*texts[5:], "new one", *texts[:5]] + ["another"] * 3)
    assert inner.seen[20:] == ["new one", "another"]
    np.testing.assert_array_equal(again[:15], first[5:])

    # Another process (another cache object) reads the batches written by the first.
    other_inner = CountingEncoder()
    other = CachedEncoder(other_inner, EmbeddingCache(folder, 4))
    np.testing.assert_array_equal(other.encode(texts), first)
    assert other_inner.seen == []

    other.cache.compact()
    assert len(list(folder.glob("*.keys.npy"))) == 1 and len(other.cache) == 22
    np.testing.assert_array_equal(other.cache.get([text_key("text 3")])[0], first[3])


def test_queries_skip_the_disk(tmp_path):
    inner = CountingEncoder()
    encoder = CachedEncoder(inner, EmbeddingCache(tmp_path / "cache", 4))
    encoder.encode(["one query"])
    assert not (tmp_path / "cache").exists()
    with pytest.raises(TypeError):
        encoder.encode("not a list")


def test_a_damaged_batch_is_reported(tmp_path):
    folder = tmp_path / "cache"
    CachedEncoder(CountingEncoder(), EmbeddingCache(folder, 4)).encode([f"t{i}" for i in range(10)])
    vectors = next(folder.glob("*.vectors.npy"))
    np.save(vectors, np.zeros((3, 4), dtype=np.float32))
    with pytest.raises(ValueError, match="delete the folder"):
        EmbeddingCache(folder, 4).refresh()
