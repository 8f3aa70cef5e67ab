"""The funnel, manager performance and KPI dashboard over the API: the same filters and figures as the pages.

``GET /api/v1/analytics/funnel/``, ``/analytics/managers/`` and ``/analytics/dashboard/`` answer JSON;
``?format=xlsx`` or ``?format=csv`` answers the same tables as the page's export. A wrong parameter —
including an unknown ``format`` — is a 400 naming it: ``{"parameter": ["message"]}``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from sdelka.analytics.api.dashboard_serializers import (
    DashboardSerializer,
    FunnelSerializer,
    ManagerPerformanceSerializer,
)
from sdelka.analytics.charts import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, tables_csv, tables_xlsx
from sdelka.analytics.dashboard_forms import DashboardFilterForm, FunnelFilterForm, ManagerFilterForm
from sdelka.analytics.dashboard_tables import dashboard_tables, funnel_tables, managers_tables
from sdelka.analytics.selectors.dashboard import DashboardScope, kpi_dashboard
from sdelka.analytics.selectors.funnel import sales_funnel
from sdelka.analytics.selectors.managers import COLUMNS, manager_performance
from sdelka.core.views import ensure_role

FORMATS = ("json", "xlsx", "csv")


class DashboardXlsxRenderer(BaseRenderer):
    """Lets ``?format=xlsx`` through content negotiation; the view answers the file's bytes itself."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DashboardCsvRenderer(BaseRenderer):
    media_type = CSV_CONTENT_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


FILE_RENDERERS = (DashboardXlsxRenderer, DashboardCsvRenderer)

PERIOD_PARAMETERS = [
    OpenApiParameter(
        "date_from",
        OpenApiTypes.DATE,
        description=gettext_lazy(
            "Start of the period, inclusive (default: 11 months before the first day of this month)."
        ),
    ),
    OpenApiParameter(
        "date_to",
        OpenApiTypes.DATE,
        description=gettext_lazy("End of the period, inclusive (default: today)."),
    ),
]
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    str,
    enum=list(FORMATS),
    description=gettext_lazy("`xlsx` or `csv`: the report's tables as a file."),
)
ERRORS = {
    400: OpenApiResponse(description="A parameter is wrong: `{parameter: [messages]}`."),
    403: OpenApiResponse(description="The caller's role may not see the report."),
}


def _file_responses(serializer) -> dict:
    return {
        (200, "application/json"): serializer,
        (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook"),
        (200, CSV_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.STR, description="CSV, one block per table"),
        **ERRORS,
    }


class AnalyticsReportView(APIView):
    """A report endpoint: checks the role, validates the filters with the page's form, answers JSON or a file."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, *FILE_RENDERERS]
    form_class: type = FunnelFilterForm
    name = ""
    title = ""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force=force)
        except Http404:
            raise ValidationError(
                {"format": [_("Unknown format; use one of: %(formats)s.") % {"formats": ", ".join(FORMATS)}]}
            ) from None

    def handle_exception(self, exc):
        # Errors are told in JSON even when a file was asked for.
        if isinstance(getattr(self.request, "accepted_renderer", None), FILE_RENDERERS):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def form(self, request):
        for resource in ("deal", "sale"):
            ensure_role(request.user, "view", resource)
        form = self.form_class(request.query_params, user=request.user)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError(
                {name: [error["message"] for error in items] for name, items in errors.items()}
            )
        return form

    def respond(self, request, *, form, data, tables) -> HttpResponse | Response:
        stamp = f"{self.name}-{timezone.localdate():%Y-%m-%d}"
        renderer = request.accepted_renderer
        if isinstance(renderer, DashboardXlsxRenderer):
            response = HttpResponse(
                tables_xlsx(title=str(self.title), filters=form.summary(), tables=tables),
                content_type=XLSX_CONTENT_TYPE,
            )
        elif isinstance(renderer, DashboardCsvRenderer):
            response = HttpResponse(tables_csv(tables), content_type=f"{CSV_CONTENT_TYPE}; charset=utf-8")
        else:
            return Response(data)
        response["Content-Disposition"] = f'attachment; filename="{stamp}.{renderer.format}"'
        return response


class FunnelView(AnalyticsReportView):
    """The sales funnel of a deal kind for the deals started in a period."""

    form_class = FunnelFilterForm
    name = "sales-funnel"
    title = gettext_lazy("Sales funnel")

    @extend_schema(
        summary="Sales funnel",
        description=(
            "For the deals of a kind the caller sees, started in the period: deals that reached each stage "
            "(a deal moved past a stage counts as having passed it), stage-to-stage conversion, average days "
            "in stage (completed stays), won and lost, lost reasons, and the pipeline of the deals in progress "
            "(expected amounts, by currency, and weighted by probability)."
        ),
        parameters=[
            OpenApiParameter(
                "kind",
                int,
                description=gettext_lazy("Deal kind id (a kind with stages; default: the first by name)."),
            ),
            OpenApiParameter(
                "manager",
                int,
                description=gettext_lazy("Only this manager's deals; only users the caller covers."),
            ),
            *PERIOD_PARAMETERS,
            FORMAT_PARAMETER,
        ],
        responses=_file_responses(FunnelSerializer),
    )
    def get(self, request):
        form = self.form(request)
        report = sales_funnel(
            user=request.user,
            kind=form.cleaned_data["kind"],
            period=form.period,
            manager=form.cleaned_data.get("manager"),
        )
        return self.respond(
            request, form=form, data=FunnelSerializer(report).data, tables=funnel_tables(report)
        )


class ManagerPerformanceView(AnalyticsReportView):
    """Every manager the caller covers on one screen, for a period."""

    form_class = ManagerFilterForm
    name = "manager-performance"
    title = gettext_lazy("Manager performance")

    @extend_schema(
        summary="Manager performance",
        description=(
            "One row per manager the caller covers (a manager: themself; a head: the team; an "
            "administrator: every seller): deals in progress, won and lost in the period, win rate, revenue "
            "and gross profit of the period's sales, average deal, average cycle in days, interactions, "
            "overdue tasks and claims, with the totals."
        ),
        parameters=[
            *PERIOD_PARAMETERS,
            OpenApiParameter(
                "sort",
                str,
                description=gettext_lazy("One of %(keys)s; `-` in front for descending. Default `-revenue`.")
                % {"keys": ", ".join(f"`{key}`" for key in COLUMNS)},
            ),
            FORMAT_PARAMETER,
        ],
        responses=_file_responses(ManagerPerformanceSerializer),
    )
    def get(self, request):
        form = self.form(request)
        report = manager_performance(
            user=request.user, period=form.period, sort=form.cleaned_data.get("sort")
        )
        currency = settings.SDELKA_BASE_CURRENCY
        data = ManagerPerformanceSerializer(report).data
        return self.respond(request, form=form, data=data, tables=managers_tables(report, currency))


class DashboardView(AnalyticsReportView):
    """The KPI dashboard of the caller, their team or the company."""

    form_class = DashboardFilterForm
    name = "kpi-dashboard"
    title = gettext_lazy("KPI dashboard")

    @extend_schema(
        summary="KPI dashboard",
        description=(
            "Revenue and gross profit by month, new clients by month, top clients, the pipeline of deals "
            "in progress by kind and stage, and overdue tasks — of the caller (`me`), the team they head "
            "(`team`) or everyone (`company`, for those who see every record)."
        ),
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=DashboardScope.values,
                description=gettext_lazy("Whose figures; default: the widest the caller's role allows."),
            ),
            *PERIOD_PARAMETERS,
            FORMAT_PARAMETER,
        ],
        responses=_file_responses(DashboardSerializer),
    )
    def get(self, request):
        form = self.form(request)
        board = kpi_dashboard(user=request.user, scope=form.cleaned_data["scope"], period=form.period)
        return self.respond(
            request, form=form, data=DashboardSerializer(board).data, tables=dashboard_tables(board)
        )
