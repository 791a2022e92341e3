from django.urls import path

from ris3hub.registry import editing, views

app_name = "registry"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("<int:pk>/network/", views.NetworkView.as_view(), name="network"),
    path("<int:pk>/edit/", editing.edit_profile, name="edit"),
    path("<int:pk>/<str:kind>/add/", editing.edit_child, name="add-child"),
    path("<int:pk>/<str:kind>/<int:item>/edit/", editing.edit_child, name="edit-child"),
    path("<int:pk>/<str:kind>/<int:item>/delete/", editing.delete_child, name="delete-child"),
]
