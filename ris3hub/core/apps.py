from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ris3hub.core"
    verbose_name = "ris3hub"
