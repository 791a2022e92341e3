from django.contrib import admin
from django.urls import include, path

from ris3hub.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("ris3hub.accounts.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/<str:code>/s3/", include("ris3hub.analytics.urls")),
    path("regions/", include("ris3hub.regions.urls")),
    path("organisations/", include("ris3hub.registry.urls")),
    path("projects/", include("ris3hub.projects.urls")),
    path("events/", include("ris3hub.events.urls")),
    path("find/", include("ris3hub.search.urls")),
    path("monitoring/", include("ris3hub.monitoring.urls")),
    path("consultations/", include("ris3hub.consultation.urls")),
    path("practices/", include("ris3hub.practices.urls")),
    path("audit/", include("ris3hub.audit.urls")),
    path("tokens/", include("ris3hub.tokens.urls")),
    path("", include("ris3hub.core.urls")),
]
