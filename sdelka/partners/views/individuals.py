"""Pages of individuals (private persons known to the company)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sdelka.accounts.permissions import role_can
from sdelka.core.history import history_for
from sdelka.core.views import apply_sort, ensure_role, form_page, paginate
from sdelka.partners import selectors, services
from sdelka.partners.filters import IndividualFilter
from sdelka.partners.forms import (
    IndividualForm,
)
from sdelka.partners.models import Individual

INDIVIDUAL_SORTS = {"name": ("name",), "birthday": ("birthday",), "created": ("created_at",)}


def _individual_or_404(user, pk) -> Individual:
    try:
        return selectors.individual_list(user=user).get(pk=pk)
    except Individual.DoesNotExist as error:
        raise Http404 from error


@login_required
def individual_list(request):
    filterset = IndividualFilter(request.GET, queryset=selectors.individual_list(user=request.user))
    individuals = filterset.qs
    search = request.GET.get("q", "").strip()
    individuals, sort = apply_sort(individuals, request.GET.get("sort"), INDIVIDUAL_SORTS, "name")
    context = {
        "filter": filterset,
        "page": paginate(individuals, request.GET.get("page")),
        "sort": sort,
        "search": search,
        "can_add": role_can(request.user, "add", "individual"),
    }
    return render(request, "partners/individual_list.html", context)


@login_required
def individual_create(request):
    ensure_role(request.user, "add", "individual")
    return form_page(
        request,
        IndividualForm(request.POST or None),
        save=lambda data: services.individual_create(actor=request.user, data=data),
        template="partners/individual_form.html",
        context={"individual": None},
        success=lambda individual: _("Individual “%(name)s” created.") % {"name": individual.name},
        next_url=lambda individual: reverse("partners:individual_detail", args=[individual.pk]),
    )


@login_required
def individual_edit(request, pk: int):
    individual = _individual_or_404(request.user, pk)
    ensure_role(request.user, "change", "individual")
    return form_page(
        request,
        IndividualForm(request.POST or None, instance=individual),
        save=lambda data: services.individual_update(actor=request.user, individual=individual, data=data),
        template="partners/individual_form.html",
        context={"individual": individual},
        success=lambda saved: _("Individual “%(name)s” saved.") % {"name": saved.name},
        next_url=lambda saved: reverse("partners:individual_detail", args=[saved.pk]),
        instance=individual,
    )


@login_required
def individual_detail(request, pk: int):
    individual = _individual_or_404(request.user, pk)
    context = {
        "individual": individual,
        "history": history_for(individual),
        "can_change": role_can(request.user, "change", "individual"),
        "can_delete": role_can(request.user, "delete", "individual"),
    }
    return render(request, "partners/individual_detail.html", context)


@login_required
def individual_delete(request, pk: int):
    individual = _individual_or_404(request.user, pk)
    ensure_role(request.user, "delete", "individual")
    if request.method == "POST":
        name = individual.name
        services.individual_delete(actor=request.user, individual=individual)
        messages.success(request, _("Individual “%(name)s” deleted.") % {"name": name})
        return redirect("partners:individual_list")
    return render(request, "partners/individual_confirm_delete.html", {"individual": individual})
