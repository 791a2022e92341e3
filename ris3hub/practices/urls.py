from django.urls import path

from ris3hub.accounts.views import SiteLogoutView, app_login
from ris3hub.practices import views

app_name = "practices"

urlpatterns = [
    path("", views.practice_list, name="list"),
    path("login/", app_login, {"default_next": "practices:list"}, name="login"),
    path("logout/", SiteLogoutView.as_view(next_page="practices:list"), name="logout"),
    path("new/", views.practice_edit, name="create"),
    path("workshops/", views.workshop_calendar, name="calendar"),
    path("workshops/new/", views.workshop_edit, name="workshop-create"),
    path("workshops.ics", views.calendar_ics, name="calendar-ics"),
    path("workshops/<slug:slug>/", views.workshop_detail, name="workshop"),
    path("workshops/<slug:slug>/edit/", views.workshop_edit, name="workshop-edit"),
    path("workshops/<slug:slug>.ics", views.workshop_ics, name="workshop-ics"),
    path("<slug:slug>/", views.practice_detail, name="detail"),
    path("<slug:slug>/edit/", views.practice_edit, name="edit"),
    path("<slug:slug>/follow/", views.practice_follow, name="follow"),
]
