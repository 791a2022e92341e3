import numpy as np

from ris3hub.engines.themes.labels import keywords, representatives


def test_keywords_come_from_both_languages_and_skip_what_the_other_themes_share():
    texts = [
        "More venture capital for start-ups", "Venture capital funds are missing for start-ups",
        "Servono fondi di venture capital per le startup", "Fondi per le startup e garanzie bancarie",
        "Simplify the calls and the reporting", "Meno burocrazia nei bandi e nella rendicontazione",
        "Bandi più semplici, meno burocrazia", "Simplify calls, please, less paperwork",
    ]
    languages = ["en", "en", "it", "it", "en", "it", "it", "en"]
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    words = keywords(texts, languages, labels, count=4)
    assert words[0][0] == "venture capital"
    assert {"fondi", "startup"} & set(words[0])
    assert "burocrazia" in words[1] and "simplify calls" in words[1]
    assert "venture" not in words[0]  # covered by "venture capital"


def test_representatives_are_closest_to_the_centroid():
    vectors = np.array([[1.0, 0.0], [0.9, 0.44], [0.6, 0.8], [0.0, 1.0]])
    assert representatives(vectors, np.array([0, 0, 0, 1]), count=2) == {0: [1, 0], 1: [3]}
