"""The choices of the S3 profile page: which matrix, and which domain the map shows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ris3hub.analytics.matrices import MAX_DEPTH, SCHEMES, WEIGHTS, MatrixSpec


class MatrixForm(forms.Form):
    """A GET form: the scheme, the weight and the EuroSciVoc depth of the matrix.

    The page binds it to the query with the defaults filled in (``with_defaults``), so that the
    form always shows the matrix the page computed."""

    scheme = forms.ChoiceField(label=_("Domains"), required=False)
    weight = forms.ChoiceField(label=_("Counted by"), required=False, choices=list(WEIGHTS.items()))
    depth = forms.TypedChoiceField(label=_("EuroSciVoc depth"), required=False, coerce=int, empty_value=2,
                                   choices=[(d, str(d)) for d in range(1, MAX_DEPTH + 1)])

    def __init__(self, data, schemes: list[str], *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["scheme"].choices = [(s, SCHEMES[s].label) for s in schemes]
        self.schemes = schemes

    @staticmethod
    def with_defaults(query, schemes: list[str]):
        data = query.copy()
        for key, value in (("scheme", schemes[0] if schemes else ""), ("weight", "count"), ("depth", "2")):
            if not data.get(key):
                data[key] = value
        return data

    def spec(self, level: int) -> MatrixSpec:
        """The matrix chosen (the default scheme and weight where none or a wrong one is given)."""
        data = self.cleaned_data if self.is_valid() else {}
        scheme = data.get("scheme") or self.schemes[0]
        weight = data.get("weight") or "count"
        if weight not in SCHEMES[scheme].weights:
            weight = SCHEMES[scheme].weights[0]
        return MatrixSpec(scheme, level=level, weight=weight, depth=data.get("depth") or 2)


class DomainForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain shown on the map"), required=False)

    def __init__(self, data, domains: list[tuple[str, str]], *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.fields["domain"].choices = domains
