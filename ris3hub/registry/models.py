"""The registry of a region's innovation ecosystem: organisations and what they offer."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ris3hub.core.locking import VersionedModel
from ris3hub.registry.names import normalise_name


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("company")
    UNIVERSITY = "university", _("university / higher education")
    RESEARCH = "research", _("research organisation")
    LABORATORY = "laboratory", _("laboratory")
    TECHNOPOLE = "technopole", _("technopole")
    INNOVATION_CENTRE = "innovation_centre", _("innovation centre")
    DIH = "dih", _("digital innovation hub")
    LIVING_LAB = "living_lab", _("living lab")
    SPINOFF = "spinoff", _("start-up / spin-off")
    CLUSTER = "cluster", _("cluster")
    DISTRICT = "district", _("technology district")
    PLATFORM = "platform", _("thematic platform")
    PUBLIC = "public", _("public body")
    FUNDER = "funder", _("funder / investor")
    OTHER = "other", _("other")


class Organisation(VersionedModel):
    name = models.CharField(max_length=400)
    normalised_name = models.CharField(max_length=400, db_index=True, editable=False)
    short_name = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER)
    is_sme = models.BooleanField(_("SME"), null=True, blank=True)
    pic = models.CharField("PIC", max_length=12, blank=True, db_index=True, help_text="EU Participant Identification Code")
    vat = models.CharField("VAT", max_length=30, blank=True, db_index=True)
    ror = models.CharField("ROR", max_length=40, blank=True)
    website = models.URLField(max_length=300, blank=True)
    street = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations"
    )
    description = models.TextField(blank=True)
    description_it = models.TextField(_("description (Italian)"), blank=True)
    domains = models.ManyToManyField("taxonomy.Concept", blank=True, related_name="organisations")
    trl = models.PositiveSmallIntegerField("TRL", null=True, blank=True)
    looking_for = models.CharField(max_length=500, blank=True, help_text="What the organisation is looking for")
    # Personal data: shown only to those ris3hub.accounts.roles.can_see_contacts allows (pages, API, exports).
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), max_length=254, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.pk])


class ExternalId(models.Model):
    """The identifier of an organisation in a source it was imported from (one organisation, many sources)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="external_ids")
    source = models.CharField(max_length=40, help_text="e.g. cordis-pic, knowledge-share, registry")
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "value"], name="external_id_key")]

    def __str__(self) -> str:
        return f"{self.source}:{self.value}"

    def get_additional_data(self) -> dict:
        """Recorded with each audit log entry: the organisation's history includes this record."""
        return {"organisation": self.organisation_id}


class Competence(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="competences")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    concepts = models.ManyToManyField("taxonomy.Concept", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="competence_key")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        """Recorded with each audit log entry: the organisation's history includes this record."""
        return {"organisation": self.organisation_id}


class Equipment(VersionedModel):
    class Access(models.TextChoices):
        SHAREABLE = "shareable", _("shareable")
        RENTAL = "rental", _("rental")
        SERVICE = "service", _("as a service")
        INTERNAL = "internal", _("internal use only")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="equipment")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)
    access = models.CharField(max_length=12, choices=Access.choices, default=Access.SERVICE)
    conditions = models.TextField(_("access conditions"), blank=True)
    booking_contact = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="equipment_key")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        """Recorded with each audit log entry: the organisation's history includes this record."""
        return {"organisation": self.organisation_id}


class Service(VersionedModel):
    class Category(models.TextChoices):
        DISSEMINATION = "dissemination", _("technology dissemination")
        FEASIBILITY = "feasibility", _("feasibility analysis")
        PROOF_OF_CONCEPT = "proof_of_concept", _("proof of concept")
        TESTING = "testing", _("testing")
        TRAINING = "training", _("training")
        PATENTING = "patenting", _("patenting")
        CALLS = "calls", _("support to calls")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="services")
    category = models.CharField(max_length=20, choices=Category.choices)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="service_key")]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        """Recorded with each audit log entry: the organisation's history includes this record."""
        return {"organisation": self.organisation_id}


class Membership(models.Model):
    """A typed link: ``member`` belongs to ``network`` (lab in technopole, technopole in platform, ...)."""

    class Kind(models.TextChoices):
        LAB_IN_TECHNOPOLE = "lab_in_technopole", _("laboratory in technopole")
        IN_PLATFORM = "in_platform", _("member of thematic platform")
        CLUSTER_MEMBER = "cluster_member", _("member of cluster")
        DISTRICT_IN_CLUSTER = "district_in_cluster", _("district in cluster of clusters")
        NETWORK_MEMBER = "network_member", _("member of network")
        AFFILIATE = "affiliate", _("affiliated to")

    class Status(models.TextChoices):
        ACCREDITED = "accredited", _("accredited")
        PENDING = "pending", _("pending accreditation")
        NOT_ACCREDITED = "none", _("not accredited")
        EXPIRED = "expired", _("expired")

    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.NETWORK_MEMBER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_ACCREDITED)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["network", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "network", "kind"], name="membership_key")]

    def __str__(self) -> str:
        return f"{self.member} in {self.network}"

    def get_additional_data(self) -> dict:
        """Recorded with each audit log entry: the organisation's history includes this record."""
        return {"organisation": self.member_id, "network": self.network_id}


class ResearchContract(models.Model):
    """A research contract of a lab with a company."""

    lab = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contracts_as_lab")
    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contracts_as_company")
    reference = models.CharField(max_length=100, help_text="The contract's identifier in its source")
    title = models.CharField(max_length=400, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["lab", "reference"], name="contract_key")]

    def __str__(self) -> str:
        return self.title or self.reference

    def get_additional_data(self) -> dict:
        """Recorded with each audit log entry: the organisation's history includes this record."""
        return {"organisation": self.lab_id, "company": self.company_id}
