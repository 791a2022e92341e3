"""Public consultations: questions, responses given with consent, answers, and the themes found in
the open answers (each theme mapped to the strategy's priorities it is closest to).

Writes go through ris3hub.consultation.actions; these models hold the data and its invariants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import VersionedModel

DEFAULT_CONSENT = _(
    "I agree that my answers are stored and analysed by the region to prepare and monitor its smart "
    "specialisation strategy, and published only in aggregate form. I can ask for them to be deleted.")


class Consultation(VersionedModel):
    class Identity(models.TextChoices):
        ANONYMOUS = "anonymous", _("anonymous: answers are never linked to an account")
        SIGNED_IN = "signed_in", _("signed in: only signed-in users answer, answers linked to them")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("link"), max_length=80, unique=True,
                            help_text=_("The consultation's public address: /consultations/<link>/"))
    description = models.TextField(_("description"), blank=True)
    strategy = models.ForeignKey("strategies.Strategy", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="consultations", verbose_name=_("strategy"),
                                 help_text=_("Its priorities are the options of ranking questions and the "
                                             "targets the themes are mapped to"))
    opens = models.DateTimeField(_("opens"), default=timezone.now)
    closes = models.DateTimeField(_("closes"), null=True, blank=True, help_text=_("Empty: open until closed by hand"))
    published = models.BooleanField(_("published"), default=False,
                                    help_text=_("Only a published consultation can be answered through its link"))
    identity = models.CharField(_("who answers"), max_length=10, choices=Identity.choices,
                                default=Identity.ANONYMOUS)
    consent_text = models.TextField(_("consent text"), default=DEFAULT_CONSENT,
                                    help_text=_("What a respondent agrees to; stored with each response"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens", "title"]
        verbose_name = _("consultation")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultation:answer", args=[self.slug])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens <= now and (self.closes is None or now < self.closes)


class Question(VersionedModel):
    class Kind(models.TextChoices):
        OPEN = "open", _("open text")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RANKING = "ranking", _("ranking of the strategy's priorities")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN)
    text = models.TextField(_("question"))
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=False)
    options = models.TextField(_("options"), blank=True,
                               help_text=_("Choice questions: one option a line"))
    ranked = models.PositiveSmallIntegerField(_("priorities to rank"), default=3,
                                              help_text=_("Ranking questions: how many priorities a respondent ranks"))

    class Meta:
        ordering = ["consultation", "position", "id"]
        verbose_name = _("question")

    def __str__(self) -> str:
        return self.text

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Response(models.Model):
    """One person's answers to a consultation, with the consent they gave."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="consultation_responses",
                             help_text=_("Empty for an anonymous response"))
    submitted = models.DateTimeField(default=timezone.now)
    consent_given = models.DateTimeField(_("consent given"))
    consent_text = models.TextField(_("consent text agreed to"))
    language = models.CharField(max_length=10, blank=True, help_text=_("Language of the page it was given on"))

    class Meta:
        ordering = ["consultation", "submitted", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], condition=models.Q(user__isnull=False),
                                    name="one_response_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} #{self.pk}"

    @property
    def anonymous(self) -> bool:
        return self.user_id is None


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True,
                               help_text=_("Options chosen; for a ranking, priority ids, first the most important"))

    class Meta:
        ordering = ["response", "question"]
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_key")]

    def __str__(self) -> str:
        return self.text[:60] or ", ".join(map(str, self.choices))


class ThemeRun(models.Model):
    """One grouping of an open question's answers into themes."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="theme_runs")
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    requested = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Empty: number of themes chosen"))
    answers = models.PositiveIntegerField(default=0)
    encoder = models.CharField(max_length=200)

    class Meta:
        ordering = ["question", "-created", "-id"]
        get_latest_by = "created"

    def __str__(self) -> str:
        return f"{self.question} @ {self.created:%Y-%m-%d %H:%M}"


class Theme(models.Model):
    run = models.ForeignKey(ThemeRun, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)
    keywords = models.JSONField(default=list)
    size = models.PositiveIntegerField()
    representatives = models.ManyToManyField(Answer, through="Representative", related_name="+")
    answers = models.ManyToManyField(Answer, related_name="themes", blank=True)
    priorities = models.ManyToManyField("strategies.Priority", through="ThemePriority", related_name="themes")

    class Meta:
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="theme_key")]

    def __str__(self) -> str:
        return self.label


class Representative(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="representative_links")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["theme", "rank"]


class ThemePriority(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="priority_links")
    priority = models.ForeignKey("strategies.Priority", on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        ordering = ["theme", "-similarity"]
