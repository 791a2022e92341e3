from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "ris3hub.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
