"""Event pages with the test client: who may open what, and the forms behind them."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ris3hub.events.models import CheckIn, FollowUp, Meeting, MeetingRequest, Registration, Slot

pytestmark = pytest.mark.django_db


def url(brokerage, page: str = "") -> str:
    return f"/events/{brokerage.event.slug}/{page}"


PARTICIPANT_PAGES = ["marketplace/", "requests/", "agenda/", "agenda.pdf", "agenda.ics", "follow-up/"]
ORGANISER_PAGES = ["organiser/", "organiser/grid/", "organiser/check-in/", "organiser/plan.xlsx",
                   "organiser/plan.pdf"]


def test_event_list_and_page_are_public(brokerage):
    client = Client()
    listing = client.get("/events/")
    assert listing.status_code == 200 and "Brokerage day" in listing.content.decode()
    page = client.get(url(brokerage)).content.decode()
    assert "Morning" in page and "coffee" in page and "Register" in page
    assert "1 of 3 places taken" not in page and "2 of 3 places taken" in page  # two start-ups registered


@pytest.mark.parametrize("page", PARTICIPANT_PAGES + ORGANISER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(brokerage, page):
    response = Client().get(url(brokerage, page))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/events/brokerage-day/")


@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_participants_cannot_open_organiser_pages(brokerage, logged_in, page):
    assert logged_in(brokerage.food.user).get(url(brokerage, page)).status_code == 403


@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_organisers_and_staff_open_organiser_pages(brokerage, logged_in, page):
    assert logged_in(brokerage.organiser).get(url(brokerage, page)).status_code == 200
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    assert logged_in(staff).get(url(brokerage, page)).status_code == 200


def test_an_organiser_of_another_event_is_a_stranger_here(brokerage, logged_in):
    stranger = get_user_model().objects.create_user("other-organiser", password="x")
    assert logged_in(stranger).get(url(brokerage, "organiser/grid/")).status_code == 403
    assert logged_in(stranger).get(url(brokerage, "marketplace/")).status_code == 403


def test_log_in_with_the_email_in_any_case(brokerage):
    client = Client()
    response = client.post("/accounts/login/", {"username": "Food@Example.org", "password": "s3cret-pass",
                                              "next": url(brokerage, "agenda/")})
    assert response.status_code == 302 and response["Location"] == url(brokerage, "agenda/")
    assert client.get(url(brokerage, "agenda/")).status_code == 200


def test_register_as_a_new_person_makes_an_account_and_waits_for_validation(brokerage):
    client = Client()
    form = {
        "person_name": "Elena Verdi", "email": "elena@example.org", "password": "a-long-pass-phrase",
        "organisation_name": "Verdi Energia Srl", "participation_type": brokerage.types["company"].pk,
        "attendance": "onsite", "sessions": [brokerage.afternoon.pk], "bio": "Energy storage for factories.",
        "consent_terms": "on", "consent_listing": "on",
        "entries-TOTAL_FORMS": "2", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "12",
        "entries-0-kind": "request", "entries-0-cooperation": "technical",
        "entries-0-title": "Batteries for peak shaving", "entries-0-description": "",
        "entries-1-kind": "offer", "entries-1-cooperation": "technical", "entries-1-title": "",
        "entries-1-description": "",
    }
    response = client.post(url(brokerage, "register/"), form)
    assert response.status_code == 302 and response["Location"] == url(brokerage, "agenda/")
    registration = Registration.objects.get(email="elena@example.org")
    assert registration.status == Registration.Status.PENDING
    assert [e.title for e in registration.entries.all()] == ["Batteries for peak shaving"]
    assert list(registration.sessions.all()) == [brokerage.afternoon]
    agenda = client.get(url(brokerage, "agenda/")).content.decode()
    assert "not validated your registration yet" in agenda
    assert client.get(url(brokerage, "marketplace/")).status_code == 403


def test_register_without_consent_shows_the_reason(brokerage):
    response = Client().post(url(brokerage, "register/"), {
        "person_name": "X", "email": "x@example.org", "password": "a-long-pass-phrase", "organisation_name": "X",
        "participation_type": brokerage.types["company"].pk, "attendance": "onsite",
        "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Registration.objects.filter(email="x@example.org").exists()


def test_marketplace_filters_and_request_a_meeting(brokerage, logged_in):
    client = logged_in(brokerage.food.user)
    page = client.get(url(brokerage, "marketplace/")).content.decode()
    assert "Deep Radars Srl" in page and "Whom you should meet" in page
    assert "Caseificio Emiliano" not in page.split("Whom you should meet")[1].split("<h3>")[0]
    filtered = client.get(url(brokerage, "marketplace/"), {"q": "shelf-life"}).content.decode()
    assert "SITEIA.PARMA" in filtered and "Deep Radars Srl" not in filtered
    response = client.post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/"),
                           {"message": "Your radar for our wheels?"})
    assert response.status_code == 302
    request = MeetingRequest.objects.get(requester=brokerage.food, recipient=brokerage.radar)
    assert request.message == "Your radar for our wheels?"
    again = client.post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/"), follow=True)
    assert "you have asked Giulia Neri (Deep Radars Srl) for a meeting already" in again.content.decode()


def test_recipient_accepts_on_the_requests_page(brokerage, logged_in):
    logged_in(brokerage.food.user).post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/"))
    request = MeetingRequest.objects.get()
    client = logged_in(brokerage.radar.user)
    assert "Caseificio Emiliano Spa" in client.get(url(brokerage, "requests/")).content.decode()
    # Only the recipient answers.
    assert logged_in(brokerage.lab.user).post(url(brokerage, f"requests/{request.pk}/answer/"),
                                              {"decision": "accept"}).status_code == 404
    client.post(url(brokerage, f"requests/{request.pk}/answer/"), {"decision": "accept", "message": "Sure"})
    request.refresh_from_db()
    assert request.status == "accepted" and request.response_message == "Sure"
    assert Meeting.objects.filter(request=request).exists()


def test_agenda_lists_placed_meetings_with_partner_contacts(brokerage, logged_in, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    slot = Slot.objects.filter(session=brokerage.morning).order_by("start").first()
    Meeting.objects.filter(pk=meeting.pk).update(slot=slot, place=brokerage.tables[1])
    page = logged_in(brokerage.radar.user).get(url(brokerage, "agenda/")).content.decode()
    assert "09:00-09:20" in page and "Table 2" in page and "Caseificio Emiliano Spa" in page
    assert "food@example.org" in page  # the dairy shares its email
    page = logged_in(brokerage.food.user).get(url(brokerage, "agenda/")).content.decode()
    assert "radar@example.org" not in page  # the start-up does not


def test_follow_up_form_saves_an_answer(brokerage, logged_in, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    Meeting.objects.filter(pk=meeting.pk).update(slot=Slot.objects.filter(session=brokerage.morning).first(),
                                                 place=brokerage.tables[0])
    client = logged_in(brokerage.food.user)
    assert "Deep Radars Srl" in client.get(url(brokerage, "follow-up/")).content.decode()
    prefix = f"m{meeting.pk}"
    response = client.post(url(brokerage, "follow-up/"), {
        "meeting": meeting.pk, f"{prefix}-held": "yes", f"{prefix}-agreement": "on",
        f"{prefix}-agreement_type": "licence", f"{prefix}-next_step": "Draft licence by June"})
    assert response.status_code == 302
    answer = FollowUp.objects.get(meeting=meeting, registration=brokerage.food)
    assert (answer.held, answer.agreement, answer.agreement_type, answer.next_step) == (
        True, True, "licence", "Draft licence by June")


def test_organiser_validates_and_checks_in(brokerage, logged_in):
    from ris3hub.events import actions

    pending = actions.do_register(brokerage.event, brokerage.types["company"], person_name="New Person",
                                  email="new@example.org", organisation_name="New Srl", consent_terms=True)
    client = logged_in(brokerage.organiser)
    assert "New Srl" in client.get(url(brokerage, "organiser/")).content.decode()
    client.post(url(brokerage, f"organiser/registrations/{pending.pk}/validate/"), {"decision": "validate"})
    pending.refresh_from_db()
    assert pending.is_validated and pending.validated_by == brokerage.organiser
    client.post(url(brokerage, "organiser/check-in/"), {"registration": brokerage.food.pk})
    assert CheckIn.objects.filter(registration=brokerage.food).exists()
    page = client.get(url(brokerage, "organiser/check-in/"), {"q": "caseificio"}).content.decode()
    assert "Marco Bianchi" in page and "Giulia Neri" not in page and "1 of 7 participants arrived" in page


def test_lock_from_the_grid(brokerage, logged_in, meet):
    meeting = meet(brokerage.food, brokerage.radar)
    Meeting.objects.filter(pk=meeting.pk).update(slot=Slot.objects.filter(session=brokerage.morning).first(),
                                                 place=brokerage.tables[0])
    client = logged_in(brokerage.organiser)
    grid = client.get(url(brokerage, "organiser/grid/")).content.decode()
    assert f'id="meeting-{meeting.pk}"' in grid and "Run the scheduler" in grid
    client.post(url(brokerage, f"organiser/meetings/{meeting.pk}/lock/"), {"locked": "1"})
    assert Meeting.objects.get(pk=meeting.pk).locked


def test_api_move_answers_409_with_the_reason_and_needs_the_csrf_token(brokerage, meet):
    first = meet(brokerage.food, brokerage.radar)
    second = meet(brokerage.mech, brokerage.radar)
    slot = Slot.objects.filter(session=brokerage.morning).order_by("start").first()
    Meeting.objects.filter(pk=first.pk).update(slot=slot, place=brokerage.tables[0])
    client = Client(enforce_csrf_checks=True)
    move = f"/api/events/{brokerage.event.slug}/meetings/{second.pk}/move"
    body = {"slot": slot.pk, "place": brokerage.tables[1].pk}
    assert Client().post(move, body, content_type="application/json").status_code == 401
    client.force_login(brokerage.organiser)
    assert client.post(move, body, content_type="application/json").status_code == 403  # no CSRF token
    client.get(url(brokerage, "organiser/grid/"))  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    refused = client.post(move, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert refused.status_code == 409
    assert refused.json()["code"] == "conflict" and "already has meeting" in refused.json()["message"]
    free = Slot.objects.filter(session=brokerage.morning).order_by("start")[1]
    moved = client.post(move, {"slot": free.pk, "place": brokerage.tables[1].pk}, content_type="application/json",
                        headers={"X-CSRFToken": token})
    assert moved.status_code == 200
    assert moved.json() | {"participants": None} == {
        "id": second.pk, "participants": None, "priority": 1, "virtual": False, "slot": free.pk,
        "place": brokerage.tables[1].pk, "locked": True, "confirmed": False, "conflicts": []}
    off = client.post(move, {"slot": None, "place": None}, content_type="application/json",
                      headers={"X-CSRFToken": token})
    assert off.status_code == 200 and off.json()["slot"] is None


def test_api_organiser_endpoints_refuse_participants(brokerage, logged_in):
    client = logged_in(brokerage.food.user)
    assert client.get(f"/api/events/{brokerage.event.slug}/meetings").status_code == 403
    public = Client().get(f"/api/events/{brokerage.event.slug}").json()
    assert [s["name"] for s in public["sessions"]] == ["Morning", "Afternoon"]
    assert len(public["sessions"][0]["slots"]) == 5


def test_pages_in_italian(brokerage, logged_in):
    from django.conf import settings

    client = logged_in(brokerage.food.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    page = client.get(url(brokerage, "marketplace/")).content.decode()
    assert "Chi dovresti incontrare" in page and "Chiedi un incontro" in page
    client.post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/"))
    again = client.post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/"), follow=True).content.decode()
    assert "hai già chiesto un incontro a Giulia Neri (Deep Radars Srl)" in again


def test_run_the_scheduler_from_the_grid_and_the_api(brokerage, logged_in, meet):
    meet(brokerage.food, brokerage.radar)
    meet(brokerage.mech, brokerage.radar)
    client = logged_in(brokerage.organiser)
    response = client.post(url(brokerage, "organiser/schedule/"), {"time_limit": "5"}, follow=True)
    page = response.content.decode()
    assert "Scheduled 2 of 2 meetings (upper bound 2, 0 kept in place)" in page
    assert 'data-stat="upper-bound">2<' in page and "gap: proven optimal" in page
    assert Meeting.objects.filter(slot__isnull=False).count() == 2
    assert logged_in(brokerage.food.user).post(url(brokerage, "organiser/schedule/")).status_code == 403
    run = client.post(f"/api/events/{brokerage.event.slug}/schedule", {"time_limit": 5},
                      content_type="application/json").json()
    assert (run["meetings"], run["scheduled"], run["upper_bound"], run["gap"]) == (2, 2, 2, 0)
    problem = client.get(f"/api/events/{brokerage.event.slug}/problem").json()
    assert len(problem["meetings"]) == 2 and len(problem["slots"]) == 8


def test_participant_edits_the_profile_and_entries(brokerage, logged_in):
    client = logged_in(brokerage.radar.user)
    page = client.get(url(brokerage, "profile/")).content.decode()
    assert "Radar sensors for quality control on production lines" in page
    form = {
        "person_name": "Giulia Neri", "organisation_name": "Deep Radars Srl", "attendance": "online",
        "bio": "Radar start-up.", "consent_listing": "on", "lock_version": brokerage.radar.version,
        "entries-TOTAL_FORMS": "3", "entries-INITIAL_FORMS": "2", "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "12",
        "entries-0-kind": "offer", "entries-0-cooperation": "technical",
        "entries-0-title": "Radar sensors for quality control on production lines", "entries-0-description": "",
        "entries-1-kind": "request", "entries-1-cooperation": "commercial", "entries-1-title": "",
        "entries-1-description": "",
        "entries-2-kind": "request", "entries-2-cooperation": "investment", "entries-2-title": "Seed investors",
        "entries-2-description": "",
    }
    assert client.post(url(brokerage, "profile/"), form).status_code == 302
    brokerage.radar.refresh_from_db()
    assert brokerage.radar.attendance == "online" and not brokerage.radar.consent_contact
    assert [(e.kind, e.title) for e in brokerage.radar.entries.order_by("id")] == [
        ("offer", "Radar sensors for quality control on production lines"), ("request", "Seed investors")]
    form["entries-2-title"], form["entries-2-description"] = "", "A description without a title"
    form["lock_version"] = brokerage.radar.version
    response = client.post(url(brokerage, "profile/"), form)
    assert response.status_code == 200 and "Give the entry a title" in response.content.decode()
    # The same form from a page loaded before the last save (another tab): refused, nothing overwritten.
    form["entries-2-title"], form["entries-2-description"], form["bio"] = "Seed investors", "", "Stale bio."
    form["lock_version"] = brokerage.radar.version - 1
    response = client.post(url(brokerage, "profile/"), form)
    assert response.status_code == 200 and "your changes were not saved" in response.content.decode()
    brokerage.radar.refresh_from_db()
    assert brokerage.radar.bio == "Radar start-up."


def test_forms_go_back_only_to_pages_of_the_site(brokerage, logged_in):
    client = logged_in(brokerage.food.user)
    response = client.post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/"),
                           {"next": "https://evil.example/phish"})
    assert response["Location"] == url(brokerage, "marketplace/")
    response = client.post(url(brokerage, f"marketplace/{brokerage.lab.pk}/request/"),
                           {"next": url(brokerage, "marketplace/") + "?q=food"})
    assert response["Location"] == url(brokerage, "marketplace/") + "?q=food"


def test_unlisted_participants_cannot_be_requested(brokerage, logged_in):
    brokerage.radar.consent_listing = False
    brokerage.radar.save()
    client = logged_in(brokerage.food.user)
    assert "Deep Radars" not in client.get(url(brokerage, "marketplace/")).content.decode()
    assert client.post(url(brokerage, f"marketplace/{brokerage.radar.pk}/request/")).status_code == 404
    assert not MeetingRequest.objects.exists()
