"""REST API of funded projects and the organisations taking part in them."""

from datetime import date

from django.db.models import Case, Prefetch, When
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ris3hub.core.api_lists import LimitOffsetPagination, apply_filterset
from ris3hub.core.errors import INVALID, NOT_FOUND, ApiError
from ris3hub.projects.filtersets import ProjectFilterSet
from ris3hub.projects.models import Participation, Project
from ris3hub.regions.api import NUTS_CODE, RegionRef
from ris3hub.registry.api import OrganisationRef
from ris3hub.taxonomy.api import ConceptRef
from ris3hub.taxonomy.models import Concept

router = Router(tags=["projects"])


class ProgrammeRef(Schema):
    code: str
    name: str


class ProjectItem(Schema):
    number: str
    framework: str
    acronym: str
    title: str
    start: date | None
    end: date | None
    total_cost: float | None
    eu_contribution: float | None
    url: str = Field(description="Path of the project's page")

    @staticmethod
    def resolve_url(obj: Project) -> str:
        return obj.get_absolute_url()


class ParticipationOut(Schema):
    organisation: OrganisationRef
    role: Participation.Role
    eu_contribution: float | None
    net_eu_contribution: float | None
    total_cost: float | None
    region: RegionRef | None = Field(description="Where the participant was when it took part")


class ProjectOut(ProjectItem):
    abstract: str
    programme: ProgrammeRef | None
    call: str | None = Field(description="Call identifier")
    topic_code: str
    topic_title: str
    type_of_action: str
    thematic_priority: str
    signature_date: date | None
    participant_count: int | None
    source_url: str = Field(description="The project's page at its source (CORDIS), where known")
    concepts: list[ConceptRef]
    participations: list[ParticipationOut]

    @staticmethod
    def resolve_call(obj: Project) -> str | None:
        return obj.call.identifier if obj.call_id else None

    @staticmethod
    def resolve_source_url(obj: Project) -> str:
        return obj.url

    @staticmethod
    def resolve_concepts(obj: Project) -> list[Concept]:
        return list(obj.concepts.all())

    @staticmethod
    def resolve_participations(obj: Project) -> list[Participation]:
        return list(obj.participations.all())


class ProjectFilters(Schema):
    search: str | None = Field(None, description="Part of the acronym or title, or the project number")
    framework: str | None = Field(None, description="Framework programme, e.g. H2020, FP7, HORIZON")
    region: str | None = Field(None, pattern=NUTS_CODE,
                               description="A NUTS code: projects with a participant in it or in a region below it")
    organisation: int | None = Field(None, description="Id of a participating organisation")
    thematic_priority: str | None = Field(None, description="Part of the thematic priority")


@router.get("/", response={200: list[ProjectItem], **INVALID}, summary="List projects")
@paginate(LimitOffsetPagination)
def list_projects(request, filters: Query[ProjectFilters]):
    """Projects by region of a participant (sub-regions included), framework, organisation and words."""
    queryset = Project.objects.order_by("-start", "number")
    params = filters.dict()
    params["q"] = params.pop("search")
    return apply_filterset(ProjectFilterSet, queryset, params, aliases={"q": "search"})


@router.get("/{number}", response={200: ProjectOut, **NOT_FOUND}, summary="One project")
def project_detail(request, number: str):
    """A project with its programme, call, classification and participants."""
    coordinator_first = Case(When(role=Participation.Role.COORDINATOR, then=0), default=1)
    participations = Participation.objects.select_related("organisation", "region").order_by(
        coordinator_first, "organisation__name")
    queryset = Project.objects.select_related("programme", "call").prefetch_related(
        Prefetch("participations", queryset=participations),
        Prefetch("concepts", queryset=Concept.objects.select_related("scheme")),
    )
    try:
        return queryset.get(number=number)
    except Project.DoesNotExist:
        raise ApiError(404, f"no project number {number!r}") from None
