"""Brokerage events: sessions cut into slots, places, registrations with marketplace entries,
meeting requests, meetings placed in a slot and a place, check-in and follow-up.

Writes go through ris3hub.events.actions; these models only hold the data and its invariants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import VersionedModel


class Cooperation(models.TextChoices):
    """Kinds of cooperation a marketplace entry offers or looks for (after the EEN profile types)."""

    TECHNICAL = "technical", _("technical cooperation")
    RESEARCH = "research", _("research cooperation")
    COMMERCIAL = "commercial", _("commercial agreement")
    LICENCE = "licence", _("licence agreement")
    INVESTMENT = "investment", _("investment / financing")
    JOINT_VENTURE = "joint_venture", _("joint venture")
    SERVICES = "services", _("services / outsourcing")
    OTHER = "other", _("other")


class Event(VersionedModel):
    class RequestMode(models.TextChoices):
        OPT_IN = "opt_in", _("opt-in: the guest accepts each request")
        OPT_OUT = "opt_out", _("opt-out: requests are accepted unless the guest declines")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    timezone = models.CharField(_("time zone"), max_length=60, default="Europe/Rome")
    organising_network = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="organised_events",
        verbose_name=_("organised by"))
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="organised_events",
                                        verbose_name=_("organisers"))
    request_mode = models.CharField(_("meeting requests"), max_length=8, choices=RequestMode.choices,
                                    default=RequestMode.OPT_IN)
    request_expiry_hours = models.PositiveIntegerField(
        _("requests expire after (hours)"), default=72,
        help_text=_("An unanswered request expires after this many hours (opt-in events)."))
    max_meetings = models.PositiveSmallIntegerField(
        _("meetings per participant"), default=12, help_text=_("Unless the participation type sets its own"))
    max_requests = models.PositiveSmallIntegerField(
        _("requests per participant"), default=20,
        help_text=_("Requests a participant may have waiting or accepted, unless the participation type sets its own"))
    registration_open = models.BooleanField(_("registration open"), default=True)
    published = models.BooleanField(_("published"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("event")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])


class Session(models.Model):
    """A block of meetings on one day, cut into slots of ``meeting_minutes`` around the breaks."""

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("on site")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("name"), max_length=200)
    day = models.DateField(_("day"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    changeover_minutes = models.PositiveSmallIntegerField(
        _("changeover (minutes)"), default=0, help_text=_("Time between two meetings to change table"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.ONSITE)

    class Meta:
        ordering = ["day", "start"]
        verbose_name = _("session")

    def __str__(self) -> str:
        return f"{self.name} ({self.day:%Y-%m-%d} {self.start:%H:%M}-{self.end:%H:%M})"


class SessionBreak(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="breaks")
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    label = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("break")

    def __str__(self) -> str:
        return f"{self.label or _('break')} {self.start:%H:%M}-{self.end:%H:%M}"


class Slot(models.Model):
    """A time window of a session in which meetings run at once (generated from the session)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["session", "start"], name="slot_key")]

    def __str__(self) -> str:
        from django.utils import timezone

        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


class Place(models.Model):
    """A physical table (``capacity`` meetings at once) or a virtual room."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("name"), max_length=100)
    virtual = models.BooleanField(_("virtual room"), default=False)
    capacity = models.PositiveSmallIntegerField(_("meetings at once"), default=1)
    position = models.PositiveIntegerField(default=0)
    link = models.URLField(_("room link"), max_length=300, blank=True)

    class Meta:
        ordering = ["virtual", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="place_key")]
        verbose_name = _("place")

    def __str__(self) -> str:
        return self.name


class ParticipationType(models.Model):
    """A kind of participant (company, laboratory, start-up, investor) with its own limits."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participation_types")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    max_participants = models.PositiveIntegerField(_("places available"), null=True, blank=True,
                                                   help_text=_("Empty: no limit"))
    max_meetings = models.PositiveSmallIntegerField(_("meetings per participant"), null=True, blank=True,
                                                    help_text=_("Empty: the event's limit"))
    max_requests = models.PositiveSmallIntegerField(_("requests per participant"), null=True, blank=True,
                                                    help_text=_("Empty: the event's limit"))
    can_request = models.BooleanField(_("may request meetings"), default=True)
    meets = models.ManyToManyField("self", symmetrical=False, blank=True, verbose_name=_("meets"),
                                   help_text=_("The types these participants may meet; none chosen: every type"))
    needs_validation = models.BooleanField(_("profiles validated by the organiser"), default=True)

    class Meta:
        ordering = ["event", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="participation_type_key")]
        verbose_name = _("participation type")

    def __str__(self) -> str:
        return self.name

    def met_ids(self) -> set[int]:
        """Ids of the types these participants may meet; empty: every type."""
        return {t.pk for t in self.meets.all()}

    def may_meet(self, other: ParticipationType) -> bool:
        """Both types allow the meeting (a type without a list meets every type)."""
        mine, theirs = self.met_ids(), other.met_ids()
        return (not mine or other.pk in mine) and (not theirs or self.pk in theirs)


class Registration(VersionedModel):
    """A person's participation in an event, with the profile others see in the marketplace."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for validation")
        VALIDATED = "validated", _("validated")
        REJECTED = "rejected", _("rejected")

    class Attendance(models.TextChoices):
        ONSITE = "onsite", _("on site")
        ONLINE = "online", _("online")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    participation_type = models.ForeignKey(ParticipationType, on_delete=models.RESTRICT, related_name="registrations",
                                           verbose_name=_("participation type"))
    organisation = models.ForeignKey("registry.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="event_registrations",
                                     verbose_name=_("organisation in the registry"))
    organisation_name = models.CharField(_("organisation"), max_length=400)
    person_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    bio = models.TextField(_("profile"), blank=True, help_text=_("Who you are and what you do"))
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices,
                                  default=Attendance.ONSITE)
    sessions = models.ManyToManyField(Session, blank=True, related_name="registrations",
                                      verbose_name=_("sessions attended"),
                                      help_text=_("None chosen: every session"))
    consent_terms = models.BooleanField(_("consent to the processing of the data for the event"), default=False)
    consent_listing = models.BooleanField(_("profile listed in the marketplace"), default=True)
    consent_contact = models.BooleanField(_("email shared with accepted meeting partners"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    validation_note = models.CharField(_("note to the participant"), max_length=500, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_name", "person_name"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_key")]
        verbose_name = _("registration")

    def __str__(self) -> str:
        return f"{self.person_name} ({self.organisation_name})"

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED

    def meeting_limit(self) -> int:
        limit = self.participation_type.max_meetings
        return self.event.max_meetings if limit is None else limit

    def request_limit(self) -> int:
        limit = self.participation_type.max_requests
        return self.event.max_requests if limit is None else limit


class MarketplaceEntry(models.Model):
    """An offer or a request a participant publishes in the event's marketplace."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("offer")
        REQUEST = "request", _("request")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    cooperation = models.CharField(_("cooperation"), max_length=16, choices=Cooperation.choices,
                                   default=Cooperation.TECHNICAL)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registration", "kind", "id"]
        verbose_name = _("marketplace entry")
        verbose_name_plural = _("marketplace entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip()


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")
        CANCELLED = "cancelled", _("cancelled")

    OPEN = (Status.REQUESTED, Status.ACCEPTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_sent")
    recipient = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_received")
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    response_message = models.TextField(_("answer"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("recipient")), name="request_not_to_self"),
            models.UniqueConstraint(fields=["requester", "recipient"],
                                    condition=Q(status__in=["requested", "accepted"]),
                                    name="one_open_request_per_pair"),
        ]
        verbose_name = _("meeting request")

    def __str__(self) -> str:
        return f"{self.requester} → {self.recipient} ({self.status})"


class Meeting(models.Model):
    """An accepted request (or a meeting the organiser set up), placed in a slot and a place by the scheduler."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="meeting")
    participants = models.ManyToManyField(Registration, related_name="meetings")
    priority = models.PositiveSmallIntegerField(_("priority"), default=1,
                                                help_text=_("Higher first when not every meeting fits"))
    locked = models.BooleanField(_("locked"), default=False,
                                 help_text=_("The scheduler leaves a locked meeting in its slot and place"))
    confirmed = models.BooleanField(_("confirmed"), default=False,
                                    help_text=_("Announced to the participants: kept in place when rescheduling"))
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__start", "place__position", "id"]
        verbose_name = _("meeting")

    def __str__(self) -> str:
        names = " / ".join(r.organisation_name for r in self.participants.all())
        return f"#{self.pk} {names}"

    @property
    def is_scheduled(self) -> bool:
        return self.slot_id is not None and self.place_id is not None

    @property
    def is_virtual(self) -> bool:
        """Online as soon as one participant attends online (hybrid sessions mix both)."""
        return any(r.attendance == Registration.Attendance.ONLINE for r in self.participants.all())

    @property
    def pinned(self) -> bool:
        """Kept where it is when the scheduler runs again."""
        return self.is_scheduled and (self.locked or self.confirmed)


class CheckIn(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="check_in")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("check-in")

    def __str__(self) -> str:
        return f"{self.registration} at {self.at:%H:%M}"


class FollowUp(models.Model):
    """A participant's answer after the event about one meeting: was it held, was something agreed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="follow_ups")
    held = models.BooleanField(_("the meeting was held"))
    agreement = models.BooleanField(_("an agreement was reached"), default=False)
    agreement_type = models.CharField(_("kind of agreement"), max_length=16, choices=Cooperation.choices, blank=True)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "registration"]
        constraints = [models.UniqueConstraint(fields=["meeting", "registration"], name="follow_up_key")]
        verbose_name = _("follow-up")

    def __str__(self) -> str:
        return f"{self.registration} on meeting #{self.meeting_id}"


class ScheduleRun(models.Model):
    """One run of the scheduler on an event: what it placed, the bound it proved, how long it took."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    started = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    seconds = models.FloatField()
    meetings = models.PositiveIntegerField(help_text="Accepted meetings given to the scheduler")
    scheduled = models.PositiveIntegerField()
    kept = models.PositiveIntegerField(help_text="Locked or confirmed meetings left in place")
    upper_bound = models.FloatField(help_text="No schedule can place more (priority-weighted) than this")
    value = models.FloatField(help_text="Priority-weighted meetings placed")
    proven_optimal = models.BooleanField(default=False)
    objective = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started"]
        get_latest_by = "started"

    def __str__(self) -> str:
        return f"{self.event} {self.started:%Y-%m-%d %H:%M}: {self.scheduled}/{self.meetings}"

    @property
    def gap(self) -> float:
        """The share of the upper bound not reached: 0 when the schedule is as good as can be."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.value) / self.upper_bound)


class TextVector(models.Model):
    """The encoder's vector of a marketplace text, kept so that recommendations do not encode it again.

    Keyed by a digest of the encoder's name and the text: an edited text gets a new vector, and an
    unused one costs 2 kB.
    """

    digest = models.CharField(max_length=64, unique=True)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return self.digest[:12]
