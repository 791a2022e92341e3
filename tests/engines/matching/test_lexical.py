import pytest

from ris3hub.engines.matching.lexical import LexicalIndex, tokenize

DOCS = {
    "a": "Sensors for water quality monitoring in the ITH5 region, funded by H2020.",
    "b": "5G antennas and IoT platforms for smart cities.",
    "c": "Robotica collaborativa e sensori per la logistica.",
    "d": "Life cycle assessment (LCA) of lithium batteries.",
}


def _index(path):
    index = LexicalIndex(path)
    index.add(list(DOCS), list(DOCS.values()))
    return index


def test_codes_stay_whole_and_words_get_both_stems():
    terms = tokenize("H2020 projects in ITH5 with 5G and CO2 sensors")
    assert {"h2020", "ith5", "5g", "co2"} <= set(terms)
    assert {"sensor", "sensors"} <= set(terms)
    assert "robot" in tokenize("robotica") and "robot" in tokenize("robotics")


def test_titles_in_capitals_are_stemmed_like_text():
    assert set(tokenize("RECYCLING OF COMPOSITE MATERIALS")) >= {"recycl", "composit", "materi"}


def test_search_finds_codes_acronyms_and_shared_stems(tmp_path):
    index = _index(tmp_path)
    assert index.search(["ITH5"], 2)[0][0].record_id == "a"
    assert index.search(["h2020"], 2)[0][0].record_id == "a"
    assert index.search(["5G"], 2)[0][0].record_id == "b"
    assert index.search(["LCA"], 2)[0][0].record_id == "d"
    assert index.search(["sensori"], 4)[0][0].record_id in {"a", "c"}
    assert {h.record_id for h in index.search(["sensori"], 4)[0]} == {"a", "c"}
    assert index.search(["nothing matches this"], 3) == [[]]


def test_filters_remove_and_replace(tmp_path):
    index = _index(tmp_path)
    assert [h.record_id for h in index.search(["sensors"], 5, allowed_ids=["c"])[0]] == ["c"]
    index.remove(["a"])
    assert "a" not in index and len(index) == 3
    assert [h.record_id for h in index.search(["ITH5"], 5)[0]] == []
    index.add(["b"], ["hydrogen valleys in ITH5"])
    assert index.search(["ITH5"], 5)[0][0].record_id == "b"
    assert index.search(["antennas"], 5)[0] == []


def test_matched_terms_name_the_query_words(tmp_path):
    index = _index(tmp_path)
    assert index.matched_terms("water sensors in Lombardy", "a") == ["water", "sensors"]
    assert index.matched_terms("anything", "zzz") == []


def test_save_and_load_give_the_same_results(tmp_path):
    index = _index(tmp_path / "lex")
    index.save()
    loaded = LexicalIndex.load(tmp_path / "lex")
    for query in ("sensors", "5G", "batteries LCA"):
        assert index.search([query], 3) == loaded.search([query], 3)
    with pytest.raises(FileNotFoundError):
        LexicalIndex.load(tmp_path / "missing")


def test_a_single_string_is_refused(tmp_path):
    with pytest.raises(TypeError):
        _index(tmp_path).search("sensors", 3)
    with pytest.raises(ValueError):
        LexicalIndex(tmp_path).add(["a", "b"], ["one"])
