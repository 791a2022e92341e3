"""The list pages' shared behaviour: filters, a sortable paged table, and CSV/XLSX export."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ris3hub.core.exports import export_response

EXPORT_FORMATS = ("csv", "xlsx")
PER_PAGE = 25


class FilteredListView(SingleTableMixin, FilterView):
    """A filtered, sorted, paged table; ``?export=csv|xlsx`` downloads the filtered rows instead.

    Subclasses set ``filterset_class``, ``table_class``, ``template_name`` and ``dataset`` (the name
    ris3hub.core.exports knows the rows by).
    """

    dataset: str = ""
    table_pagination = {"per_page": PER_PAGE}
    export_formats = EXPORT_FORMATS

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt is None:
            return super().get(request, *args, **kwargs)
        if fmt not in self.export_formats:
            return HttpResponseBadRequest(f"export format must be one of {', '.join(self.export_formats)}")
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            return HttpResponseBadRequest("invalid filters: " + filterset.errors.as_text())
        return export_response(self.dataset, filterset.qs, fmt)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        context["total"] = context["table"].paginator.count
        return context
