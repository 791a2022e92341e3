import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ris3hub.core.tables import BaseTable, MoneyColumn
from ris3hub.projects.models import Project


class ProjectTable(BaseTable):
    acronym = tables.Column(linkify=True, verbose_name=_("Acronym"))
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    framework = tables.Column(verbose_name=_("Framework"))
    start = tables.DateColumn(verbose_name=_("Start"), short=True)
    end = tables.DateColumn(verbose_name=_("End"), short=True)
    eu_contribution = MoneyColumn(verbose_name=_("EU contribution"))
    participant_count = tables.Column(verbose_name=_("Participants"),
                                      attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(BaseTable.Meta):
        model = Project
        fields = ("acronym", "title", "framework", "start", "end", "eu_contribution", "participant_count")
        order_by = ("-start",)
