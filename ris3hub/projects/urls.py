from django.urls import path

from ris3hub.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<str:number>/", views.ProjectDetailView.as_view(), name="project"),
]
