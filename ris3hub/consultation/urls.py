from django.urls import path

from ris3hub.accounts.views import SiteLogoutView, app_login
from ris3hub.consultation import views

app_name = "consultation"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("login/", app_login, {"default_next": "consultation:list"}, name="login"),
    path("logout/", SiteLogoutView.as_view(next_page="consultation:list"), name="logout"),
    path("new/", views.consultation_edit, name="create"),
    path("<slug:slug>/", views.answer, name="answer"),
    path("<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("<slug:slug>/edit/", views.consultation_edit, name="edit"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results/themes/", views.run_themes, name="run-themes"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report.pdf", views.report_pdf_view, name="report-pdf"),
    path("<slug:slug>/answers.xlsx", views.answers_xlsx_view, name="answers-xlsx"),
]
