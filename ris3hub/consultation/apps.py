from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "ris3hub.consultation"
    verbose_name = _("Public consultations")
