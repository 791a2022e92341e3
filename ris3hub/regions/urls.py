from django.urls import path

from ris3hub.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.RegionListView.as_view(), name="list"),
    path("<str:code>/", views.RegionDetailView.as_view(), name="region"),
]
