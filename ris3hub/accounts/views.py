"""The site login and a person's account: roles and requests, consents, their data, deleting the account."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ris3hub.accounts import notifications, privacy, roles
from ris3hub.accounts.actions import can_decide_request, do_decide_request, do_request_editor, requests_decidable_by
from ris3hub.accounts.forms import DecisionForm, DeleteAccountForm, EditorRequestForm, LoginForm, SignUpForm
from ris3hub.accounts.models import EditorRequest, RoleAssignment


class SiteLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class SiteLogoutView(auth_views.LogoutView):
    """Sign out (a POST, as Django requires); back to the page named by ``next`` or the home page."""


def app_login(request, default_next: str):
    """The old login pages of events, monitoring, consultations and practices: the site login, keeping ?next=."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = ""
    return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': target or reverse(default_next)})}")


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s: your account is ready.") % {"name": user.get_username()})
        return redirect(_safe_next(request) or "accounts:account")
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)},
                  status=400 if request.method == "POST" else 200)


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")
    success_message = gettext_lazy("Your password was changed.")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def account(request):
    user = request.user
    consents = privacy._consents(user)
    return render(request, "accounts/account.html", {
        "assignments": RoleAssignment.objects.filter(user=user).select_related("organisation"),
        "is_administrator": roles.is_administrator(user), "is_analyst": roles.is_analyst(user),
        "editor_requests": EditorRequest.objects.filter(user=user).select_related("organisation", "decided_by"),
        "request_form": EditorRequestForm(initial={"organisation": request.GET.get("organisation", "")}),
        "responses": consents["consultation_responses"], "registrations": consents["event_registrations"],
        "to_decide": requests_decidable_by(user).count(),
    })


@login_required
def request_editor(request):
    form = EditorRequestForm(request.POST or None, initial={"organisation": request.GET.get("organisation", "")})
    if request.method == "POST" and form.is_valid():
        try:
            editor_request = do_request_editor(request.user, form.cleaned_data["organisation"],
                                               form.cleaned_data["message"])
        except ValidationError as exc:
            form.add_error("organisation", exc)
        else:
            notifications.notify_request(editor_request, request.build_absolute_uri(reverse("accounts:requests")))
            messages.success(request, _("Request sent: a coordinator of one of %(name)s's networks or an "
                                        "administrator will decide.") % {"name": form.cleaned_data["organisation"]})
            return redirect("accounts:account")
    return render(request, "accounts/request_editor.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def data_export(request):
    data = privacy.export_user_data(request.user)
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ris3hub-my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request):
    user = request.user
    reason = privacy.refusal(user)
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and reason is None and form.is_valid():
        try:
            privacy.do_delete_account(user)
        except privacy.AccountDeletionRefused as exc:
            reason = str(exc)
        else:
            logout(request)
            messages.success(request, _("Your account was deleted."))
            return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form, "refusal": reason},
                  status=400 if request.method == "POST" else 200)


@login_required
def request_list(request):
    pending = list(requests_decidable_by(request.user).order_by("created", "pk"))
    if not pending and not (roles.is_administrator(request.user) or roles.coordinated_network_ids(request.user)):
        raise PermissionDenied(_("Only network coordinators and administrators decide requests."))
    decided = (EditorRequest.objects.filter(decided_by=request.user).select_related("user", "organisation")
               .order_by("-decided_at")[:20])
    return render(request, "accounts/requests.html", {"pending": pending, "decided": decided})


@require_POST
@login_required
def decide_request(request, pk: int):
    editor_request = get_object_or_404(EditorRequest.objects.select_related("user", "organisation"), pk=pk)
    if not can_decide_request(request.user, editor_request):
        raise PermissionDenied(_("Only a coordinator of one of the organisation's networks or an administrator "
                                 "decides this request."))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse the request."))
        return redirect("accounts:requests")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        editor_request = do_decide_request(editor_request, request.user, approve, form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        notifications.notify_decision(editor_request, request.build_absolute_uri(reverse("accounts:account")))
        name = editor_request.user.get_username()
        if approve:
            messages.success(request, _("%(name)s is now an editor of %(organisation)s.")
                             % {"name": name, "organisation": editor_request.organisation})
        else:
            messages.success(request, _("The request of %(name)s was refused.") % {"name": name})
    return redirect("accounts:requests")
