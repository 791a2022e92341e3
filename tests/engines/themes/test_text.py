from ris3hub.engines.themes import text


def test_content_words_drop_stop_words_of_both_languages():
    assert text.content_words("We need more funding for the SMEs") == ["funding", "smes"]
    assert text.content_words("Servono più fondi per le PMI dell'Appennino") == ["fondi", "pmi", "appennino"]


def test_detect_language_and_column_values():
    assert text.detect_language("Le imprese della regione non trovano tecnici") == "it"
    assert text.detect_language("The companies of the region cannot find technicians") == "en"
    assert [text.normalise_language(v) for v in ("IT", "ita", "Italiano", "en-GB", "English", "fr", "")] == \
        ["it", "it", "it", "en", "en", None, None]


def test_languages_of_prefers_the_given_value_and_fills_unclear_texts_with_the_majority():
    texts = ["Le imprese non trovano tecnici", "Banda ultralarga", "We need engineers", "Più fondi per la ricerca"]
    assert text.languages_of(texts) == ["it", "it", "en", "it"]
    assert text.languages_of(texts, ["en", None, "xx", "IT"]) == ["en", "en", "en", "it"]  # English is the majority now


def test_stems_join_inflections():
    assert text.stems(["finanziamenti", "finanziamento"], "it") == ["finanz", "finanz"]
    assert text.stems(["companies", "company"], "en") == ["compani", "compani"]
