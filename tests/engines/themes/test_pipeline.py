"""find_themes end to end with a stand-in encoder (the real one is used by test_quality.py)."""

import numpy as np

from ris3hub.engines.themes import find_themes, map_to_targets, theme_label

FINANCE = ["venture capital for startups", "capitale di rischio per le startup", "venture capital funds startups",
           "fondi capitale di rischio startup", "more venture capital", "capitale di rischio imprese"]
SKILLS = ["training technicians skills", "formazione tecnici competenze", "skills training for workers",
          "competenze e formazione dei tecnici", "technicians training", "formazione competenze digitali"]
SYNONYMS = {"capitale": "venture", "rischio": "capital", "formazione": "training", "competenze": "skills",
            "tecnici": "technicians", "fondi": "funds"}


def test_italian_and_english_answers_share_themes(fake_encoder):
    encoder = fake_encoder(SYNONYMS)
    result = find_themes(FINANCE + SKILLS, encoder, n_themes=2)
    assert len(result.themes) == 2
    assert len(set(result.assignment[:6])) == 1 and len(set(result.assignment[6:])) == 1
    assert result.assignment[0] != result.assignment[6]
    finance = result.themes[result.assignment[0] - 1]
    assert finance.size == 6 and finance.members == [0, 1, 2, 3, 4, 5]
    assert set(finance.representatives) <= set(finance.members) and len(finance.representatives) == 3
    assert finance.label == theme_label(finance.keywords)
    assert result.languages[:2] == ["en", "it"]
    assert not result.chosen
    assert np.isclose(np.linalg.norm(finance.centroid), 1.0)


def test_no_answers_no_themes(fake_encoder):
    result = find_themes([], fake_encoder())
    assert result.themes == [] and result.assignment == []


def test_themes_map_to_the_closest_targets():
    centroids = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    targets = np.array([[0.1, 0.9, 0.0], [0.95, 0.1, 0.0], [0.0, 0.0, 1.0]])
    mapped = map_to_targets(centroids, targets, top=2, min_similarity=0.2)
    assert [i for i, _ in mapped[0]] == [1]
    assert [i for i, _ in mapped[1]] == [0]
    assert map_to_targets(centroids, np.zeros((0, 3))) == [[], []]
