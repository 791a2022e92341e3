"""REST API of the registry: organisations with their identifiers, networks, competences, equipment, services."""

from datetime import date

from django.db.models import Count, Prefetch
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ris3hub.accounts import roles
from ris3hub.core.api_lists import LimitOffsetPagination, apply_filterset
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError
from ris3hub.regions.api import NUTS_CODE, RegionRef
from ris3hub.registry.filtersets import OrganisationFilterSet
from ris3hub.registry.models import Competence, Membership, Organisation, OrganisationKind
from ris3hub.taxonomy.api import ConceptRef
from ris3hub.tokens.auth import api_user
from ris3hub.taxonomy.models import Concept

router = Router(tags=["organisations"])


class OrganisationRef(Schema):
    """An organisation named by its id, as other resources point to it."""

    id: int
    name: str
    url: str = Field(description="Path of the organisation's page")

    @staticmethod
    def resolve_url(obj: Organisation) -> str:
        return obj.get_absolute_url()


class OrganisationItem(OrganisationRef):
    short_name: str
    kind: OrganisationKind
    is_sme: bool | None
    pic: str = Field(description="EU Participant Identification Code; empty when unknown")
    vat: str
    city: str
    country: str
    region: RegionRef | None


class ExternalIdOut(Schema):
    source: str
    value: str


class MembershipOut(Schema):
    kind: Membership.Kind
    status: Membership.Status
    start: date | None
    end: date | None


class NetworkOut(MembershipOut):
    network: OrganisationRef


class MemberOut(MembershipOut):
    member: OrganisationRef


class CompetenceOut(Schema):
    name: str
    description: str
    concepts: list[ConceptRef]

    @staticmethod
    def resolve_concepts(obj: Competence) -> list[Concept]:
        return list(obj.concepts.all())


class EquipmentOut(Schema):
    name: str
    description: str
    location: str
    access: str
    conditions: str
    booking_contact: str


class ServiceOut(Schema):
    category: str
    name: str
    description: str


class ContactOut(Schema):
    person: str
    email: str
    phone: str


class OrganisationOut(OrganisationItem):
    ror: str
    website: str
    street: str
    postcode: str
    description: str
    description_it: str
    trl: int | None = Field(description="Technology readiness level, where known")
    looking_for: str
    domains: list[ConceptRef]
    external_ids: list[ExternalIdOut]
    memberships: list[NetworkOut] = Field(description="Networks the organisation belongs to")
    members: list[MemberOut] = Field(description="Members of the organisation, when it is a network")
    competences: list[CompetenceOut]
    equipment: list[EquipmentOut]
    services: list[ServiceOut]
    participation_count: int = Field(description="Number of project participations")
    contact: ContactOut | None = Field(description="Contact details: only for its editors, coordinators of it or of "
                                                   "its networks, analysts and administrators; null for others")

    @staticmethod
    def resolve_contact(obj: Organisation, context) -> dict | None:
        request = (context or {}).get("request")
        if request is None or not roles.can_see_contacts(api_user(request), obj):
            return None
        return {"person": obj.contact_person, "email": obj.contact_email, "phone": obj.contact_phone}

    @staticmethod
    def resolve_domains(obj: Organisation) -> list[Concept]:
        return list(obj.domains.all())

    @staticmethod
    def resolve_external_ids(obj: Organisation):
        return list(obj.external_ids.all())

    @staticmethod
    def resolve_memberships(obj: Organisation):
        return list(obj.memberships.all())

    @staticmethod
    def resolve_members(obj: Organisation):
        return list(obj.members.all())

    @staticmethod
    def resolve_competences(obj: Organisation):
        return list(obj.competences.all())

    @staticmethod
    def resolve_equipment(obj: Organisation):
        return list(obj.equipment.all())

    @staticmethod
    def resolve_services(obj: Organisation):
        return list(obj.services.all())


class OrganisationFilters(Schema):
    search: str | None = Field(None, description="Words of the name, short name or city; or a PIC or VAT")
    kind: OrganisationKind | None = None
    region: str | None = Field(None, pattern=NUTS_CODE,
                               description="A NUTS code: organisations in that region or a region below it")
    country: str | None = Field(None, min_length=2, max_length=2, description="Country code, e.g. IT")
    is_sme: bool | None = Field(None, description="true: SMEs only; false: only organisations that are not SMEs")


@router.get("/", response={200: list[OrganisationItem], **INVALID}, summary="List organisations")
@paginate(LimitOffsetPagination)
def list_organisations(request, filters: Query[OrganisationFilters]):
    """Organisations by name, kind, region (sub-regions included), country and SME flag, ordered by name."""
    queryset = Organisation.objects.select_related("region").order_by("name", "pk")
    params = filters.dict()
    params["q"] = params.pop("search")
    return apply_filterset(OrganisationFilterSet, queryset, params, aliases={"q": "search"})


@router.get("/{id}", response={200: OrganisationOut, **NOT_FOUND}, summary="One organisation")
def organisation_detail(request, id: int):
    """An organisation's profile: identifiers, region, networks, competences, equipment, services."""
    queryset = (
        Organisation.objects.select_related("region")
        .annotate(participation_count=Count("participations"))
        .prefetch_related(
            Prefetch("domains", queryset=Concept.objects.select_related("scheme")),
            "external_ids",
            Prefetch("memberships", queryset=Membership.objects.select_related("network").order_by("network__name")),
            Prefetch("members", queryset=Membership.objects.select_related("member").order_by("member__name")),
            Prefetch("competences", queryset=Competence.objects.prefetch_related(
                Prefetch("concepts", queryset=Concept.objects.select_related("scheme")))),
            "equipment",
            "services",
        )
    )
    try:
        return queryset.get(pk=id)
    except Organisation.DoesNotExist:
        raise ApiError(404, f"no organisation with id {id}") from None
