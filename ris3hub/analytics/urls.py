from django.urls import path

from ris3hub.analytics import views

# Included under regions/<code>/s3/ (ris3hub/urls.py).
app_name = "analytics"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
]
