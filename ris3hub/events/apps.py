from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ris3hub.events"
    verbose_name = _("Brokerage events")
