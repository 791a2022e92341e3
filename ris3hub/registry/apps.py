from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ris3hub.registry"
