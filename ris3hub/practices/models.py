"""Good practices in the Interreg Europe format, their followers, and the workshops and
dissemination events that spread them (with registration).

The main institution, region, dates, author contact and expert opinion of a practice are for
signed-in users only (ris3hub.practices.permissions.RESTRICTED_FIELDS). Writes go through
ris3hub.practices.actions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import VersionedModel


class GoodPractice(VersionedModel):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(_("summary"), help_text=_("A few sentences: what the practice is and what it achieved"))
    description = models.TextField(_("detailed description"), blank=True)
    resources_needed = models.TextField(_("resources needed"), blank=True,
                                        help_text=_("Budget, staff and other resources the practice takes"))
    timescale = models.CharField(_("timescale"), max_length=300, blank=True,
                                 help_text=_("e.g. 2002 – ongoing, or 18 months to set up"))
    evidence_of_success = models.TextField(_("evidence of success"), blank=True)
    difficulties = models.TextField(_("difficulties encountered"), blank=True)
    potential_for_transfer = models.TextField(_("potential for learning or transfer"), blank=True)
    topics = models.ManyToManyField("taxonomy.Concept", blank=True, related_name="good_practices",
                                    verbose_name=_("topics"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Comma-separated"))
    # Visible to signed-in users only.
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="good_practices", verbose_name=_("region"))
    main_institution = models.ForeignKey("registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="good_practices", verbose_name=_("main institution"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty while ongoing"))
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    author_email = models.EmailField(_("author's e-mail"), blank=True)
    expert_opinion = models.TextField(_("expert opinion"), blank=True)
    published = models.BooleanField(_("published"), default=True)
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Follow", blank=True,
                                       related_name="followed_practices")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("good practice")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    def text(self) -> str:
        """What the similarity of practices compares: the public texts."""
        return "\n".join(part for part in (self.title, self.summary, self.description, self.keywords,
                                           self.potential_for_transfer) if part)


class Follow(models.Model):
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_follows")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "user"], name="follow_key")]


class Workshop(VersionedModel):
    """A workshop or dissemination event, on site or online, with places to register for."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        DISSEMINATION = "dissemination", _("dissemination event")
        STUDY_VISIT = "study_visit", _("study visit")
        WEBINAR = "webinar", _("webinar")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.WORKSHOP)
    description = models.TextField(_("description"), blank=True)
    practices = models.ManyToManyField(GoodPractice, blank=True, related_name="workshops",
                                       verbose_name=_("good practices presented"))
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True, help_text=_("Address; empty when online only"))
    online_url = models.URLField(_("online link"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit"))
    published = models.BooleanField(_("published"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts", "title"]
        verbose_name = _("workshop")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:workshop", args=[self.slug])

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.registrations.count())


class WorkshopRegistration(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="workshop_registrations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "created"]
        constraints = [models.UniqueConstraint(fields=["workshop", "email"], name="workshop_registration_key")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.workshop}"
