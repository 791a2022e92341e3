from django.urls import path

from ris3hub.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("<int:pk>/network/", views.NetworkView.as_view(), name="network"),
]
