"""The administrator role in Django's permission checks: a user holding it (ris3hub.accounts.roles) may do
everything on the admin site, as superusers may, without being made staff or superuser by hand."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from ris3hub.accounts import roles


class AdministratorRoleBackend(BaseBackend):
    """Grants every model permission to administrators; authenticates nobody (the other backends do)."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return roles.is_administrator(user_obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        return roles.is_administrator(user_obj)
