"""An API token: a secret a user gives a program so that it calls the REST API as them.

Only the secret's SHA-256 is stored; the secret itself is shown once, when the token is created.
Its first characters (``prefix``, e.g. ``r3h_Xa81kQ2z``) are kept in clear to tell tokens apart in
lists, logs and ``ris3hub token revoke PREFIX``. A token may do what its user may do, limited to
its scopes:

* ``read``: non-public data the user may see (event meetings, consultation results, personal data);
* ``write``: changes (every POST, PUT, PATCH and DELETE of the API);
* ``export``: bulk downloads of whole datasets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("read: non-public data you may see")
    WRITE = "write", _("write: changes")
    EXPORT = "export", _("export: bulk downloads")


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'nightly sync'"))
    prefix = models.CharField(max_length=16, unique=True, help_text=_("The secret's first characters, shown"))
    key_hash = models.CharField(max_length=64, unique=True, help_text=_("SHA-256 of the secret, hexadecimal"))
    scopes = models.JSONField(default=list, help_text=_("Among read, write, export"))
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(null=True, blank=True, help_text=_("Never when empty"))
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def is_expired(self, now=None) -> bool:
        return self.expires is not None and self.expires <= (now or timezone.now())

    def refusal(self, now=None) -> str | None:
        """Why the token may not be used now, or None when it may."""
        if self.revoked is not None:
            return f"the API token {self.prefix}… was revoked on {timezone.localtime(self.revoked):%Y-%m-%d %H:%M}"
        if self.is_expired(now):
            return f"the API token {self.prefix}… expired on {timezone.localtime(self.expires):%Y-%m-%d %H:%M}"
        if not self.user.is_active:
            return f"the account of the API token {self.prefix}… is disabled"
        return None

    @property
    def status(self) -> str:
        if self.revoked is not None:
            return "revoked"
        return "expired" if self.is_expired() else "active"
