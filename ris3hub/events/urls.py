from django.urls import path

from ris3hub.accounts.views import SiteLogoutView, app_login
from ris3hub.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("login/", app_login, {"default_next": "events:list"}, name="login"),
    path("logout/", SiteLogoutView.as_view(next_page="events:list"), name="logout"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/profile/", views.profile, name="profile"),
    path("<slug:slug>/marketplace/", views.marketplace, name="marketplace"),
    path("<slug:slug>/marketplace/<int:pk>/request/", views.request_meeting, name="request-meeting"),
    path("<slug:slug>/requests/", views.my_requests, name="requests"),
    path("<slug:slug>/requests/<int:pk>/answer/", views.answer_request, name="answer-request"),
    path("<slug:slug>/requests/<int:pk>/cancel/", views.cancel_request, name="cancel-request"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.pdf", views.agenda_pdf, name="agenda-pdf"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda-ics"),
    path("<slug:slug>/follow-up/", views.follow_up, name="follow-up"),
    path("<slug:slug>/organiser/", views.dashboard, name="dashboard"),
    path("<slug:slug>/organiser/registrations/<int:pk>/validate/", views.validate_registration, name="validate"),
    path("<slug:slug>/organiser/grid/", views.grid, name="grid"),
    path("<slug:slug>/organiser/schedule/", views.run_scheduler, name="schedule"),
    path("<slug:slug>/organiser/confirm/", views.confirm_schedule, name="confirm"),
    path("<slug:slug>/organiser/meetings/<int:pk>/lock/", views.lock_meeting, name="lock"),
    path("<slug:slug>/organiser/plan.xlsx", views.plan_xlsx, name="plan-xlsx"),
    path("<slug:slug>/organiser/plan.pdf", views.plan_pdf, name="plan-pdf"),
    path("<slug:slug>/organiser/check-in/", views.check_in, name="check-in"),
]
