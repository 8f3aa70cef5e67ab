"""Login and logout, and the administrators' pages for users and teams.

The users pages answer 404 to everyone but administrators: a manager need not learn that they exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sdelka.accounts import selectors, services
from sdelka.accounts.forms import LoginForm, TeamCreateForm, TeamHeadForm, UserCreateForm, UserEditForm
from sdelka.accounts.models import Team, User
from sdelka.accounts.permissions import role_can
from sdelka.core.forms import add_service_errors


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Log in by username and password, refusing for a while after too many failures (status 429)."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = request.META.get("REMOTE_ADDR") or None
        try:
            services.login_throttle_check(username=username, address=address)
        except services.LoginThrottled as error:
            form.add_error(None, str(error))
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                services.login_failure_record(username=username, address=address)
                form.add_error(None, _("Wrong username or password, or the account is deactivated."))
            else:
                services.login_failures_clear(username=username)
                login(request, user)
                return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _ensure_administrator(request) -> None:
    if not role_can(request.user, "change", "user"):
        raise Http404


def _team_from(form) -> Team | None:
    if form.cleaned_data.get("new_team"):
        return services.team_get_or_create(name=form.cleaned_data["new_team"])
    return form.cleaned_data.get("team")


@login_required
def user_list(request):
    _ensure_administrator(request)
    teams = list(selectors.team_list().order_by("name"))
    for team in teams:
        team.head_form = TeamHeadForm(initial={"head": team.head_id}, prefix=f"team{team.pk}")
    context = {
        "users": selectors.user_list().order_by("-is_active", "last_name", "first_name", "username"),
        "teams": teams,
        "team_form": TeamCreateForm(),
    }
    return render(request, "accounts/user_list.html", context)


@sensitive_post_parameters("password")
@login_required
def user_create(request):
    _ensure_administrator(request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused user leaves no new team behind.
            with transaction.atomic():
                user = services.user_create(
                    username=data["username"],
                    password=data["password"],
                    role=data["role"],
                    team=_team_from(form),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("User “%(user)s” created.") % {"user": user})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited": None})


@sensitive_post_parameters("password")
@login_required
def user_edit(request, pk: int):
    _ensure_administrator(request)
    edited = get_object_or_404(User.objects.select_related("team"), pk=pk)
    form = UserEditForm(request.POST or None, user=edited, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("first_name", "last_name", "email", "role", "is_active")
        }
        if form.cleaned_data["password"]:
            data["password"] = form.cleaned_data["password"]
        try:
            with transaction.atomic():
                data["team"] = _team_from(form)
                services.user_update(user=edited, data=data)
        except ValidationError as error:
            edited.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, _("User “%(user)s” saved.") % {"user": edited})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited": edited})


@require_POST
@login_required
def team_create(request):
    _ensure_administrator(request)
    form = TeamCreateForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_get_or_create(name=form.cleaned_data["name"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Team “%(team)s” is in the list.") % {"team": team})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accounts:user_list")


@require_POST
@login_required
def team_set_head(request, pk: int):
    _ensure_administrator(request)
    team = get_object_or_404(Team, pk=pk)
    form = TeamHeadForm(request.POST, prefix=f"team{team.pk}")
    if form.is_valid():
        try:
            services.team_set_head(team=team, head=form.cleaned_data["head"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Team “%(team)s” saved.") % {"team": team})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accounts:user_list")
