from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ris3hub.consultation import actions
from ris3hub.consultation.models import Answer, Consultation, Question, Response, Theme
from ris3hub.consultation.summary import borda, summarise


def test_a_response_records_the_consent_given_and_its_text(consultation, q, people):
    before = timezone.now()
    response = actions.submit_response(consultation, {q.open.pk: "Più fondi per le startup"}, consent=True,
                                       user=people.citizen, language="it")
    assert response.consent_given >= before
    assert response.consent_text == consultation.consent_text
    assert response.user is None  # an anonymous consultation never links an answer to its account
    assert response.language == "it"
    assert [a.text for a in response.answers.all()] == ["Più fondi per le startup"]


def test_without_consent_nothing_is_stored(consultation, q):
    with pytest.raises(ValidationError, match="consent"):
        actions.submit_response(consultation, {q.open.pk: "Fondi"}, consent=False)
    assert not Response.objects.exists()


def test_invalid_answers_are_refused_question_by_question(consultation, q):
    with pytest.raises(ValidationError) as error:
        actions.submit_response(consultation, {q.open.pk: "", q.single.pk: "astronaut",
                                               q.multiple.pk: ["energy", "space"]}, consent=True)
    messages = error.value.message_dict
    assert messages[str(q.open.pk)] == ["This question needs an answer."]
    assert "astronaut" in messages[str(q.single.pk)][0]
    assert "space" in messages[str(q.multiple.pk)][0]
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_rankings_store_priority_ids_in_order_and_refuse_repeats_and_extra_places(consultation, q):
    first, second, third = consultation.strategy.priorities.order_by("code").values_list("pk", flat=True)[:3]
    response = actions.submit_response(consultation, {q.open.pk: "x", q.ranking.pk: [str(second), str(first)]},
                                       consent=True)
    assert response.answers.get(question=q.ranking).choices == [second, first]
    with pytest.raises(ValidationError, match="once"):
        actions.submit_response(consultation, {q.open.pk: "x", q.ranking.pk: [str(first), str(first)]}, consent=True)
    with pytest.raises(ValidationError, match="at most 2"):
        actions.submit_response(consultation, {q.open.pk: "x", q.ranking.pk: [str(first), str(second), str(third)]},
                                consent=True)


def test_closed_unpublished_and_future_consultations_are_refused(consultation, q):
    now = timezone.now()
    consultation.closes = now - timedelta(minutes=1)
    consultation.save()
    with pytest.raises(ValidationError, match="closed"):
        actions.submit_response(consultation, {q.open.pk: "x"}, consent=True)
    consultation.closes, consultation.opens = None, now + timedelta(days=1)
    consultation.save()
    with pytest.raises(ValidationError, match="not open yet"):
        actions.submit_response(consultation, {q.open.pk: "x"}, consent=True)
    actions.publish(consultation, False)
    with pytest.raises(ValidationError, match="not published"):
        actions.submit_response(consultation, {q.open.pk: "x"}, consent=True)


def test_signed_in_consultations_link_one_response_to_each_user(consultation, q, people):
    consultation.identity = Consultation.Identity.SIGNED_IN
    consultation.save()
    with pytest.raises(ValidationError, match="Sign in"):
        actions.submit_response(consultation, {q.open.pk: "x"}, consent=True)
    response = actions.submit_response(consultation, {q.open.pk: "x"}, consent=True, user=people.citizen)
    assert response.user == people.citizen
    with pytest.raises(ValidationError, match="already answered"):
        actions.submit_response(consultation, {q.open.pk: "y"}, consent=True, user=people.citizen)


def test_questions_and_publication_are_checked(strategy, people):
    c = actions.create_consultation("Empty", created_by=people.staff)
    with pytest.raises(ValidationError, match="without questions"):
        actions.publish(c)
    with pytest.raises(ValidationError, match="two options"):
        actions.add_question(c, "Pick one", Question.Kind.SINGLE, options=["only"])
    with pytest.raises(ValidationError, match="strategy"):
        actions.add_question(c, "Rank", Question.Kind.RANKING)
    c.strategy = strategy
    c.save()
    assert actions.add_question(c, "Rank", Question.Kind.RANKING).position == 1
    assert actions.create_consultation("Empty", created_by=people.staff).slug == "empty-2"
    assert actions.create_consultation("New").slug == "new-2"  # "new" is the address of the create page


def test_themes_group_both_languages_and_map_to_the_closest_priorities(answered, q, stand_in_encoder):
    run = actions.run_themes(q.open, 3)
    themes = list(Theme.objects.filter(run=run).order_by("number"))
    assert [t.size for t in themes] == [4, 4, 4] and run.answers == 12
    by_first_answer = {t.answers.order_by("id").first().text: t for t in themes}
    finance = by_first_answer["More venture capital funds for startups"]
    assert {a.text for a in finance.answers.all()} == {
        "More venture capital funds for startups", "Servono fondi di capitale per le startup",
        "Funds and capital for startups", "Finanziamenti e fondi per startup innovative"}
    assert finance.representative_links.count() == 3
    assert finance.keywords and finance.label
    assert finance.priority_links.first().priority.code == "T09"
    energy = by_first_answer["Clean renewable energy for companies"]
    assert energy.priority_links.first().priority.code == "T01"


def test_themes_need_enough_answers_and_an_open_question(consultation, q):
    with pytest.raises(ValidationError, match="at least 3 answers"):
        actions.run_themes(q.open)
    with pytest.raises(ValidationError, match="open questions"):
        actions.run_themes(q.single)


def test_summary_counts_choices_scores_rankings_and_reads_the_latest_themes(answered, q):
    actions.run_themes(q.open, 2)
    actions.run_themes(q.open, 3)
    summary = summarise(answered)
    assert summary.responses == 12 and summary.anonymous == 12
    by_kind = {s.kind: s for s in summary.questions}
    assert dict(by_kind["single"].counts) == {"company": 4, "researcher": 4, "citizen": 4}
    assert dict(by_kind["multiple"].counts) == {"energy": 6, "health": 6, "ICT": 6}
    assert sum(points for _, points, _ in by_kind["ranking"].scores) == 12 * 3
    assert len(by_kind["open"].themes) == 3
    assert by_kind["open"].unthemed == 0


def test_borda_points():
    assert borda([["a", "b", "c"], ["c"]], [("a", "A"), ("b", "B"), ("c", "C")]) == [
        ("A", 3, 1), ("C", 2, 1), ("B", 2, 0)]


def test_the_demo_consultation_is_built_once_with_its_themes(strategy):
    from ris3hub.consultation.demo import SLUG, build_demo

    consultation = build_demo(progress=False)
    assert build_demo(progress=False) == consultation
    assert consultation.slug == SLUG and consultation.is_open()
    assert consultation.responses.count() == 104
    assert {q.kind for q in consultation.questions.all()} == {"open", "single", "ranking"}
    run = consultation.questions.get(kind="open").theme_runs.get()
    assert run.answers == 104 and sum(t.size for t in run.themes.all()) == 104
