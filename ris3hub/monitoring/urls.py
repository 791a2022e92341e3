from django.urls import path

from ris3hub.accounts.views import SiteLogoutView, app_login
from ris3hub.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", app_login, {"default_next": "monitoring:rounds"}, name="login"),
    path("logout/", SiteLogoutView.as_view(next_page="monitoring:home"), name="logout"),
    path("strategies/<int:pk>/", views.strategy_dashboard, name="dashboard"),
    path("strategies/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("strategies/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/template.xlsx", views.round_template, name="round_template"),
    path("reports/<int:pk>/", views.submission_detail, name="submission"),
    path("reports/<int:pk>/upload/", views.submission_upload, name="submission_upload"),
    path("reports/<int:pk>/review/", views.submission_review, name="submission_review"),
]
