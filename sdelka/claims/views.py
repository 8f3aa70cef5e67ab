"""Pages of customer claims: the list with filters, a claim's page, register/edit, settle, and the report.

Every view checks the role and reads claims through ``sdelka.claims.selectors`` (a foreign claim is 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sdelka.claims import selectors, services
from sdelka.claims.choices import ClaimResult, ClaimStatus
from sdelka.claims.filters import ClaimFilter
from sdelka.claims.forms import ClaimForm, ClaimSettleForm
from sdelka.claims.models import Claim
from sdelka.core.forms import add_service_errors
from sdelka.core.history import history_for
from sdelka.core.views import ensure_role, form_page, paginate


def _claim_or_404(user, pk) -> Claim:
    try:
        return selectors.claim_get(user=user, pk=pk)
    except Claim.DoesNotExist as error:
        raise Http404 from error


def _filtered(request) -> ClaimFilter:
    return ClaimFilter(request.GET or None, queryset=selectors.claim_list(user=request.user))


@login_required
def claim_list(request):
    ensure_role(request.user, "view", "claim")
    filtered = _filtered(request)
    page = paginate(filtered.qs, request.GET.get("page"))
    return render(request, "claims/claim_list.html", {"page": page, "filter": filtered})


@login_required
def claim_report(request):
    ensure_role(request.user, "view", "claim")
    filtered = _filtered(request)
    report = selectors.claim_report(claims=filtered.qs)
    statuses, results = dict(ClaimStatus.choices), dict(ClaimResult.choices)
    for row in report.by_status:
        row["label"] = statuses.get(row["status"], row["status"])
    for row in report.by_result:
        row["label"] = results.get(row["result"], row["result"])
    context = {"filter": filtered, "report": report}
    return render(request, "claims/claim_report.html", context)


@login_required
def claim_create(request):
    ensure_role(request.user, "add", "claim")
    form = ClaimForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.claim_create(actor=request.user, data=data),
        template="claims/claim_form.html",
        context={},
        success=lambda claim: _("Claim %(number)s registered.") % {"number": claim.number},
        next_url=lambda claim: reverse("claims:claim_detail", args=[claim.pk]),
    )


@login_required
def claim_edit(request, pk: int):
    ensure_role(request.user, "change", "claim")
    claim = _claim_or_404(request.user, pk)
    form = ClaimForm(request.POST or None, instance=claim, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.claim_update(actor=request.user, claim=claim, data=data),
        template="claims/claim_form.html",
        context={"claim": claim},
        success=lambda saved: _("Claim %(number)s saved.") % {"number": saved.number},
        next_url=lambda saved: reverse("claims:claim_detail", args=[saved.pk]),
        instance=claim,
    )


@login_required
def claim_detail(request, pk: int):
    ensure_role(request.user, "view", "claim")
    claim = _claim_or_404(request.user, pk)
    form = ClaimSettleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ensure_role(request.user, "change", "claim")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.claim_settle(
                    actor=request.user,
                    claim=claim,
                    result=data["result"],
                    comment=data["settlement_comment"],
                    compensation=data["compensation"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Claim %(number)s settled.") % {"number": claim.number})
                return redirect("claims:claim_detail", pk=claim.pk)
        status = 400
    context = {"claim": claim, "form": form, "history": history_for(claim)}
    return render(request, "claims/claim_detail.html", context, status=status)


@require_POST
@login_required
def claim_start(request, pk: int):
    ensure_role(request.user, "change", "claim")
    claim = _claim_or_404(request.user, pk)
    try:
        services.claim_start(actor=request.user, claim=claim)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Claim %(number)s taken into work.") % {"number": claim.number})
    return redirect("claims:claim_detail", pk=claim.pk)
