from django.urls import path

from ris3hub.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("<str:label>/<str:pk>/", views.object_history, name="history"),
]
