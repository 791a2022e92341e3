from django.urls import path

from ris3hub.search import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("need/", views.NeedView.as_view(), name="need"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("partners/", views.PartnersView.as_view(), name="partners"),
    path("calls/<int:pk>/", views.CallView.as_view(), name="call"),
    path("organisations/<int:pk>/calls/", views.OrganisationCallsView.as_view(), name="organisation_calls"),
]
