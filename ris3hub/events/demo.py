"""A demo brokerage day of the Emilia-Romagna High Technology Network, built from the demo registry.

Participants come from the organisations in the database: university spin-offs of Bologna, Modena
and Reggio Emilia, Parma and Ferrara (their descriptions as offers, what they look for as requests),
the network's laboratories (competences offered, research contracts sought) and companies of the
region with EU projects (their projects as what they look for). Meetings are requested between the
pairs the recommender scores best both ways, accepted through the same actions the pages use, and
scheduled by the engine. People's names are invented; every account shares the demo password.

    from ris3hub.events.demo import build_demo_event
    event = build_demo_event()          # after the registry is imported; returns the Event

The demo builder runs ``demo_step`` (idempotent); ``ris3hub event demo`` rebuilds the event.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q

from ris3hub.events import actions
from ris3hub.events.actions import Entry
from ris3hub.events.models import Cooperation, Event, MeetingRequest, Registration, Session
from ris3hub.events.recommendations import need_matrix
from ris3hub.registry.models import Membership, Organisation, OrganisationKind

SLUG = "er-technology-transfer-day"
DEMO_PASSWORD = "ris3hub-demo"
ORGANISER = "organiser"
UNIVERSITIES = ("Bologna", "Modena e Reggio", "Parma", "Ferrara")
REGION_CITIES = ("BOLOGNA", "MODENA", "PARMA", "FERRARA", "REGGIO EMILIA", "REGGIO NELL'EMILIA", "PIACENZA",
                 "RAVENNA", "RIMINI", "CESENA", "FORLI", "FORLÌ", "IMOLA", "CARPI", "FAENZA", "SASSUOLO",
                 "CASALECCHIO DI RENO", "SAN LAZZARO DI SAVENA", "MARANELLO", "MIRANDOLA", "CENTO")
LOOKING_FOR = {
    "industrial partner": (Cooperation.COMMERCIAL, "Industrial partners to bring the technology to market"),
    "investment funds": (Cooperation.INVESTMENT, "Investors for the next growth round"),
    "grant partner": (Cooperation.RESEARCH, "Partners for joint research and grant proposals"),
    "license": (Cooperation.LICENCE, "Licensees for the patented technology"),
    "consulting": (Cooperation.SERVICES, "Companies needing specialised consulting"),
    "internationalization": (Cooperation.COMMERCIAL, "Partners for international markets"),
}
FIRST_NAMES = ("Giulia", "Marco", "Anna", "Luca", "Sara", "Paolo", "Chiara", "Andrea", "Elena", "Matteo", "Francesca",
               "Davide", "Laura", "Stefano", "Martina", "Alessandro", "Silvia", "Federico", "Valentina", "Simone")
SURNAMES = ("Rossi", "Bianchi", "Neri", "Ferri", "Conti", "Gallo", "Russo", "Greco", "Marchetti", "Barbieri",
            "Fontana", "Lombardi", "Moretti", "Rinaldi", "Galli", "Zanetti", "Benassi", "Malagoli", "Bertoni",
            "Fabbri", "Montanari", "Guidi", "Casadei", "Pedrini")


@dataclass(frozen=True)
class Profile:
    organisation: Organisation
    kind: str  # "startup", "lab", "company"
    bio: str
    entries: list[Entry]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text or "") if s.strip()]


def _short(text: str, limit: int = 190) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _title_case(text: str) -> str:
    """Upper-case project titles from CORDIS read as sentences."""
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


LEGAL_FORMS = {"SPA", "SRL", "SRLS", "SCRL", "SAS", "SNC", "RL", "S.P.A.", "S.R.L.", "S.R.L", "S.P.A"}
PARTICLES = {"E", "ED", "LA", "IL", "LO", "DI", "DEL", "DELLA", "DELLE", "DEI", "PER", "SUI", "SUL", "A", "DA", "IN",
             "CON", "AND", "OF", "THE"}


def _display_name(organisation: Organisation) -> str:
    """Upper-case company names from CORDIS as people write them: "Barilla G. e R. Fratelli SPA"."""
    name = organisation.name
    if organisation.kind != OrganisationKind.COMPANY or not name.isupper():
        return name
    words = []
    for k, word in enumerate(name.split()):
        if word in LEGAL_FORMS:
            words.append(word)
        elif k and word in PARTICLES:
            words.append(word.lower())
        else:
            words.append(word.capitalize() if len(word) > 1 else word)
    return " ".join(words)


def _spinoff_profile(organisation: Organisation) -> Profile:
    sentences = _sentences(organisation.description)
    entries = [Entry("offer", _short(sentences[0]), _short(" ".join(sentences[1:4]), 600), Cooperation.TECHNICAL)]
    for wish in (w.strip().lower() for w in organisation.looking_for.split(";")):
        if wish in LOOKING_FOR:
            cooperation, title = LOOKING_FOR[wish]
            entries.append(Entry("request", title, _short(f"{title} for: {sentences[0]}", 600), cooperation))
    parents = [m.network.name for m in organisation.memberships.select_related("network")
               if m.network.kind == OrganisationKind.UNIVERSITY]
    bio = f"Spin-off of {' and '.join(parents)}." if parents else "Innovative start-up."
    return Profile(organisation, "startup", bio, entries)


def _lab_profile(organisation: Organisation) -> Profile:
    competences = list(organisation.competences.values_list("name", flat=True))
    summary = _short(_sentences(organisation.description)[0])
    entries = [Entry("offer", c, "", Cooperation.RESEARCH) for c in competences] or [
        Entry("offer", summary, "", Cooperation.RESEARCH)]
    field = competences[0].lower() if competences else summary
    entries.append(Entry("request", _short(f"Companies that need {field} in their products"), "",
                         Cooperation.RESEARCH))
    return Profile(organisation, "lab", organisation.description, entries)


def _company_profile(organisation: Organisation) -> Profile:
    projects = list(organisation.participations.select_related("project").order_by("-project__start")[:3])
    entries = []
    for participation in projects:
        title = _title_case(participation.project.title)
        entries.append(Entry("request", _short(f"Technologies and partners for: {title}"),
                             _short(participation.project.abstract, 600), Cooperation.TECHNICAL))
    if projects:
        title = _title_case(projects[0].project.title)
        entries.append(Entry("offer", _short(f"Pilot site and industrial know-how: {title}"),
                             _short(f"Test beds, data and market access from our work on {title}.", 600),
                             Cooperation.COMMERCIAL))
    names = ", ".join(_title_case(p.project.title) for p in projects)
    bio = f"{_display_name(organisation)} ({organisation.city.title()}) took part in EU projects: {names}."
    return Profile(organisation, "company", bio, entries)


def select_profiles(participants: int = 40) -> list[Profile]:
    """About ``participants`` organisations of the region: labs, companies with EU projects, spin-offs."""
    labs = [_lab_profile(o) for o in Organisation.objects.filter(kind=OrganisationKind.LABORATORY)
            .exclude(description="").order_by("name")[:8]]
    in_region = Q(region__code__startswith="ITH5") | Q(city__in=REGION_CITIES) | Q(city__in=[c.title()
                                                                                             for c in REGION_CITIES])
    companies = [_company_profile(o) for o in Organisation.objects.filter(in_region, kind=OrganisationKind.COMPANY)
                 .annotate(projects=Count("participations")).filter(projects__gt=0).order_by("-projects", "name")[:14]]
    university = Q()
    for name in UNIVERSITIES:
        university |= Q(network__name__icontains=name)
    spinoff_ids = (Membership.objects.filter(university, member__kind=OrganisationKind.SPINOFF,
                                             network__kind=OrganisationKind.UNIVERSITY)
                   .values_list("member", flat=True))
    room = max(participants - len(labs) - len(companies), 0)
    spinoffs = [_spinoff_profile(o) for o in Organisation.objects.filter(pk__in=spinoff_ids).exclude(description="")
                .order_by("pk")[:room]]
    return labs + companies + spinoffs


def _event_day(today: date) -> date:
    """The first Thursday at least four weeks ahead, out of the August and Christmas holidays: the demo event
    is always to come.

    >>> _event_day(date(2026, 11, 21)), _event_day(date(2026, 7, 10))
    (datetime.date(2027, 1, 7), datetime.date(2026, 9, 3))
    """
    day = today + timedelta(days=28)
    day += timedelta(days=(3 - day.weekday()) % 7)
    while day.month == 8 or (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 6):
        day += timedelta(days=7)
    return day


def _pairs(registrations: list[Registration], meetings: int, per_person: int) -> list[tuple[int, int, float]]:
    """Pairs of participants of different types, ``(requester, recipient, score)``, the requester being the one
    who needs the other more: first each participant's best match (fewest options first), then the best
    pairs left, at most ``per_person`` each."""
    need = need_matrix(registrations)
    n = len(registrations)
    kinds = [r.participation_type_id for r in registrations]
    score = {}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = need[i, j], need[j, i]
            if a > 0 and b > 0 and kinds[i] != kinds[j]:
                score[i, j] = 2 * a * b / (a + b)
    load = [0] * n
    chosen: list[tuple[int, int, float]] = []

    def take(i: int, j: int) -> None:
        load[i] += 1
        load[j] += 1
        requester, recipient = (i, j) if need[i, j] >= need[j, i] else (j, i)
        chosen.append((requester, recipient, score[min(i, j), max(i, j)]))
        del score[min(i, j), max(i, j)]

    options = [sorted(((s, j if i == k else i) for (i, j), s in score.items() if k in (i, j)), reverse=True)
               for k in range(n)]
    for k in sorted(range(n), key=lambda k: (len(options[k]), k)):
        if load[k] == 0:
            best = next(((s, j) for s, j in options[k] if (min(k, j), max(k, j)) in score and load[j] < per_person),
                        None)
            if best is not None and len(chosen) < meetings:
                take(min(k, best[1]), max(k, best[1]))
    for i, j in sorted(score, key=lambda pair: (-score[pair], pair)):
        if len(chosen) >= meetings:
            break
        if load[i] < per_person and load[j] < per_person:
            take(i, j)
    return chosen


@transaction.atomic
def build_demo_event(today: date | None = None, participants: int = 40, meetings: int = 80,
                     schedule: bool = True, time_limit: float = 20.0) -> Event:
    """Create the demo event (replacing an earlier one) and return it."""
    from django.utils import timezone

    today = today or timezone.localdate()
    Event.objects.filter(slug=SLUG).delete()
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo account shares it
    organiser, _created = User.objects.get_or_create(username=ORGANISER, defaults={
        "email": "organiser@ris3hub.example", "first_name": "Event", "last_name": "Organiser"})
    organiser.password = password
    organiser.save(update_fields=["password"])
    network = (Organisation.objects.filter(name__icontains="Rete Alta Tecnologia").first()
               or Organisation.objects.filter(name__icontains="ART-ER").first())
    event = actions.do_create_event(
        "Technology transfer brokerage day of the Emilia-Romagna High Technology Network", SLUG,
        organisers=[organiser], organising_network=network, venue="Tecnopolo di Bologna, Via Stalingrado 84",
        description=("One-to-one meetings between the laboratories of the High Technology Network, university "
                     "spin-offs and companies of Emilia-Romagna: technologies on offer, research needs, licences "
                     "and investment. Meetings last 20 minutes; the afternoon is hybrid, with virtual rooms for "
                     "participants joining online."),
        request_mode=Event.RequestMode.OPT_IN, request_expiry_hours=72, max_meetings=8, max_requests=12)
    day = _event_day(today)
    actions.do_add_session(event, "Morning meetings", day, time(9, 30), time(13), meeting_minutes=20,
                           breaks=[(time(11), time(11, 20), "coffee break")])
    actions.do_add_session(event, "Afternoon meetings (hybrid)", day, time(14, 30), time(16, 30), meeting_minutes=20,
                           mode=Session.Mode.HYBRID)
    actions.do_add_places(event, 12, "Table")
    for i in range(1, 4):
        actions.do_add_place(event, f"Virtual room {i}", virtual=True, link=f"https://meet.ris3hub.example/{SLUG}-{i}")
    types = {
        "company": actions.do_add_participation_type(event, "Company",
                                                     description="Companies looking for technologies"),
        "lab": actions.do_add_participation_type(event, "Research laboratory",
                                                 description="Laboratories of the High Technology Network"),
        "startup": actions.do_add_participation_type(event, "Start-up / spin-off", max_participants=30,
                                                     description="University spin-offs and innovative start-ups"),
    }
    for kind in types.values():  # a technology-transfer day: each kind meets the two others
        kind.meets.set([other for other in types.values() if other != kind])
    registrations = []
    for k, profile in enumerate(select_profiles(participants)):
        first, surname = FIRST_NAMES[k % len(FIRST_NAMES)], SURNAMES[(k * 7) % len(SURNAMES)]
        email = f"{first}.{surname}.{k + 1}@ris3hub.example".lower()
        user, _created = User.objects.update_or_create(username=email, defaults={
            "email": email, "first_name": first, "last_name": surname, "password": password})
        registration = actions.do_register(
            event, types[profile.kind], person_name=f"{first} {surname}", email=email,
            organisation_name=_display_name(profile.organisation), consent_terms=True, user=user,
            organisation=profile.organisation, bio=profile.bio, entries=profile.entries,
            attendance=Registration.Attendance.ONLINE if k % 9 == 8 else Registration.Attendance.ONSITE,
            consent_contact=k % 3 != 2)
        actions.do_validate_registration(registration, organiser)
        registration.refresh_from_db()
        registrations.append(registration)
    if len(registrations) < 2:
        return event
    pairs = _pairs(registrations, meetings + meetings // 8, per_person=7)
    for n, (i, j, _score) in enumerate(pairs):
        request = actions.do_request_meeting(registrations[i], registrations[j],
                                             "We would like to discuss a possible cooperation.")
        if n < meetings:
            actions.do_accept_request(request, "Happy to meet.")
        elif n % 2:
            actions.do_decline_request(request, "Thank you, we have no need in this area now.")
    if schedule:
        actions.do_schedule_event(event, time_limit=time_limit, by=organiser)
    return event


def demo_summary(event: Event) -> dict[str, int]:
    return {
        "participants": event.registrations.count(),
        "accepted_meetings": event.meetings.count(),
        "scheduled_meetings": event.meetings.filter(slot__isnull=False).count(),
        "waiting_requests": event.meeting_requests.filter(status=MeetingRequest.Status.REQUESTED).count(),
        "places": event.places.count(),
    }


def demo_step(progress: bool = True) -> None:
    """The demo builder's step (ris3hub.core.demo.DEMO_STEPS): the demo event, unless it is there already."""
    existing = Event.objects.filter(slug=SLUG).first()
    if existing is not None and existing.meetings.exists():
        return
    event = build_demo_event()
    if progress:
        summary = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in demo_summary(event).items())
        print(f"  {event.name}: {summary}", file=sys.stderr)
