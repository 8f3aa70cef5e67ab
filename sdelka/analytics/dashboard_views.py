"""Pages of the analytics section: its index, the sales funnel, manager performance and the KPI dashboard,
each with its Excel (or CSV) export.

The filters are one form per report (``dashboard_forms``); an htmx request gets just the report's fragment,
so changing a filter redraws the figures and charts in place. The figures come from the selectors and are
shown as the tables ``dashboard_tables`` makes, the same rows the exports write.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdelka.analytics.charts import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Chart,
    ReportTable,
    tables_csv,
    tables_xlsx,
)
from sdelka.analytics.dashboard_forms import DashboardFilterForm, FunnelFilterForm, ManagerFilterForm
from sdelka.analytics.dashboard_tables import (
    dashboard_charts,
    dashboard_tables,
    funnel_charts,
    funnel_tables,
    manager_columns,
    managers_charts,
    managers_tables,
)
from sdelka.analytics.selectors.dashboard import kpi_dashboard
from sdelka.analytics.selectors.funnel import sales_funnel
from sdelka.analytics.selectors.managers import manager_performance
from sdelka.core.htmx import render_page_or_fragment
from sdelka.core.views import ensure_role

#: (url name, title, what it shows) of every analytics report, in the order the index lists them
REPORTS = [
    (
        "analytics:dashboard",
        gettext_lazy("KPI dashboard"),
        gettext_lazy(
            "Revenue and gross profit by month, pipeline by stage, new and top clients, overdue tasks — "
            "for me, my team or the company."
        ),
    ),
    (
        "analytics:funnel",
        gettext_lazy("Sales funnel"),
        gettext_lazy(
            "Deals that reached each stage of a deal kind, conversion, days in stage, won and lost, lost "
            "reasons and the pipeline."
        ),
    ),
    (
        "analytics:managers",
        gettext_lazy("Manager performance"),
        gettext_lazy(
            "Every manager on one screen: deals, win rate, revenue, gross profit, average deal and cycle, "
            "interactions, overdue tasks and claims."
        ),
    ),
    (
        "analytics:classification",
        gettext_lazy("ABC/XYZ classification"),
        gettext_lazy(
            "Which clients and products matter and how steadily they buy: ABC, XYZ, relationship stages "
            "and the matrix."
        ),
    ),
    (
        "reports:deal_financial_results",
        gettext_lazy("Deal financial results"),
        gettext_lazy("Revenue, cost of goods sold, expenses and the result of every deal."),
    ),
    (
        "claims:claim_report",
        gettext_lazy("Claims report"),
        gettext_lazy("Customer claims by status, result, client, product and manager."),
    ),
]


def _ensure_can_view(user) -> None:
    # The reports show deals and their sales: a role must be allowed to see both.
    for resource in ("deal", "sale"):
        ensure_role(user, "view", resource)


def _export(request, *, name: str, title: str, form, tables: list[ReportTable]) -> HttpResponse:
    """The tables as an Excel workbook, or as CSV with ``?format=csv``."""
    stamp = f"{name}-{timezone.localdate():%Y-%m-%d}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(tables_csv(tables), content_type=f"{CSV_CONTENT_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stamp}.csv"'
        return response
    content = tables_xlsx(title=title, filters=form.summary(), tables=tables)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stamp}.xlsx"'
    return response


def _by_key(charts: list[Chart]) -> dict[str, Chart]:
    """Charts by a name templates can look up: "chart-lost-reasons" → ``charts.lost_reasons``."""
    return {chart.id.removeprefix("chart-").replace("-", "_"): chart for chart in charts}


def _render(request, name: str, context: dict, *, status: int = 200):
    if "form" in context:
        context["form"].show_defaults()
    context = {"query": request.GET, "currency": settings.SDELKA_BASE_CURRENCY, **context}
    return render_page_or_fragment(
        request, f"analytics/{name}.html", f"analytics/{name}_report.html", context, status=status
    )


@login_required
def index(request):
    reports = []
    for url_name, title, description in REPORTS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # a report whose app is not installed yet
            continue
        reports.append({"url": url, "title": title, "description": description, "name": url_name})
    return _render(request, "index", {"reports": reports})


# --- the sales funnel --------------------------------------------------------------------------------------


@login_required
def funnel(request):
    _ensure_can_view(request.user)
    form = FunnelFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render(request, "funnel", {"form": form}, status=400 if request.GET else 200)
    report = sales_funnel(
        user=request.user,
        kind=form.cleaned_data["kind"],
        period=form.period,
        manager=form.cleaned_data.get("manager"),
    )
    tables = funnel_tables(report)
    context = {
        "form": form,
        "report": report,
        "tables": {table.key: table for table in tables},
        "charts": _by_key(funnel_charts(report)),
    }
    return _render(request, "funnel", context)


@login_required
def funnel_export(request):
    _ensure_can_view(request.user)
    form = FunnelFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render(request, "funnel", {"form": form}, status=400)
    report = sales_funnel(
        user=request.user,
        kind=form.cleaned_data["kind"],
        period=form.period,
        manager=form.cleaned_data.get("manager"),
    )
    return _export(
        request, name="sales-funnel", title=_("Sales funnel"), form=form, tables=funnel_tables(report)
    )


# --- manager performance -----------------------------------------------------------------------------------


@login_required
def managers(request):
    _ensure_can_view(request.user)
    form = ManagerFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render(request, "managers", {"form": form}, status=400)
    report = manager_performance(user=request.user, period=form.period, sort=form.cleaned_data.get("sort"))
    currency = settings.SDELKA_BASE_CURRENCY
    context = {
        "form": form,
        "report": report,
        "sort": report.sort,
        "columns": manager_columns(currency),
        "table": managers_tables(report, currency)[0],
        "charts": managers_charts(report, currency),
    }
    return _render(request, "managers", context)


@login_required
def managers_export(request):
    _ensure_can_view(request.user)
    form = ManagerFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render(request, "managers", {"form": form}, status=400)
    report = manager_performance(user=request.user, period=form.period, sort=form.cleaned_data.get("sort"))
    tables = managers_tables(report, settings.SDELKA_BASE_CURRENCY)
    return _export(
        request, name="manager-performance", title=_("Manager performance"), form=form, tables=tables
    )


# --- the KPI dashboard -------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    _ensure_can_view(request.user)
    form = DashboardFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render(request, "dashboard", {"form": form}, status=400)
    board = kpi_dashboard(user=request.user, scope=form.cleaned_data["scope"], period=form.period)
    context = {
        "form": form,
        "board": board,
        "tables": {table.key: table for table in dashboard_tables(board)},
        "charts": _by_key(dashboard_charts(board)),
    }
    return _render(request, "dashboard", context)


@login_required
def dashboard_export(request):
    _ensure_can_view(request.user)
    form = DashboardFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return _render(request, "dashboard", {"form": form}, status=400)
    board = kpi_dashboard(user=request.user, scope=form.cleaned_data["scope"], period=form.period)
    return _export(
        request, name="kpi-dashboard", title=_("KPI dashboard"), form=form, tables=dashboard_tables(board)
    )
