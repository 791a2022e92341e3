import itertools
from pathlib import Path

from ris3hub.engines.matching.passages import (
    MAX_WORDS,
    PassageStore,
    enclosing,
    sentences,
    split_chunks,
    split_passages,
)
from ris3hub.importers.spinoffs import read_spinoffs


def _spinoff_texts(shared_data: Path, n: int = 40) -> list[str]:
    texts = []
    for row in read_spinoffs(shared_data / "actors/it-research-spinoffs-knowledge-share.json"):
        heading, items = row.data["enabling_technologies"]
        texts.append(row.data["description"] + "\n\n" + heading + ": " + "; ".join(items))
        if len(texts) >= n:
            break
    return texts


def test_passages_keep_offsets_and_sizes_on_real_texts(shared_data):
    for text in _spinoff_texts(shared_data):
        passages = split_passages(text)
        assert passages
        for n, passage in enumerate(passages):
            assert passage.part == n
            assert text[passage.start:passage.end] == passage.text
            assert len(passage.text.split()) <= MAX_WORDS
        # passages follow each other and skip only blank space
        for before, after in itertools.pairwise(passages):
            assert before.end <= after.start
            assert not text[before.end:after.start].strip(" \n•")


def test_no_passage_spans_a_paragraph_break():
    text = "First field, one sentence.\n\nSecond field. Still second."
    assert [p.text for p in split_passages(text)] == ["First field, one sentence.", "Second field. Still second."]


def test_sentences_do_not_end_at_abbreviations_or_initials():
    text = "Spin-off S.r.l. of Prof. J. Rossi, e.g. for 5G. Next one starts here."
    assert [text[s:e] for s, e in sentences(text)] == [
        "Spin-off S.r.l. of Prof. J. Rossi, e.g. for 5G.", "Next one starts here."]


def test_bullets_are_sentences():
    text = "Applications:\n• water treatment\n• air monitoring"
    assert [text[s:e] for s, e in sentences(text)] == ["Applications:", "water treatment", "air monitoring"]


def test_a_long_sentence_is_cut_at_clauses_then_words():
    clause = " ".join(["word"] * 40)
    text = f"{clause}, {clause}; {' '.join(['x'] * 130)}."
    passages = split_passages(text)
    assert all(len(p.text.split()) <= MAX_WORDS for p in passages)
    assert sum(len(p.text.split()) for p in passages) == len(text.split())


def test_empty_and_blank_texts_have_no_passages():
    assert split_passages("") == []
    assert split_passages("  \n\n ") == []
    assert split_chunks("") == []


def test_chunks_are_windows_inside_sentences():
    text = " ".join(f"w{i}" for i in range(30)) + ". Short one."
    chunks = split_chunks(text, size=12, stride=6)
    assert [len(c.text.split()) for c in chunks] == [12, 12, 12, 12, 2]
    assert chunks[1].text.split()[0] == "w6"
    assert all(text[c.start:c.end] == c.text for c in chunks)
    passages = split_passages(text)
    assert enclosing(passages, chunks[-1].start).text.endswith("Short one.")


def test_passage_store_keeps_passages_and_chunks(tmp_path):
    store = PassageStore(tmp_path / "p.sqlite3")
    text = "Alpha beta gamma. Delta epsilon.\n\nZeta eta theta."
    passages = split_passages(text)
    store.put_many([("r1", passages, [0, 0, 1]), ("r2", passages[:1], [0])])
    assert len(store) == 2
    assert store.of_chunk("r1", 2).text == "Zeta eta theta."
    assert store.of_chunk("r1", 9) is None
    assert [p.text for p in store.passages("r1")] == [p.text for p in passages]
    store.put_many([("r1", passages[1:], [0])])
    assert [p.text for p in store.passages("r1")] == ["Zeta eta theta."]
    store.remove(["r2"])
    store.close()
    reopened = PassageStore(tmp_path / "p.sqlite3")
    assert set(reopened.passages_of(["r1", "r2", "r3"])) == {"r1"}
