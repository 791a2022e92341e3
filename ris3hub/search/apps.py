from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ris3hub.search"
    verbose_name = _("Search and matchmaking")

    def ready(self) -> None:
        from ris3hub.search import signals

        signals.connect()
