"""Who acts for whom: a user's roles, and requests to act for an organisation.

Writes go through ris3hub.accounts.actions; read the roles through ris3hub.accounts.roles.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a registered user may do beyond reading public pages and managing their own data."""

    EDITOR = "editor", _("organisation editor")
    COORDINATOR = "coordinator", _("network coordinator")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")


# Roles held for one organisation (editor of it, coordinator of the network it is).
ORGANISATION_ROLES = (Role.EDITOR, Role.COORDINATOR)


class RoleAssignment(models.Model):
    """A user holds ``role``; editors and coordinators hold it for ``organisation``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=13, choices=Role.choices)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments",
        verbose_name=_("organisation"),
        help_text=_("The organisation an editor acts for, or the network a coordinator runs; empty for analysts "
                    "and administrators"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("granted by"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__username", "role", "organisation__name"]
        verbose_name = _("role assignment")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=ORGANISATION_ROLES) & Q(organisation__isnull=False))
                | (~Q(role__in=ORGANISATION_ROLES) & Q(organisation__isnull=True)),
                name="role_organisation_matches_role",
                violation_error_message=_("Editors and coordinators act for an organisation; analysts and "
                                          "administrators for none."),
            ),
            models.UniqueConstraint(fields=["user", "role", "organisation"], name="role_assignment_key"),
            models.UniqueConstraint(fields=["user", "role"], condition=Q(organisation__isnull=True),
                                    name="role_assignment_global_key"),
        ]

    def __str__(self) -> str:
        label = self.get_role_display()
        return f"{self.user}: {label} of {self.organisation}" if self.organisation_id else f"{self.user}: {label}"


class EditorRequest(models.Model):
    """A user says "I act for this organisation"; a coordinator of one of its networks or an administrator decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_requests")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE,
                                     related_name="editor_requests", verbose_name=_("organisation"))
    message = models.TextField(_("message"), blank=True, max_length=2000,
                               help_text=_("Who you are in the organisation, so that it can be checked"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("editor request")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], condition=Q(status="pending"),
                                    name="one_pending_editor_request"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.organisation} ({self.get_status_display()})"
