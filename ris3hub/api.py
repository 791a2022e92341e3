"""The REST API: one NinjaAPI, routers from each app's api module, one error shape.

Served at /api/ (ris3hub/urls.py), OpenAPI schema at /api/schema, Swagger UI at /api/docs
(from django-ninja's own static files: "ninja" is in INSTALLED_APPS, no CDN).
"""

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from ninja import NinjaAPI, Router, Schema

from ris3hub.analytics.api import router as analytics_router
from ris3hub.core.api_exports import router as exports_router
from ris3hub.core.errors import ErrorOut, install_error_handlers, method_not_allowed_as_error
from ris3hub.consultation.api import router as consultation_router
from ris3hub.events.api import router as events_router
from ris3hub.indicators.api import router as indicators_router
from ris3hub.monitoring.api import router as monitoring_router
from ris3hub.practices.api import router as practices_router
from ris3hub.projects.api import router as projects_router
from ris3hub.regions.api import router as regions_router
from ris3hub.registry.api import router as registry_router
from ris3hub.search.api import router as search_router
from ris3hub.security.openapi import document_limits
from ris3hub.taxonomy.api import router as taxonomy_router
from ris3hub.tokens.auth import check_bearer_token

DESCRIPTION = """\
Read-only access to the ris3hub registry: NUTS regions, organisations, projects,
classification schemes and indicators.

Lists answer `{"count": N, "results": [...]}`, paged with `limit` (default 50, at most 500)
and `offset`. Every error answers `{"ok": false, "code": "...", "message": "...", "errors": [...]}`.

Data: Source: CORDIS / Eurostat / © EuroGeographics for the administrative boundaries.
"""

class Ris3hubAPI(NinjaAPI):
    @property
    def urls(self):
        """django-ninja's URL patterns, with 405 answers in the API's error shape; a request with an
        API token that is not valid answers 401 on every endpoint."""
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = check_bearer_token(method_not_allowed_as_error(pattern.callback))
        return patterns, app_name, namespace

    def get_openapi_schema(self, **kwargs):
        """ninja's schema, plus the 429 and 413 answers every endpoint may give (ris3hub.security)."""
        return document_limits(super().get_openapi_schema(**kwargs))


api = Ris3hubAPI(
    title="ris3hub API",
    version="1",
    description=DESCRIPTION,
    docs_url="/docs",
    openapi_url="/schema",
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("/regions/", regions_router)
api.add_router("/organisations/", registry_router)
api.add_router("/projects/", projects_router)
api.add_router("/taxonomy/", taxonomy_router)
api.add_router("/indicators/", indicators_router)
api.add_router("/s3/", analytics_router)
api.add_router("/monitoring/", monitoring_router)
api.add_router("/events/", events_router)
api.add_router("/consultations/", consultation_router)
api.add_router("/practices/", practices_router)
api.add_router("/search/", search_router)
api.add_router("/exports/", exports_router)


class IndexOut(Schema):
    docs: str
    schema_url: str
    resources: dict[str, str]


fallback = Router(tags=["index"])


@fallback.get("/", response=IndexOut, summary="API index")
def index(request):
    """Where the documentation, the schema and each resource list are."""
    root = reverse("api:index")
    return {
        "docs": reverse("api:openapi-view"),
        "schema_url": reverse("api:openapi-json"),
        "resources": {name: f"{root}{name}/" for name in ("regions", "organisations", "projects", "indicators")}
        | {"taxonomy": f"{root}taxonomy/schemes"},
    }


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}",
                        response={404: ErrorOut}, include_in_schema=False)
def unknown_path(request, rest: str):
    """Any other path under /api/: a 404 in the API's error shape, not Django's HTML page.

    A path that only lacks its final slash (/api/regions?country=IT) is redirected to the
    slashed one, as Django's APPEND_SLASH would do had this catch-all not matched first.
    """
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "unknown_path":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    raise Http404(f"no API endpoint at {request.path}; the endpoints are listed at {reverse('api:openapi-view')}")


# Last, so that it only answers paths no other router has.
api.add_router("", fallback)
