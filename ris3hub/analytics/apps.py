from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "ris3hub.analytics"
    verbose_name = "S3 analytics"
