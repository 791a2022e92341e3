"""The demo consultation: Emilia-Romagna's stakeholders asked what the smart specialisation
strategy should put first, with 104 answers in Italian and English (demo_answers.csv, written for
the demo in the voice of companies, researchers, citizens and officials), grouped into themes.

``build_demo(progress)`` is idempotent: it does nothing when the consultation exists.
"""

from __future__ import annotations

import csv
import sys
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ris3hub.consultation import actions
from ris3hub.consultation.models import Consultation, Question
from ris3hub.strategies.models import Strategy

SLUG = "s3-emilia-romagna-priorities"
ANSWERS = Path(__file__).resolve().parent / "demo_answers.csv"
RESPONDENTS = ["SME", "large company", "start-up", "university", "research organisation", "business association",
               "school or training body", "municipality", "non-profit association", "consultant", "citizen"]
OPEN_QUESTION = ("What should the region's smart specialisation strategy put first in the coming years, "
                 "and what holds innovation back today? / Su cosa dovrebbe puntare la strategia di "
                 "specializzazione intelligente nei prossimi anni, e cosa frena oggi l'innovazione?")


def build_demo(progress: bool = True) -> Consultation:
    existing = Consultation.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        consultation = _create()
    question = consultation.questions.get(kind=Question.Kind.OPEN)
    run = actions.run_themes(question)
    if progress:
        print(f"  demo consultation: {consultation.responses.count()} responses, {run.themes.count()} themes",
              file=sys.stderr)
    return consultation


def _create() -> Consultation:
    now = timezone.now()
    strategy = Strategy.objects.filter(region__code="ITH5", period=Strategy.Period.P2021).first()
    consultation = actions.create_consultation(
        "Smart specialisation in Emilia-Romagna: what comes first?", slug=SLUG, strategy=strategy,
        description=("The region asks companies, researchers, public bodies and citizens where the smart "
                     "specialisation strategy should focus and what holds innovation back. Answer in Italian "
                     "or English; all answers are read together.\n\nLa Regione chiede a imprese, ricercatori, "
                     "enti pubblici e cittadini su cosa dovrebbe puntare la strategia. Si può rispondere in "
                     "italiano o in inglese."),
        opens=now - timedelta(days=30), closes=now + timedelta(days=60))
    open_question = actions.add_question(consultation, OPEN_QUESTION, Question.Kind.OPEN, required=True)
    respondent = actions.add_question(consultation, "You answer as / Rispondi come", Question.Kind.SINGLE,
                                      options=RESPONDENTS)
    ranking = None
    if strategy is not None and strategy.priorities.exists():
        ranking = actions.add_question(consultation, "Rank the three priorities that matter most to you / "
                                       "Ordina le tre priorità più importanti per te", Question.Kind.RANKING,
                                       ranked=3)
    actions.publish(consultation)
    priorities = [str(pk) for pk in strategy.priorities.order_by("code").values_list("pk", flat=True)] \
        if ranking else []
    with open(ANSWERS, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows):
        values = {open_question.pk: row["answer"], respondent.pk: row["respondent"]}
        if ranking is not None and i % 3 != 2:  # two respondents in three rank priorities
            start = (i * 7) % len(priorities)
            rotated = priorities[start:] + priorities[:start]
            values[ranking.pk] = (rotated[::2] + rotated[1::2])[:3]
        actions.submit_response(consultation, values, consent=True, language=row["language"],
                                now=now - timedelta(days=29) + timedelta(hours=6 * i))
    return consultation
