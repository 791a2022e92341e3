import pytest

from ris3hub.engines.matching.vocabulary import Vocabulary, words_of

TEXTS = [
    "Hydroponic farming of vegetables without soil.",
    "Hydroponic systems and aquaponic greenhouses.",
    "Medicinal leeches for toxicology tests.",
    "Leeches bred for research, toxicology services.",
    "Glass waste recycling.",
    "Glass recycling plants.",
]


def test_unknown_words_are_translated_to_indexed_words(tmp_path, use_encoder):
    vocabulary = Vocabulary(tmp_path)
    vocabulary.add(TEXTS)
    assert vocabulary.refresh(use_encoder) > 0
    assert vocabulary.refresh(use_encoder) == 0
    translated = vocabulary.translate("coltivazione idroponica e riciclo del vetro", use_encoder)
    assert "hydroponic" in translated["idroponica"]
    assert "glass" in translated["vetro"]
    assert vocabulary.translate("hydroponic glass", use_encoder) == {}  # known words stay as they are


def test_the_query_chooses_among_the_translations_of_an_ambiguous_word(tmp_path, use_encoder):
    vocabulary = Vocabulary(tmp_path)
    vocabulary.add(["Consistent results across consistent tests.", "Data consistency in databases.",
                    "Consistency of cloud storage.", "Coherent Raman scattering microscopy.",
                    "Coherent light sources and coherent imaging.", "Fabric and textile dyeing.", "Fabrics for fashion.",
                    "Tissue imaging of tumour margins.", "Healthy tissue and tumour tissue.", "Raman imaging of cancer."])
    vocabulary.refresh(use_encoder)
    query = "imaging Raman coerente per distinguere il tessuto tumorale"
    assert vocabulary.translate(query, use_encoder)["coerente"][0] == "consistency"  # the word alone
    in_context = vocabulary.translate(query, use_encoder, in_context=True)
    assert in_context["coerente"][0] == "coherent"
    assert in_context["tessuto"][0] == "tissue"


def test_weights_favour_rare_words_and_survive_save_and_load(tmp_path, use_encoder):
    vocabulary = Vocabulary(tmp_path / "v", min_count=1)
    vocabulary.add(TEXTS + ["glass and more glass"])
    vocabulary.refresh(use_encoder)
    assert vocabulary.weight("vegetables") > vocabulary.weight("glass")
    vocabulary.save()
    loaded = Vocabulary.load(tmp_path / "v")
    assert loaded.documents == 7 and loaded.counts == vocabulary.counts
    assert loaded.translate("vetro", use_encoder) == vocabulary.translate("vetro", use_encoder)
    with pytest.raises(FileNotFoundError):
        Vocabulary.load(tmp_path / "none")


def test_words_are_letters_only_without_stop_words():
    assert words_of("The 5G network of Lombardia, e la sua rete") == ["network", "lombardia", "rete"]
