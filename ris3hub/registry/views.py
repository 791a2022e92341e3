from django.db.models import Count
from django.views.generic import DetailView

from ris3hub.accounts import roles
from ris3hub.core.lists import FilteredListView
from ris3hub.registry import profile
from ris3hub.registry.filtersets import OrganisationFilterSet
from ris3hub.registry.models import Organisation
from ris3hub.registry.tables import OrganisationTable


class OrganisationListView(FilteredListView):
    model = Organisation
    filterset_class = OrganisationFilterSet
    table_class = OrganisationTable
    template_name = "registry/organisation_list.html"
    dataset = "organisations"

    def get_queryset(self):
        return Organisation.objects.select_related("region")

    def get_table_data(self):
        return super().get_table_data().annotate(project_count=Count("participations"))


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "registry/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.select_related("region", "region__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        participations = profile.participations(organisation)
        context.update(
            domains=organisation.domains.select_related("scheme").order_by("scheme__code", "label"),
            external_ids=organisation.external_ids.order_by("source", "value"),
            memberships=profile.memberships_as_member(organisation),
            members=profile.members(organisation),
            is_network=organisation.kind in profile.NETWORK_KINDS or organisation.members.exists(),
            competences=organisation.competences.prefetch_related("concepts"),
            equipment=organisation.equipment.all(),
            services=organisation.services.all(),
            contracts_as_lab=organisation.contracts_as_lab.select_related("company"),
            contracts_as_company=organisation.contracts_as_company.select_related("lab"),
            participations=participations[:profile.TOP_PARTICIPATIONS],
            totals=profile.participation_totals(organisation),
            partners=profile.partners(organisation),
            can_edit=roles.can_edit_organisation(self.request.user, organisation),
            can_see_contacts=roles.can_see_contacts(self.request.user, organisation),
        )
        return context


class NetworkView(DetailView):
    """The members of a network organisation (technopole, cluster, platform, district) as a graph and a table."""

    model = Organisation
    template_name = "registry/network.html"
    context_object_name = "organisation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = profile.members(self.object)
        context["network_figure"] = profile.network_figure(self.object)
        return context
