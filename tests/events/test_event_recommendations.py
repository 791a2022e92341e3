"""Reciprocal recommendations: relevant both ways, across Italian and English, without those already asked."""

import numpy as np
import pytest

from ris3hub.events import actions
from ris3hub.events.actions import Entry
from ris3hub.events.recommendations import TextEncoder, reciprocal_matrix, recommend

pytestmark = pytest.mark.django_db


def test_the_dairy_should_meet_the_radar_start_up_first(brokerage):
    recommendations = recommend(brokerage.food, limit=3)
    assert recommendations[0].registration == brokerage.radar
    for r in recommendations:
        assert r.score == pytest.approx(2 * r.for_you * r.for_them / (r.for_you + r.for_them))
    assert [r.score for r in recommendations] == sorted((r.score for r in recommendations), reverse=True)


def test_an_italian_request_finds_the_english_offer(brokerage):
    italian = actions.do_register(
        brokerage.event, brokerage.types["company"], person_name="Carla Poli", email="carla@example.org",
        organisation_name="Ceramiche Sassuolo Spa", consent_terms=True,
        entries=[Entry("request", "Cerchiamo sensori radar per il controllo qualità in linea delle piastrelle"),
                 Entry("offer", "Stabilimento pilota per provare nuove tecnologie di ispezione")])
    actions.do_validate_registration(italian)
    assert recommend(italian, limit=1)[0].registration == brokerage.radar


def test_people_already_asked_are_not_recommended(brokerage):
    actions.do_request_meeting(brokerage.food, brokerage.radar)
    assert brokerage.radar not in [r.registration for r in recommend(brokerage.food, limit=10)]
    assert brokerage.food not in [r.registration for r in recommend(brokerage.radar, limit=10)]


def test_reciprocal_matrix_is_symmetric_and_zero_when_one_side_needs_nothing(brokerage):
    people = [brokerage.food, brokerage.radar, brokerage.fund]
    brokerage.fund.bio = ""
    score = reciprocal_matrix(people)
    assert np.allclose(score, score.T) and np.all(np.diag(score) == 0)
    # The fund publishes no request and no profile text: nothing is worth it for them, so no match.
    assert score[0, 2] == 0 and score[1, 2] == 0 and score[0, 1] > 0


def test_encoder_cache_is_bounded_and_keeps_recent_texts():
    encoder = TextEncoder(size=2)
    first = encoder.encode(["radar", "cheese"])
    encoder.encode(["laser"])
    assert list(encoder._vectors) == ["cheese", "laser"]
    assert np.allclose(encoder.encode(["cheese"])[0], first[1])
    assert encoder.encode([]).shape == (0, 512)


def test_vectors_are_stored_and_read_back_without_encoding(monkeypatch):
    from ris3hub.events import recommendations
    from ris3hub.events.models import TextVector

    first = TextEncoder().encode(["Radar sensors for quality control", "Sensori radar per il controllo qualità"])
    assert TextVector.objects.filter(digest=recommendations.digest("Radar sensors for quality control")).exists()

    def no_model():
        raise AssertionError("the model was asked for a stored text")

    monkeypatch.setattr(recommendations, "_encoder", no_model)
    again = TextEncoder().encode(["Sensori radar per il controllo qualità"])
    assert np.array_equal(again[0], first[1])
    assert float(first[0] @ first[1]) > 0.4  # the same request in two languages
