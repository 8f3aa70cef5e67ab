"""Pages of the reports over deals and their documents: "Deal financial results" and its Excel export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from sdelka.core.views import ensure_role, paginate
from sdelka.documents.report_export import (
    XLSX_CONTENT_TYPE,
    deal_financial_results_filename,
    deal_financial_results_xlsx,
)
from sdelka.documents.report_forms import DealFinancialResultFilterForm
from sdelka.documents.reports import deal_financial_results as report_of

TEMPLATE = "reports/deal_financial_results.html"


def _ensure_can_view(user) -> None:
    # The report shows deals, their sales and their expenses: a role must be allowed to see all three.
    for resource in ("deal", "sale", "deal_expense"):
        ensure_role(user, "view", resource)


def _page(request, form, report=None, *, status: int = 200):
    context = {
        "form": form,
        "query": request.GET,
        "report": report,
        "page": paginate(report.deals, request.GET.get("page")) if report else None,
        "sort": report.sort if report else request.GET.get("sort", ""),
        "currency": settings.SDELKA_BASE_CURRENCY,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
def deal_financial_results(request):
    _ensure_can_view(request.user)
    form = DealFinancialResultFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, form)
    report = report_of(user=request.user, filters=form.cleaned_data, sort=request.GET.get("sort"))
    return _page(request, form, report)


@login_required
def deal_financial_results_export(request):
    _ensure_can_view(request.user)
    form = DealFinancialResultFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    report = report_of(user=request.user, filters=form.cleaned_data, sort=request.GET.get("sort"))
    content = deal_financial_results_xlsx(report, filters_summary=form.summary())
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{deal_financial_results_filename()}"'
    return response
