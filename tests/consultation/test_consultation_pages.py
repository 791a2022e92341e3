"""The consultation pages as a person uses them: the public answer page by link, the staff's forms,
results, reports and exports, and the API."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ris3hub.consultation import actions
from ris3hub.consultation.models import Consultation, Response, ThemeRun


def answer_url(c):
    return reverse("consultation:answer", args=[c.slug])


def test_the_public_page_shows_questions_and_consent_and_stores_a_consented_response(client, consultation, q):
    page = client.get(answer_url(consultation))
    assert page.status_code == 200
    html = page.content.decode()
    assert consultation.consent_text in html and "What should the strategy put first?" in html
    assert f'name="q{q.ranking.pk}_0"' in html and f'name="q{q.ranking.pk}_1"' in html
    assert "Clean, safe and affordable energy" in html  # priorities are the ranking's options
    first, second = consultation.strategy.priorities.order_by("code").values_list("pk", flat=True)[:2]
    posted = client.post(answer_url(consultation), {
        f"q{q.open.pk}": "Più fondi per le startup", f"q{q.single.pk}": "citizen",
        f"q{q.multiple.pk}": ["energy", "ICT"], f"q{q.ranking.pk}_0": str(second), f"q{q.ranking.pk}_1": str(first),
        "consent": "on"})
    assert posted.status_code == 302 and posted["Location"] == reverse("consultation:thanks", args=[consultation.slug])
    response = Response.objects.get()
    assert response.consent_text == consultation.consent_text and response.consent_given
    assert response.answers.get(question=q.ranking).choices == [second, first]
    assert response.answers.get(question=q.multiple).choices == ["energy", "ICT"]


def test_without_the_consent_box_the_page_answers_why_and_stores_nothing(client, consultation, q):
    page = client.post(answer_url(consultation), {f"q{q.open.pk}": "Fondi"})
    assert page.status_code == 200
    assert "can only be stored with your consent" in page.content.decode()
    assert not Response.objects.exists()


def test_a_ranking_with_a_repeated_priority_is_refused(client, consultation, q):
    first = consultation.strategy.priorities.order_by("code").first().pk
    page = client.post(answer_url(consultation), {f"q{q.open.pk}": "x", f"q{q.ranking.pk}_0": first,
                                                  f"q{q.ranking.pk}_1": first, "consent": "on"})
    assert "Rank each priority once." in page.content.decode()
    assert not Response.objects.exists()


def test_drafts_are_hidden_and_closed_consultations_say_so(client, consultation, people):
    actions.publish(consultation, False)
    assert client.get(answer_url(consultation)).status_code == 404
    client.force_login(people.staff)
    assert client.get(answer_url(consultation)).status_code == 200
    client.logout()
    actions.publish(consultation, True)
    consultation.identity = Consultation.Identity.SIGNED_IN
    consultation.save()
    page = client.get(answer_url(consultation)).content.decode()
    assert "Sign in to answer this consultation." in page and "<textarea" not in page


@pytest.mark.parametrize("name", ["results", "edit", "report", "report-pdf", "answers-xlsx"])
def test_staff_pages_are_for_staff(client, consultation, people, name):
    url = reverse(f"consultation:{name}", args=[consultation.slug])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    client.force_login(people.citizen)
    assert client.get(url).status_code == 403


def test_staff_create_a_consultation_with_questions(client, people, strategy):
    client.force_login(people.staff)
    assert client.get(reverse("consultation:create")).status_code == 200
    form = {"title": "Energy transition", "slug": "", "description": "", "strategy": strategy.pk,
            "opens": "2026-01-01T09:00", "closes": "", "identity": "anonymous",
            "consent_text": "I agree.", "published": "on",
            "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "0", "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-position": "1", "questions-0-kind": "open", "questions-0-text": "What should change?",
            "questions-0-help_text": "", "questions-0-options": "", "questions-0-ranked": "3",
            "questions-1-position": "2", "questions-1-kind": "single", "questions-1-text": "Who are you?",
            "questions-1-help_text": "", "questions-1-options": "only one", "questions-1-ranked": "3"}
    page = client.post(reverse("consultation:create"), form)
    assert page.status_code == 200 and "at least two options" in page.content.decode()
    form["questions-1-options"] = "company\ncitizen"
    page = client.post(reverse("consultation:create"), form)
    created = Consultation.objects.get(title="Energy transition")
    assert page["Location"] == reverse("consultation:results", args=["energy-transition"])
    assert created.published and created.created_by == people.staff
    assert [q.option_list() for q in created.questions.all()] == [[], ["company", "citizen"]]


def test_results_run_themes_and_show_them_with_charts(client, answered, q, people):
    client.force_login(people.staff)
    results = reverse("consultation:results", args=[answered.slug])
    assert "have not been grouped into themes yet" in client.get(results).content.decode()
    run_themes = reverse("consultation:run-themes", args=[answered.slug])
    posted = client.post(run_themes, {"question": q.open.pk, "themes": "3"})
    assert posted.status_code == 302 and ThemeRun.objects.count() == 1
    html = client.get(results).content.decode()
    run = ThemeRun.objects.get()
    for theme in run.themes.all():
        assert theme.label in html
    assert 'data-figure="figure-1-data"' in html and 'id="figure-4-data"' in html
    assert "<script>" not in html.replace('<script type="application/json"', "")  # no inline JS
    figure = json.loads(html.split('id="figure-1-data" type="application/json">')[1].split("</script>")[0])
    assert figure["data"][0]["type"] == "bar" and sorted(figure["data"][0]["x"]) == [4, 4, 4]
    assert "Funds and capital for startups" in html  # closest priority of the finance theme
    page = client.post(reverse("consultation:run-themes", args=[answered.slug]), {"question": q.open.pk,
                                                                                 "themes": "50"}, follow=True)
    assert "Ensure this value is less than or equal to 40" in page.content.decode()


def test_report_pdf_and_answers_with_their_themes_in_xlsx(client, answered, q, people):
    run = actions.run_themes(q.open, 3)
    client.force_login(people.staff)
    assert "Borda points" in client.get(reverse("consultation:report", args=[answered.slug])).content.decode()
    pdf = client.get(reverse("consultation:report-pdf", args=[answered.slug]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("consultation:answers-xlsx", args=[answered.slug]))
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["answers"].values)
    assert len(rows) == 13
    header = rows[0]
    theme_column = header.index("Q1 theme")
    labels = {f"{t.number}. {t.label}" for t in run.themes.all()}
    assert {row[theme_column] for row in rows[1:]} == labels
    assert len(list(book["themes"].values)) == 4


def test_api_lists_published_consultations_and_shows_themes_to_staff(client, answered, q, people):
    actions.run_themes(q.open, 3)
    listed = client.get("/api/consultations/").json()
    assert [c["slug"] for c in listed] == [answered.slug]
    detail = client.get(f"/api/consultations/{answered.slug}").json()
    assert [question["kind"] for question in detail["questions"]] == ["open", "single", "multiple", "ranking"]
    assert "Blue growth" in detail["questions"][3]["options"]
    url = f"/api/consultations/{answered.slug}/questions/{q.open.pk}/themes"
    refused = client.get(url)  # anonymous: who are you? (a signed-in user without the analyst role gets 403)
    assert refused.status_code == 401 and refused.json()["ok"] is False
    client.force_login(people.staff)
    themes = client.get(url).json()
    assert themes["answers"] == 12 and [t["size"] for t in themes["themes"]] == [4, 4, 4]
    assert all(t["representative_answers"] and t["keywords"] for t in themes["themes"])
