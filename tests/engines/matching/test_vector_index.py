import numpy as np
import pytest

from ris3hub.engines.matching.vector_index import VectorIndex, ivf_cells


def _unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _clustered(n, dim=32, centres=40, seed=0):
    rng = np.random.default_rng(seed)
    middle = rng.normal(size=(centres, dim))
    return _unit(middle[rng.integers(0, centres, n)] + 0.4 * rng.normal(size=(n, dim)))


def test_flat_search_is_exact_and_returns_the_best_passage(tmp_path):
    vectors = _clustered(300)
    ids = [f"r{i // 3}" for i in range(300)]  # 100 records of 3 passages
    index = VectorIndex(tmp_path, 32)
    index.add(ids, vectors)
    assert len(index) == 100 and index.ntotal == 300 and index.current_kind == "flat"
    query = vectors[7:8]
    hits = index.search(query, 5)[0]
    scores = vectors @ query[0]
    best_per_record = {}
    for row, record in enumerate(ids):
        best_per_record[record] = max(best_per_record.get(record, -2), scores[row])
    expected = sorted(best_per_record, key=lambda r: -best_per_record[r])[:5]
    assert [h.record_id for h in hits] == expected
    assert hits[0].record_id == "r2" and hits[0].part == 1
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)


def test_update_remove_and_filter(tmp_path):
    vectors = _clustered(50)
    index = VectorIndex(tmp_path, 32)
    index.add([f"r{i}" for i in range(50)], vectors)
    index.add(["r3"], vectors[10:11])  # r3 now holds r10's vector only
    assert index.ntotal == 50
    assert {h.record_id for h in index.search(vectors[10:11], 2)[0]} == {"r3", "r10"}
    assert all(h.record_id != "r3" or h.score < 0.999 for h in index.search(vectors[3:4], 5)[0])
    index.remove(["r10", "unknown"])
    assert "r10" not in index and index.ntotal == 49
    allowed = ["r1", "r2", "r40"]
    hits = index.search(vectors[40:41], 10, allowed_ids=allowed)[0]
    assert hits[0].record_id == "r40" and {h.record_id for h in hits} <= set(allowed)
    assert index.search(vectors[:1], 3, allowed_ids=["nobody"]) == [[]]


def test_save_and_load(tmp_path):
    vectors = _clustered(120)
    index = VectorIndex(tmp_path / "v", 32, encoder="enc-a")
    index.add([f"r{i % 40}" for i in range(120)], vectors)
    index.remove(["r5"])
    index.save()
    loaded = VectorIndex.load(tmp_path / "v", encoder="enc-a")
    assert loaded.search(vectors[:4], 5) == index.search(vectors[:4], 5)
    with pytest.raises(ValueError, match="enc-b"):
        VectorIndex.load(tmp_path / "v", encoder="enc-b")
    with pytest.raises(FileNotFoundError):
        VectorIndex.load(tmp_path / "nothing")


def test_an_auto_index_becomes_ivf_once_and_then_grows_without_retraining(tmp_path):
    vectors = _clustered(6000, seed=1)
    index = VectorIndex(tmp_path, 32, flat_limit=3000, nprobe=64)
    index.add([f"r{i}" for i in range(2000)], vectors[:2000])
    assert index.current_kind == "flat"
    index.add([f"r{i}" for i in range(2000, 4000)], vectors[2000:4000])
    assert index.current_kind == "ivf" and index.trained_on == 4000
    index.add([f"r{i}" for i in range(4000, 6000)], vectors[4000:])
    assert index.trained_on == 4000 and index.ntotal == 6000
    exact = VectorIndex(tmp_path / "flat", 32, kind="flat")
    exact.add([f"r{i}" for i in range(6000)], vectors)
    queries = vectors[::97]
    approx_hits, exact_hits = index.search(queries, 10), exact.search(queries, 10)
    recall = np.mean([len({h.record_id for h in a} & {h.record_id for h in e}) / 10
                      for a, e in zip(approx_hits, exact_hits)])
    assert recall >= 0.9
    index.remove(["r1", "r4500"])
    assert index.ntotal == 5998 and "r4500" not in {h.record_id for h in index.search(vectors[4500:4501], 5)[0]}
    index.save()
    assert VectorIndex.load(tmp_path).current_kind == "ivf"


def test_bad_input_is_refused(tmp_path):
    index = VectorIndex(tmp_path, 8)
    with pytest.raises(ValueError, match="shape"):
        index.add(["a"], np.zeros((1, 9)))
    with pytest.raises(ValueError, match="ids"):
        index.add(["a", "b"], np.zeros((1, 8)))
    with pytest.raises(ValueError, match="passage numbers"):
        index.add(["a"], np.ones((1, 8)), parts=[5000])
    with pytest.raises(ValueError, match="same passage number"):
        index.add(["a", "a"], np.ones((2, 8)), parts=[0, 0])
    with pytest.raises(ValueError, match="kind"):
        VectorIndex(tmp_path, 8, kind="hnsw")


def test_ivf_cells_grow_with_the_square_root():
    assert ivf_cells(1_000_000) == 4096 and ivf_cells(100_000) == 1024
