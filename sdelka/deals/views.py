"""Pages of deals: the list, the form (with the selects that follow the client), and the stage and status
actions on one deal, all through the services. The deal card with its tabs is ``sdelka.deals.card``."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.models import User
from sdelka.accounts.permissions import role_can
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core.forms import add_service_errors
from sdelka.core.views import apply_sort, ensure_role, paginate
from sdelka.deals import card, selectors, services
from sdelka.deals.forms import DealForm, DealListFilterForm, LostForm, MoveToStageForm
from sdelka.deals.models import Stage

DEAL_SORTS = {
    "number": ("number",),
    "name": ("name",),
    "partner": ("partner__name",),
    "amount": ("expected_amount",),
    "probability": ("probability",),
    "close_date": ("planned_close_date",),
}
_deal_or_404 = card.deal_or_404
conflict_message = card.conflict_message
_tab_url = card.tab_url


# --- the list -----------------------------------------------------------------------------------------------


def _filter_managers(user):
    covered = covered_user_ids(user)
    users = User.objects.all() if covered is None else User.objects.filter(pk__in=covered)
    return users.order_by("last_name", "first_name", "username")


def _apply_filters(deals, cleaned: dict):
    if cleaned.get("q"):
        text = cleaned["q"].strip()
        deals = deals.filter(
            Q(number__icontains=text) | Q(name__icontains=text) | Q(partner__name__icontains=text)
        )
    for name in ("kind", "stage", "manager", "status"):
        if cleaned.get(name):
            deals = deals.filter(**{name: cleaned[name]})
    if cleaned.get("partner"):
        deals = deals.filter(partner__name__icontains=cleaned["partner"].strip())
    if cleaned.get("start_from"):
        deals = deals.filter(start_date__gte=cleaned["start_from"])
    if cleaned.get("start_to"):
        deals = deals.filter(start_date__lte=cleaned["start_to"])
    if cleaned.get("closed") in ("yes", "no"):
        deals = deals.filter(closed=cleaned["closed"] == "yes")
    return deals


def _mark_progress(deals) -> None:
    """Each deal's stage position among its kind's stages, from one query for the whole page."""
    kind_ids = {deal.kind_id for deal in deals if deal.stage_id}
    positions: dict[int, list[int]] = defaultdict(list)
    for kind_id, stage_id in (
        Stage.objects.filter(kind_id__in=kind_ids).order_by("order", "id").values_list("kind_id", "pk")
    ):
        positions[kind_id].append(stage_id)
    for deal in deals:
        stages = positions.get(deal.kind_id, [])
        deal.stage_position = stages.index(deal.stage_id) + 1 if deal.stage_id in stages else 0
        deal.stage_total = len(stages)
        deal.stage_percent = round(100 * deal.stage_position / deal.stage_total) if stages else 0


@login_required
def deal_list(request):
    user = request.user
    query = request.GET
    managers = _filter_managers(user)
    form = DealListFilterForm(query, managers=managers)
    cleaned = form.cleaned_data if form.is_valid() else {}
    deals = _apply_filters(selectors.deal_list(user=user), cleaned)
    deals, sort = apply_sort(deals, query.get("sort"), DEAL_SORTS, "-number")
    page = paginate(deals, query.get("page"))
    _mark_progress(page.object_list)
    context = {
        "form": form,
        "query": query,
        "page": page,
        "sort": sort,
        "kinds": form.fields["kind"].queryset,
        "stages": form.fields["stage"].queryset,
        "statuses": form.fields["status"].choices[1:],
        "managers": managers,
        "closed_choices": form.fields["closed"].choices,
        "can_add": role_can(user, "add", "deal"),
    }
    return render(request, "deals/deal_list.html", context)


# --- the form -----------------------------------------------------------------------------------------------


@login_required
def deal_create(request):
    ensure_role(request.user, "add", "deal")
    initial = {}
    if str(request.GET.get("partner", "")).isdigit():
        initial["partner"] = request.GET["partner"]
    form = DealForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            deal = services.deal_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Deal %(number)s created.") % {"number": deal.number})
            return redirect("deals:deal_detail", pk=deal.pk)
    return render(request, "deals/deal_form.html", {"form": form, "deal": None})


@login_required
def deal_edit(request, pk: int):
    deal = _deal_or_404(request.user, pk)
    ensure_role(request.user, "change", "deal")
    form = DealForm(request.POST or None, instance=deal, actor=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.deal_update(
                actor=request.user, deal=deal, data=form.service_data(), version=form.cleaned_data["version"]
            )
        except services.DealVersionConflict as error:
            conflict = conflict_message(error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Deal %(number)s saved.") % {"number": deal.number})
            return redirect("deals:deal_detail", pk=deal.pk)
    return render(request, "deals/deal_form.html", {"form": form, "deal": deal, "conflict": conflict})


@login_required
def deal_form_options(request):
    """The counterparty, contract and contact-person selects of the deal form for the client chosen in it.

    The form's querysets decide the options, so they are scoped as the form is: clients the user sees (and
    the deal's own client when ``deal`` is given); a value that does not belong to the new choice is dropped.
    """
    query = request.GET
    deal = None
    if str(query.get("deal", "")).isdigit():
        deal = _deal_or_404(request.user, query["deal"])
        ensure_role(request.user, "change", "deal")
    else:
        ensure_role(request.user, "add", "deal")
    initial = {name: query.get(name) or None for name in ("partner", "counterparty", "contract")}
    initial["contacts"] = [value for value in query.getlist("contacts") if value.isdigit()]
    form = DealForm(actor=request.user, instance=deal, initial=initial)
    return render(request, "deals/partials/_deal_form_parties.html", {"form": form})


# --- actions on one deal (the card with its tabs and in-place actions is ``card``) ---------------------------


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _run_action(request, pk: int, action, success: str, tab: str = "main"):
    """Run a service on the user's deal; a refusal or a conflict becomes a message on the deal's page."""
    deal = _deal_or_404(request.user, pk)
    ensure_role(request.user, "change", "deal")
    try:
        result = action(deal)
    except services.DealVersionConflict as error:
        messages.error(request, conflict_message(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, result if isinstance(result, str) else success)
    return redirect(_tab_url(pk, tab))


@require_POST
@login_required
def deal_move(request, pk: int):
    def action(deal):
        form = MoveToStageForm(request.POST, deal=deal)
        if not form.is_valid():
            raise ValidationError(_("Choose a stage of the deal's kind."))
        stage = form.cleaned_data["stage"]
        services.deal_move_to_stage(actor=request.user, deal=deal, stage=stage, version=_version(request))
        return _("The deal moved to the stage “%(stage)s”.") % {"stage": stage.name}

    return _run_action(request, pk, action, _("The deal moved to another stage."))


@require_POST
@login_required
def deal_won(request, pk: int):
    return _run_action(
        request,
        pk,
        lambda deal: services.deal_mark_won(actor=request.user, deal=deal, version=_version(request)),
        _("The deal is won."),
    )


@require_POST
@login_required
def deal_lost(request, pk: int):
    def action(deal):
        form = LostForm(request.POST, actor=request.user)
        if not form.is_valid():
            raise ValidationError(_("Choose a lost reason and a competitor from the lists."))
        services.deal_mark_lost(
            actor=request.user,
            deal=deal,
            version=_version(request),
            lost_reason=form.cleaned_data["lost_reason"],
            competitor=form.cleaned_data["competitor"],
        )

    return _run_action(request, pk, action, _("The deal is lost."))


@require_POST
@login_required
def deal_close(request, pk: int):
    return _run_action(
        request,
        pk,
        lambda deal: services.deal_close(actor=request.user, deal=deal, version=_version(request)),
        _("The deal is closed."),
    )


@require_POST
@login_required
def deal_reopen(request, pk: int):
    return _run_action(
        request,
        pk,
        lambda deal: services.deal_reopen(actor=request.user, deal=deal, version=_version(request)),
        _("The deal is reopened."),
    )


@require_POST
@login_required
def deal_primary_demand(request, pk: int):
    return _run_action(
        request,
        pk,
        lambda deal: services.deal_record_primary_demand(
            actor=request.user, deal=deal, version=_version(request)
        ),
        _("The primary demand is recorded."),
        tab="demand",
    )
