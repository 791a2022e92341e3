from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ris3hub.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # The admin site lets in administrators as the roles know them (superusers, staff, and holders of the
        # administrator role), not only staff: the managing authority's officers get the role, not is_staff.
        from django.contrib import admin

        from ris3hub.accounts import roles

        admin.site.has_permission = lambda request: roles.is_administrator(request.user)
