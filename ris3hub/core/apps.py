from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ris3hub.core"
    verbose_name = "ris3hub"

    def ready(self) -> None:
        from ris3hub.core.caching import connect_signals

        connect_signals()
