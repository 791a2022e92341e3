from django.contrib import admin

from ris3hub.tokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their users (/tokens/) or `ris3hub token create`; here they are seen and revoked."""

    list_display = ("prefix", "name", "user", "scopes", "created", "expires", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("prefix", "name", "user__username")
    readonly_fields = ("user", "name", "prefix", "key_hash", "scopes", "created", "expires", "last_used")
    fields = ("user", "name", "prefix", "scopes", "created", "expires", "last_used", "revoked", "key_hash")

    def has_add_permission(self, request):
        return False
