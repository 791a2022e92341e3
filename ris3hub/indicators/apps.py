from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ris3hub.indicators"
