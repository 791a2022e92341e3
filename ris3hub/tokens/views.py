"""/tokens/: a signed-in user creates (and sees the secret of, once), lists and revokes their API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ris3hub.tokens.actions import create_token, revoke_token
from ris3hub.tokens.forms import TokenForm
from ris3hub.tokens.models import ApiToken


# The new secret travels from the POST to the page after the redirect in the session, and is removed from it
# when that page shows it: a reload neither shows it again nor creates a second token.
NEW_SECRET = "tokens_new_secret"


@never_cache
@login_required
def token_list(request):
    """The user's tokens and the form to create one; just after creation, the secret (that page only)."""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                new = create_token(request.user, form.cleaned_data["name"], form.cleaned_data["scopes"],
                                   expires_days=form.cleaned_data["expires_days"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[NEW_SECRET] = {"id": new.token.pk, "secret": new.secret}
                return redirect("tokens:list")
    else:
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    shown = request.session.pop(NEW_SECRET, None)
    new = None
    if shown:
        token = next((t for t in tokens if t.pk == shown["id"]), None)
        new = {"token": token, "secret": shown["secret"]} if token else None
    return render(request, "tokens/token_list.html", {"form": form, "tokens": tokens, "new": new},
                  status=422 if form.errors else 200)


@require_POST
@login_required
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another user's token: 404, as if absent
    revoke_token(token)
    messages.success(request, _("The token %(prefix)s… is revoked: programs using it are refused from now on.")
                     % {"prefix": token.prefix})
    return redirect("tokens:list")
