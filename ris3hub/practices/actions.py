"""Writes of the good-practice library and its workshop calendar: each atomic, named for what it
does, used by the views, the API, the demo and the tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ris3hub.practices import permissions
from ris3hub.practices.models import Follow, GoodPractice, Workshop, WorkshopRegistration

# Slugs that are addresses of the library's own pages.
RESERVED_SLUGS = {"new", "login", "logout", "workshops"}


def unique_slug(title: str, model) -> str:
    base = slugify(title)[:70] or model.__name__.lower()
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def create_practice(title: str, summary: str, *, topics: Iterable = (), created_by=None, slug: str = "",
                    **fields: Any) -> GoodPractice:
    practice = GoodPractice(title=title, summary=summary, slug=slug or unique_slug(title, GoodPractice),
                            created_by=created_by, **fields)
    practice.full_clean()
    practice.save()
    if topics:
        practice.topics.set(topics)
    return practice


@transaction.atomic
def follow(practice: GoodPractice, user) -> bool:
    """``user`` follows ``practice``; True when they did not before."""
    if not permissions.can_follow(user):
        raise ValidationError(_("Sign in to follow a practice."))
    created = Follow.objects.get_or_create(practice=practice, user=user)[1]
    return created


@transaction.atomic
def unfollow(practice: GoodPractice, user) -> bool:
    """``user`` no longer follows ``practice``; True when they did."""
    deleted = Follow.objects.filter(practice=practice, user=user).delete()[0]
    return bool(deleted)


@transaction.atomic
def create_workshop(title: str, starts, ends, *, practices: Iterable[GoodPractice] = (), slug: str = "",
                    **fields: Any) -> Workshop:
    workshop = Workshop(title=title, starts=starts, ends=ends, slug=slug or unique_slug(title, Workshop), **fields)
    check_workshop(workshop)
    workshop.full_clean()
    workshop.save()
    if practices:
        workshop.practices.set(practices)
    return workshop


def check_workshop(workshop: Workshop) -> None:
    errors = {}
    if workshop.starts and workshop.ends and workshop.ends <= workshop.starts:
        errors["ends"] = _("The workshop must end after it starts.")
    if not workshop.place and not workshop.online_url:
        errors["place"] = _("Give a place, an online link, or both.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def register_for_workshop(workshop: Workshop, *, name: str, email: str, organisation: str = "",
                          user=None) -> WorkshopRegistration:
    """A place at ``workshop``; refused when it is full, over, or the e-mail is already registered."""
    from django.utils import timezone

    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not workshop.published:
        raise ValidationError(_("This workshop is not published."))
    if workshop.ends <= timezone.now():
        raise ValidationError(_("This workshop is over."))
    email = email.strip().lower()
    if workshop.registrations.filter(email=email).exists():
        raise ValidationError({"email": _("This e-mail address is already registered for this workshop.")})
    if workshop.capacity is not None and workshop.registrations.count() >= workshop.capacity:
        raise ValidationError(_("This workshop is full."))
    registration = WorkshopRegistration(workshop=workshop, name=name.strip(), email=email,
                                        organisation=organisation.strip(),
                                        user=user if user is not None and user.is_authenticated else None)
    registration.full_clean()
    registration.save()
    return registration
