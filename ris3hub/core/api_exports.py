"""``GET /api/exports/{dataset}``: a whole dataset (or the rows a list page's filters select) as CSV or
XLSX, for programs. The file is the one the list page's ``?export=`` gives (ris3hub.core.lists): the
same rows, columns, formula neutralisation and the same rules on who sees what.

Bulk downloads need a signed-in caller: an API token with the ``export`` scope, or the site's session.
Columns that are not public (contacts) come only to those who may see them, and with a token only when
it has the ``read`` scope too.
"""

from __future__ import annotations

from typing import Literal

from django.http import QueryDict
from ninja import Field, Query, Router, Schema

from ris3hub.core.errors import ApiError, ErrorOut
from ris3hub.projects.views import ProjectListView
from ris3hub.regions.views import RegionListView
from ris3hub.registry.views import OrganisationListView
from ris3hub.tokens.auth import AUTH_ERRORS, SIGNED_IN, api_user, require_scope

router = Router(tags=["exports"])

LIST_VIEWS = {"organisations": OrganisationListView, "regions": RegionListView, "projects": ProjectListView}
Dataset = Literal["organisations", "regions", "projects"]

_FILES = {"content": {
    "text/csv": {"schema": {"type": "string", "description": "UTF-8 with a byte-order mark, header row first"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string",
                                                                                       "format": "binary"}},
}, "description": "The file, as an attachment"}


class ExportQuery(Schema):
    format: Literal["csv", "xlsx"] = Field("csv", description="csv or xlsx")


@router.get("/{dataset}", response={200: None, **AUTH_ERRORS, 422: ErrorOut}, auth=SIGNED_IN,
            openapi_extra={"responses": {200: _FILES}}, summary="Download a dataset")
def export_dataset(request, dataset: Dataset, query: Query[ExportQuery]):
    """Every row of ``dataset``, or those the filters of its list page select (``/organisations/``:
    ``q``, ``kind``, ``region``, ...; pass them as query parameters)."""
    require_scope(request, "export")
    # Non-public columns (an organisation's contacts) only for a token that may also read non-public data.
    request.user = api_user(request)
    params = QueryDict(mutable=True)
    params.update(request.GET)
    params.pop("format", None)
    params["export"] = query.format
    request.GET = params
    response = LIST_VIEWS[dataset].as_view()(request)
    if response.status_code == 400:
        raise ApiError(422, response.content.decode("utf-8", "replace"))
    return response
