"""The good-practice library and its workshop calendar: restricted fields, followers, search,
similar practices, registration with capacity, iCalendar, API, demo."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ris3hub.practices import actions, permissions
from ris3hub.practices.models import Follow, GoodPractice, Workshop
from ris3hub.practices.search import search
from ris3hub.practices.similar import similar_practices

RESTRICTED_TEXT = ["ART-ER Attrattività Ricerca Territorio", "Emilia-Romagna", "editor@example.org",
                   "A model of regional research laboratories serving companies.", "Demo editor"]


def test_restricted_fields_are_hidden_from_anonymous_users_and_shown_to_signed_in_ones(client, practices, people):
    url = practices.network.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Accredited research laboratories" in html and "Laboratories accredited by the region" in html
    for text in RESTRICTED_TEXT:
        assert text not in html
    assert "shown to signed-in users" in html
    client.force_login(people.member)
    html = client.get(url).content.decode()
    for text in RESTRICTED_TEXT:
        assert text in html or text == "editor@example.org"
    assert "editor@example.org" not in html  # the author's e-mail is a contact detail: by role only
    client.force_login(people.staff)
    assert "editor@example.org" in client.get(url).content.decode()


def test_the_api_withholds_the_restricted_fields_from_anonymous_users(client, practices, people):
    url = f"/api/practices/{practices.network.slug}"
    anonymous = client.get(url).json()
    assert anonymous["restricted"] is True
    assert all(anonymous[name] is None for name in permissions.RESTRICTED_FIELDS)
    client.force_login(people.member)
    signed = client.get(url).json()
    assert signed["restricted"] is False
    assert signed["main_institution"] == practices.agency.name and signed["region"] == "ITH5"
    assert signed["author_name"] == "Demo editor" and signed["start_date"] == "2002-01-01"
    assert signed["author_email"] is None  # a contact detail: by role only
    client.force_login(people.staff)
    assert client.get(url).json()["author_email"] == "editor@example.org"
    client.force_login(people.member)
    assert [p["slug"] for p in client.get("/api/practices/?q=laboratories").json()["results"]] == [
        "high-technology-network", "technopoles"]
    assert client.get("/api/practices/draft").status_code == 404


def test_signed_in_users_follow_and_unfollow(client, practices, people):
    follow = reverse("practices:follow", args=[practices.network.slug])
    assert client.post(follow)["Location"].startswith(reverse("accounts:login"))
    client.force_login(people.member)
    client.post(follow)
    client.post(follow)
    assert list(practices.network.followers.all()) == [people.member]
    assert "1 follower" in client.get(practices.network.get_absolute_url()).content.decode()
    client.post(follow, {"action": "unfollow"})
    assert not Follow.objects.exists()
    with pytest.raises(ValidationError):
        actions.follow(practices.network, AnonymousUser())


def test_search_matches_every_word_in_any_text_and_filters_by_region(practices):
    everything = GoodPractice.objects.filter(published=True)
    assert {p.slug for p in search(everything, "laboratories technology")} == {"high-technology-network", "technopoles"}
    assert {p.slug for p in search(everything, "CONSULTATION online")} == {"open-innovation-platform"}
    assert [p.slug for p in search(everything, region=practices.region.pk)] == ["high-technology-network"]


def test_the_list_searches_and_hides_drafts_from_visitors(client, practices, people):
    html = client.get(reverse("practices:list"), {"q": "laboratories"}).content.decode()
    assert "High Technology Network" in html and "Technopoles" in html and "Open innovation platform" not in html
    assert "Draft practice" not in client.get(reverse("practices:list")).content.decode()
    assert client.get(practices.draft.get_absolute_url()).status_code == 404
    client.force_login(people.staff)
    assert "Draft practice" in client.get(reverse("practices:list")).content.decode()


def test_similar_practices_are_the_closest_texts(practices):
    similar = similar_practices(practices.network)
    assert [p.slug for p, _ in similar][0] == "technopoles"
    assert "draft" not in [p.slug for p, _ in similar]
    assert similar[0][1] > similar[-1][1]


def test_staff_create_and_edit_practices(client, practices, people):
    create = reverse("practices:create")
    client.force_login(people.member)
    assert client.get(create).status_code == 403
    client.force_login(people.staff)
    page = client.post(create, {"title": "Innovation vouchers", "summary": "Small grants for SMEs to buy services.",
                                "start_date": "2020-05-01", "end_date": "2019-01-01", "published": "on"})
    assert "The end date is before the start date." in page.content.decode()
    page = client.post(create, {"title": "Innovation vouchers", "summary": "Small grants for SMEs to buy services.",
                                "region": practices.region.pk, "main_institution": practices.agency.pk,
                                "published": "on"})
    created = GoodPractice.objects.get(title="Innovation vouchers")
    assert page["Location"] == created.get_absolute_url()
    assert created.created_by == people.staff and created.main_institution == practices.agency
    edit = reverse("practices:edit", args=[created.slug])
    client.post(edit, {"title": "Innovation vouchers", "summary": "Vouchers.", "published": "",
                       "lock_version": created.version})  # the version the edit page showed (core.locking)
    created.refresh_from_db()
    assert created.summary == "Vouchers." and not created.published


def test_registration_respects_capacity_and_one_place_per_email(workshop):
    actions.register_for_workshop(workshop, name="Anna", email="Anna@Example.org")
    with pytest.raises(ValidationError, match="already registered"):
        actions.register_for_workshop(workshop, name="Anna again", email="anna@example.org")
    actions.register_for_workshop(workshop, name="Bruno", email="bruno@example.org")
    with pytest.raises(ValidationError, match="full"):
        actions.register_for_workshop(workshop, name="Carla", email="carla@example.org")
    assert workshop.places_left() == 0


def test_workshops_need_an_end_after_the_start_and_a_place_or_link(practices):
    starts = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        actions.create_workshop("Webinar", starts, starts - timedelta(hours=1))
    assert set(error.value.message_dict) == {"ends", "place"}
    online = actions.create_workshop("Webinar", starts, starts + timedelta(hours=1), online_url="https://meet.example.org/x")
    assert online.slug == "webinar"


def test_the_calendar_page_registration_page_and_icalendar(client, workshop, people):
    html = client.get(reverse("practices:calendar")).content.decode()
    assert "Learning from the network" in html and "2 of 2 places left" in html
    page = client.post(workshop.get_absolute_url(),
                       {"name": "Anna", "email": "anna@example.org", "organisation": "Lab"})
    assert page.status_code == 302 and workshop.registrations.count() == 1
    page = client.post(workshop.get_absolute_url(), {"name": "Anna", "email": "anna@example.org"})
    assert "already registered" in page.content.decode()
    calendar = Calendar.from_ical(client.get(reverse("practices:calendar-ics")).content)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Learning from the network"]
    assert events[0]["dtstart"].dt == workshop.starts.replace(microsecond=0)
    assert str(events[0]["location"]) == "Bologna"
    assert str(events[0]["url"]).endswith(workshop.get_absolute_url())
    one = client.get(reverse("practices:workshop-ics", args=[workshop.slug]))
    assert one["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in one.content
    assert client.get("/api/practices/workshops/").json()["results"][0]["places_left"] == 1


def test_the_demo_builds_once(db):
    from ris3hub.practices.demo import PRACTICES, WORKSHOPS, build_demo

    build_demo(progress=False)
    build_demo(progress=False)
    assert GoodPractice.objects.count() == len(PRACTICES)
    assert Workshop.objects.count() == len(WORKSHOPS)
    assert all(w.starts > timezone.now() for w in Workshop.objects.all())
