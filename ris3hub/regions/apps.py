from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "ris3hub.regions"
