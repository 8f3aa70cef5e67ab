"""Settings pages of deals: the deal kinds with their stages, and the lost reasons.

Everyone may look (a manager wants to know a kind's process); administrators change them. Every write
goes through ``sdelka.deals.services``, which refuses what would break existing deals with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.accounts.permissions import role_can
from sdelka.core.history import history_for
from sdelka.core.views import ensure_role, form_page
from sdelka.deals import selectors, services
from sdelka.deals.kinds_forms import DealKindForm, LostReasonForm, StageForm
from sdelka.deals.models import DealKind, LostReason, Stage


@login_required
def kind_list(request):
    kinds = selectors.deal_kind_list().annotate(deal_count=Count("deals", distinct=True)).order_by("name")
    reasons = selectors.lost_reason_list().annotate(deal_count=Count("deals")).order_by("name")
    context = {
        "kinds": kinds,
        "reasons": reasons,
        "can_change_kinds": role_can(request.user, "change", "deal_kind"),
        "can_change_reasons": role_can(request.user, "change", "lost_reason"),
    }
    return render(request, "deals/kinds/kind_list.html", context)


@login_required
def kind_detail(request, pk: int):
    kind = get_object_or_404(selectors.deal_kind_list(), pk=pk)
    can_change = role_can(request.user, "change", "deal_kind")
    stages = kind.stages.annotate(deal_count=Count("deals")).order_by("order", "id")
    context = {
        "kind": kind,
        "stages": stages,
        "stage_form": StageForm(prefix="new"),
        "can_change": can_change,
        "can_delete": role_can(request.user, "delete", "deal_kind"),
        "history": history_for(kind),
    }
    return render(request, "deals/kinds/kind_detail.html", context)


def _kind_form_page(request, kind: DealKind | None):
    def save(data: dict) -> DealKind:
        if kind is None:
            return services.deal_kind_create(actor=request.user, data=data)
        return services.deal_kind_update(actor=request.user, kind=kind, data=data)

    return form_page(
        request,
        DealKindForm(request.POST or None, instance=kind),
        save=save,
        template="deals/kinds/kind_form.html",
        context={"kind": kind},
        success=lambda saved: _("Deal kind “%(kind)s” saved.") % {"kind": saved},
        next_url=lambda saved: reverse("deal_kinds:kind_detail", args=[saved.pk]),
        instance=kind,
    )


@login_required
def kind_create(request):
    ensure_role(request.user, "add", "deal_kind")
    return _kind_form_page(request, None)


@login_required
def kind_edit(request, pk: int):
    kind = get_object_or_404(DealKind, pk=pk)
    ensure_role(request.user, "change", "deal_kind")
    return _kind_form_page(request, kind)


@login_required
@require_POST
def kind_delete(request, pk: int):
    kind = get_object_or_404(DealKind, pk=pk)
    ensure_role(request.user, "delete", "deal_kind")
    name = str(kind)
    try:
        services.deal_kind_delete(actor=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("deal_kinds:kind_detail", pk=pk)
    messages.success(request, _("Deal kind “%(kind)s” deleted.") % {"kind": name})
    return redirect("deal_kinds:kind_list")


@login_required
@require_POST
def stage_add(request, pk: int):
    kind = get_object_or_404(DealKind, pk=pk)
    ensure_role(request.user, "change", "deal_kind")
    form = StageForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            stage = services.stage_create(actor=request.user, data={**form.service_data(), "kind": kind})
        except ValidationError as error:
            messages.error(
                request, _("The stage was not added: %(errors)s") % {"errors": " ".join(error.messages)}
            )
        else:
            messages.success(request, _("Stage “%(stage)s” added.") % {"stage": stage})
    else:
        messages.error(request, _("The stage was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("deal_kinds:kind_detail", pk=pk)


@login_required
@require_POST
def stage_edit(request, pk: int, stage_pk: int):
    stage = get_object_or_404(Stage, pk=stage_pk, kind_id=pk)
    ensure_role(request.user, "change", "deal_kind")
    form = StageForm(request.POST, prefix=f"stage-{stage.pk}")
    if form.is_valid():
        data = {name: value for name, value in form.service_data().items() if value is not None}
        try:
            services.stage_update(actor=request.user, stage=stage, data=data)
        except ValidationError as error:
            messages.error(
                request, _("The stage was not saved: %(errors)s") % {"errors": " ".join(error.messages)}
            )
        else:
            messages.success(request, _("Stage “%(stage)s” saved.") % {"stage": stage})
    else:
        messages.error(request, _("The stage was not saved: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("deal_kinds:kind_detail", pk=pk)


@login_required
@require_POST
def stage_delete(request, pk: int, stage_pk: int):
    stage = get_object_or_404(Stage, pk=stage_pk, kind_id=pk)
    ensure_role(request.user, "change", "deal_kind")
    name = str(stage)
    try:
        services.stage_delete(actor=request.user, stage=stage)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Stage “%(stage)s” deleted.") % {"stage": name})
    return redirect("deal_kinds:kind_detail", pk=pk)


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}".lstrip(": ")
        for name, errors in form.errors.items()
    )


def _reason_form_page(request, reason: LostReason | None):
    def save(data: dict) -> LostReason:
        if reason is None:
            return services.lost_reason_create(actor=request.user, data=data)
        return services.lost_reason_update(actor=request.user, reason=reason, data=data)

    return form_page(
        request,
        LostReasonForm(request.POST or None, instance=reason),
        save=save,
        template="deals/kinds/reason_form.html",
        context={"reason": reason},
        success=lambda saved: _("Lost reason “%(reason)s” saved.") % {"reason": saved},
        next_url=lambda saved: reverse("deal_kinds:kind_list"),
        instance=reason,
    )


@login_required
def reason_create(request):
    ensure_role(request.user, "add", "lost_reason")
    return _reason_form_page(request, None)


@login_required
def reason_edit(request, pk: int):
    reason = get_object_or_404(LostReason, pk=pk)
    ensure_role(request.user, "change", "lost_reason")
    return _reason_form_page(request, reason)


@login_required
@require_POST
def reason_delete(request, pk: int):
    reason = get_object_or_404(LostReason, pk=pk)
    ensure_role(request.user, "delete", "lost_reason")
    name = str(reason)
    try:
        services.lost_reason_delete(actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lost reason “%(reason)s” deleted.") % {"reason": name})
    return redirect("deal_kinds:kind_list")
