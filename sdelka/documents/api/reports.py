"""The deal financial results report over the API: the same filters, figures and totals as the page.

``GET /api/v1/reports/deal-financial-results/`` answers a page of rows with the totals of the whole
filtered set; ``?format=xlsx`` (or ``Accept`` of the xlsx type) answers the whole report as an Excel file.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer

from sdelka.core.api.pagination import StandardPagination
from sdelka.core.views import ensure_role
from sdelka.deals.choices import DealStatus
from sdelka.documents.report_export import (
    XLSX_CONTENT_TYPE,
    deal_financial_results_filename,
    deal_financial_results_xlsx,
)
from sdelka.documents.report_forms import CLOSED_CHOICES, DealFinancialResultFilterForm
from sdelka.documents.reports import SORTS, PeriodBy, deal_financial_results


class XlsxRenderer(BaseRenderer):
    """Lets ``?format=xlsx`` through content negotiation; the view itself answers the file's bytes."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _money(help_text: str = "", **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=17, decimal_places=2, read_only=True, help_text=help_text, **kwargs
    )


class DealFinancialResultRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    manager = serializers.IntegerField(source="manager_id", read_only=True)
    manager_name = serializers.CharField(source="manager", read_only=True)
    kind = serializers.IntegerField(source="kind_id", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    status = serializers.ChoiceField(choices=DealStatus.choices, read_only=True)
    closed = serializers.BooleanField(read_only=True)
    start_date = serializers.DateField(read_only=True)
    actual_close_date = serializers.DateField(read_only=True, allow_null=True)
    revenue = _money(_("Revenue of the posted sales, without VAT."))
    cost = _money(_("Cost of the goods sold in them."))
    gross_profit = _money(_("Revenue − cost."))
    expenses = _money(_("Expenses of the deal."), source="expenses_amount")
    result = _money(_("Gross profit − expenses."))


class DealFinancialResultTotalsSerializer(serializers.Serializer):
    revenue = _money()
    cost = _money()
    gross_profit = _money()
    expenses = _money()
    result = _money()


class DealFinancialResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Deals in the filtered report."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    currency = serializers.CharField(help_text=_("The base currency every amount is in."))
    totals = DealFinancialResultTotalsSerializer(help_text=_("Of the whole filtered report, not the page."))
    results = DealFinancialResultRowSerializer(many=True)


def _choices(choices) -> str:
    return ", ".join(f"`{value}`" for value, label in choices if value)


PARAMETERS = [
    OpenApiParameter("deal", str, description=_("Part of the deal's number or name.")),
    OpenApiParameter("kind", int, description=_("Deal kind id.")),
    OpenApiParameter("manager", int, description=_("Manager id; only users the caller covers.")),
    OpenApiParameter("partner", int, description=_("Client id; only clients of deals the caller sees.")),
    OpenApiParameter("status", str, enum=DealStatus.values, description=_("Deal status.")),
    OpenApiParameter(
        "closed",
        str,
        enum=[value for value, label in CLOSED_CHOICES if value],
        description=_("Only closed (`true`) or open (`false`) deals."),
    ),
    OpenApiParameter(
        "period_by",
        str,
        enum=PeriodBy.values,
        description=_("The deal's date the period applies to (`start_date` when not given)."),
    ),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description=_("Start of the period, inclusive.")),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description=_("End of the period, inclusive.")),
    OpenApiParameter(
        "sort",
        str,
        description=_("One of %(keys)s; `-` in front for descending. Default `-number`.")
        % {"keys": _choices((key, key) for key in SORTS)},
    ),
    OpenApiParameter("page", int, description=_("A page number within the paginated result set.")),
    OpenApiParameter("page_size", int, description=_("Rows a page (at most 500; 50 when not given).")),
    OpenApiParameter(
        "format",
        str,
        enum=["json", "xlsx"],
        description=_("`xlsx`: the whole filtered report as an Excel file instead of a page of JSON."),
    ),
]


class DealFinancialResultsView(GenericAPIView):
    """Revenue − cost of goods sold − expenses of every deal the caller sees."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer]
    pagination_class = StandardPagination
    serializer_class = DealFinancialResultRowSerializer
    filter_backends: list = []

    def handle_exception(self, exc):
        # Errors are told in JSON even when the file was asked for.
        renderer = getattr(self.request, "accepted_renderer", None)
        if isinstance(renderer, XlsxRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        summary="Deal financial results",
        description=(
            "Revenue without VAT of the deals' posted sales, the cost of the goods sold, gross profit, "
            "the deals' expenses and the result (gross profit − expenses), in the base currency, for every "
            "deal the caller sees. `totals` cover the whole filtered report. `?format=xlsx` answers the "
            "whole report as an Excel workbook."
        ),
        parameters=PARAMETERS,
        responses={
            (200, "application/json"): DealFinancialResultsSerializer,
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook"),
            400: OpenApiResponse(description="A filter is wrong: `{field: [messages]}`."),
            403: OpenApiResponse(description="The caller's role may not see the report."),
        },
    )
    def get(self, request):
        for resource in ("deal", "sale", "deal_expense"):
            ensure_role(request.user, "view", resource)
        form = DealFinancialResultFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError(
                {field: [error["message"] for error in items] for field, items in errors.items()}
            )
        report = deal_financial_results(
            user=request.user, filters=form.cleaned_data, sort=request.query_params.get("sort")
        )
        if isinstance(request.accepted_renderer, XlsxRenderer):
            content = deal_financial_results_xlsx(report, filters_summary=form.summary())
            response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = f'attachment; filename="{deal_financial_results_filename()}"'
            return response
        page = self.paginate_queryset(report.deals)
        paginated = self.get_paginated_response(self.get_serializer(page, many=True).data)
        paginated.data = {
            **{key: paginated.data[key] for key in ("count", "next", "previous")},
            "currency": settings.SDELKA_BASE_CURRENCY,
            "totals": DealFinancialResultTotalsSerializer(report.totals).data,
            "results": paginated.data["results"],
        }
        return paginated
