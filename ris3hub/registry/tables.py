import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from ris3hub.core.tables import BaseTable
from ris3hub.registry.models import Organisation


class OrganisationTable(BaseTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Kind"))
    city = tables.Column(verbose_name=_("City"))
    country = tables.Column(verbose_name=_("Country"))
    region = tables.Column(linkify=True, verbose_name=_("Region"), order_by=("region__code",))
    is_sme = tables.BooleanColumn(verbose_name=_("SME"), null=True)
    pic = tables.Column(verbose_name="PIC")
    project_count = tables.Column(verbose_name=_("Projects"),
                                  attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(BaseTable.Meta):
        model = Organisation
        fields = ("name", "kind", "city", "country", "region", "is_sme", "pic", "project_count")
        order_by = ("name",)

    def render_region(self, value):
        return value.code
