from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "ris3hub.projects"
