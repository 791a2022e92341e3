import pytest

from ris3hub.engines.matching.lexical import LexicalIndex
from ris3hub.engines.matching.retrieval import HybridRetriever, Record
from ris3hub.engines.matching.vector_index import VectorIndex

RECORDS = [
    Record("ks:1", "We recycle glass waste into tiles.\n\nApplications: building materials; design objects.",
           "Vetro Nuovo"),
    Record("ks:2", "Sensors for water quality in rivers.\n\nFields: monitoring, IoT.", "AcquaSense"),
    Record("cordis:3", "Hydrogen storage in salt caverns (HYSTORE)\n\nLarge scale energy storage", ""),
    Record("cordis:4", "Cybersecurity of 5G networks (SEC5G)", ""),
    Record("cordis:5", "", "Title only project about drones"),
]


@pytest.fixture
def retriever(tmp_path, hash_encoder):
    retriever = HybridRetriever.open(tmp_path / "search", hash_encoder)
    assert retriever.index(RECORDS) == 5
    retriever.save()
    return retriever


def test_hits_carry_passage_and_reasons(retriever):
    hits = retriever.search("glass waste recycling", 3)
    assert hits[0].record_id == "ks:1"
    assert hits[0].passage is not None and "glass waste" in hits[0].passage.text
    assert "glass" in hits[0].matched_terms and "shares the words" in hits[0].why
    assert hits[0].dense_score is not None and hits[0].lexical_score is not None


def test_codes_are_found_by_their_words(retriever):
    assert retriever.search("5G", 1)[0].record_id == "cordis:4"
    assert retriever.search("HYSTORE", 1)[0].record_id == "cordis:3"
    assert retriever.search("drones", 1)[0].record_id == "cordis:5"


def test_filters_and_modes(retriever):
    hits = retriever.search("glass waste recycling", 5, filter_ids=["ks:2", "cordis:4"])
    assert hits and {h.record_id for h in hits} <= {"ks:2", "cordis:4"}
    assert retriever.search("glass", 5, filter_ids=[]) == []
    assert retriever.with_mode("lexical").search("water", 1)[0].record_id == "ks:2"
    assert retriever.with_mode("dense").search("water quality sensors rivers", 1)[0].record_id == "ks:2"
    assert retriever.search("   ", 5) == []
    with pytest.raises(ValueError, match="mode"):
        retriever.with_mode("magic")


def test_update_remove_and_reopen(retriever, tmp_path, hash_encoder):
    retriever.index([Record("ks:2", "Drones that inspect bridges.", "AcquaSense")])
    retriever.remove(["cordis:5"])
    retriever.save()
    reopened = HybridRetriever.open(tmp_path / "search", hash_encoder)
    assert reopened.search("drones", 1)[0].record_id == "ks:2"
    assert "cordis:5" not in {h.record_id for h in reopened.search("title only project", 5)}
    assert reopened.search("drones", 1)[0].passage.text == "Drones that inspect bridges."


def test_an_index_of_another_encoder_is_refused(tmp_path, hash_encoder):
    vectors = VectorIndex(tmp_path / "v", 256, encoder="other-encoder")
    with pytest.raises(ValueError, match="other-encoder"):
        HybridRetriever(hash_encoder, vectors, LexicalIndex(tmp_path / "l"))
    with pytest.raises(ValueError, match="dimensions"):
        HybridRetriever(hash_encoder, VectorIndex(tmp_path / "w", 32), LexicalIndex(tmp_path / "l"))


def test_an_italian_need_finds_english_offers(tmp_path, use_encoder, shared_data):
    from ris3hub.importers.spinoffs import read_spinoffs

    wanted = {"5081", "5561", "7342", "5339"}
    records = []
    for row in read_spinoffs(shared_data / "actors/it-research-spinoffs-knowledge-share.json"):
        if row.data["source_id"] in wanted or len(records) < 8:
            first_paragraph = row.data["description"].split("\n\n")[0]
            records.append(Record(f"ks:{row.data['source_id']}", first_paragraph, row.data["name"]))
    retriever = HybridRetriever.open(tmp_path / "real", use_encoder)
    retriever.index(records)
    retriever.save()
    for query, expected in [("trapianto di microbiota fecale per cani e gatti", "ks:5081"),
                            ("allevamento di sanguisughe medicinali", "ks:5561"),
                            ("test rapido per il glutine nei ristoranti", "ks:7342"),
                            ("robot per la biopsia della prostata", "ks:5339")]:
        hits = retriever.search(query, 3)
        assert expected in [h.record_id for h in hits], query


def test_competence_scores_give_evidence_per_record(retriever):
    from ris3hub.engines.matching.retrieval import competence_scores

    scores = competence_scores(retriever, ["glass recycling", "water sensors"], filter_ids=["ks:1", "ks:2"])
    assert set(scores) <= {"ks:1", "ks:2"}
    score, passage = scores["ks:1"]["glass recycling"]
    assert 0.0 <= score <= 1.0 and "glass" in passage
    assert scores["ks:2"]["water sensors"][0] > scores["ks:1"].get("water sensors", (0.0, ""))[0]
