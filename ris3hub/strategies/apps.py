from django.apps import AppConfig


class StrategiesConfig(AppConfig):
    name = "ris3hub.strategies"
