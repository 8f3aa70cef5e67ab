"""The classification over the API: the rows of one closed period, and the classification settings.

``GET /api/v1/analytics/classification/`` answers every row of the period, a page at a time (up to 50 000
rows a page), or the whole period as ``?format=csv`` / ``?format=xlsx``. ``GET/PUT
/api/v1/analytics/settings/`` reads and (administrators) replaces the settings.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sdelka.analytics.choices import AbcClass, Criterion, PeriodType, Stage, Subject, XyzClass
from sdelka.analytics.classification_export import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    classification_csv,
    classification_filename,
    classification_xlsx,
)
from sdelka.analytics.classification_forms import ClassificationQueryForm
from sdelka.analytics.models import ClassificationSettings
from sdelka.analytics.selectors.classification_reports import classification_report
from sdelka.analytics.services.settings import (
    SETTINGS_FIELDS,
    can_change_classification_settings,
    cell_names,
    classification_settings_get,
    classification_settings_update,
)
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.core.views import ensure_role


class XlsxRenderer(BaseRenderer):
    """Lets ``?format=xlsx`` through content negotiation; the view answers the file's bytes itself."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CsvRenderer(BaseRenderer):
    media_type = CSV_CONTENT_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ClassificationPagination(PageNumberPagination):
    """A whole period fits one page when asked: ``?page_size=`` up to 50 000 (1 000 when not given)."""

    page_size = 1000
    page_size_query_param = "page_size"
    max_page_size = 50_000


class ClassificationRowSerializer(serializers.Serializer):
    subject_id = serializers.IntegerField(help_text=_("The client's (partner's) or product's id."))
    name = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=17,
        decimal_places=2,
        allow_null=True,
        help_text=_("The criterion's value in the period; null for a client without sales in it."),
    )
    share = serializers.FloatField(allow_null=True, help_text=_("Share of the total of positive values, %."))
    cumulative_share = serializers.FloatField(
        allow_null=True, help_text=_("Share of this subject and all ranked above it, %.")
    )
    abc = serializers.ChoiceField(choices=[("", "—"), *AbcClass.choices])
    cv = serializers.FloatField(
        allow_null=True, help_text=_("Variation coefficient over the sub-periods, %.")
    )
    xyz = serializers.ChoiceField(choices=[("", "—"), *XyzClass.choices])
    stage = serializers.ChoiceField(
        choices=[("", "—"), *Stage.choices], help_text=_("Relationship stage (clients only).")
    )
    cell = serializers.CharField(help_text=_("Matrix cell, e.g. `AX`; empty without both classes."))


class ClassificationPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    stored = serializers.BooleanField(help_text=_("Read from the stored classes (else computed now)."))
    results = ClassificationRowSerializer(many=True)


PARAMETERS = [
    OpenApiParameter("subject", str, enum=Subject.values, required=True),
    OpenApiParameter("criterion", str, enum=Criterion.values, required=True),
    OpenApiParameter("period_type", str, enum=PeriodType.values, required=True),
    OpenApiParameter(
        "period_start",
        OpenApiTypes.DATE,
        required=True,
        description=_("First day of a closed period of the type (a quarter starts in January, April…)."),
    ),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description=_("Rows a page (at most 50 000; 1 000 when not given).")),
    OpenApiParameter(
        "format", str, enum=["json", "csv", "xlsx"], description=_("`csv`/`xlsx`: every row as a file.")
    ),
]


class ClassificationView(GenericAPIView):
    """ABC/XYZ classes, relationship stages and matrix cells of one closed period."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer, CsvRenderer]
    pagination_class = ClassificationPagination
    serializer_class = ClassificationRowSerializer
    filter_backends: list = []

    def handle_exception(self, exc):
        # Errors are told in JSON even when a file was asked for.
        renderer = getattr(self.request, "accepted_renderer", None)
        if isinstance(renderer, XlsxRenderer | CsvRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        summary="ABC/XYZ classification of a period",
        description=(
            "Every subject of the period: clients (with those without sales in it: lost and potential ones, "
            "with a null value) or products, ranked by the criterion. A manager's report covers only the "
            "clients they may see. An open period, or a wrong parameter, answers 400 naming the parameter."
        ),
        parameters=PARAMETERS,
        responses={
            (200, "application/json"): ClassificationPageSerializer,
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel workbook"),
            (200, CSV_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.STR, description="CSV"),
            400: OpenApiResponse(description="A parameter is wrong: `{parameter: [messages]}`."),
        },
    )
    def get(self, request):
        ensure_role(request.user, "view", "sale")
        form = ClassificationQueryForm(request.query_params, strict=True)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            raise ValidationError(
                {field: [error["message"] for error in items] for field, items in errors.items()}
            )
        data = form.cleaned_data
        report = classification_report(
            user=request.user, subject=data["subject"], criterion=data["criterion"], period=data["period"]
        )
        renderer = request.accepted_renderer
        if isinstance(renderer, XlsxRenderer | CsvRenderer):
            if isinstance(renderer, XlsxRenderer):
                response = HttpResponse(classification_xlsx(report), content_type=XLSX_CONTENT_TYPE)
                name = classification_filename(report, "xlsx")
            else:
                response = HttpResponse(
                    classification_csv(report, codes=True), content_type=f"{CSV_CONTENT_TYPE}; charset=utf-8"
                )
                name = classification_filename(report, "csv")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        page = self.paginate_queryset(report.rows)
        paginated = self.get_paginated_response(self.get_serializer(page, many=True).data)
        paginated.data = {
            **{key: paginated.data[key] for key in ("count", "next", "previous")},
            "stored": report.stored is not None,
            "results": paginated.data["results"],
        }
        return paginated


class ClassificationSettingsSerializer(ServiceModelSerializer):
    cell_names = serializers.SerializerMethodField(
        help_text=_("The name shown for each cell: its own, else the default (AX, AZ, CX, CZ).")
    )

    class Meta:
        model = ClassificationSettings
        fields = [*SETTINGS_FIELDS, "cell_names", "updated_at"]
        read_only_fields = ["updated_at"]

    def get_cell_names(self, settings) -> dict[str, str]:
        return cell_names(settings)


class SettingsPermission(BasePermission):
    """Everyone reads the settings; administrators change them."""

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return can_change_classification_settings(request.user)


class ClassificationSettingsView(APIView):
    permission_classes = [IsAuthenticated, SettingsPermission]
    serializer_class = ClassificationSettingsSerializer

    @extend_schema(summary="Classification settings", responses=ClassificationSettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response(ClassificationSettingsSerializer(classification_settings_get()).data)

    @extend_schema(
        summary="Replace the classification settings",
        description=(
            "Every field is set; a field left out gets its default. Boundaries are percentages 0–100 with "
            'A below B and X below Y. Stored classes of past periods change only by "classify all periods".'
        ),
        request=ClassificationSettingsSerializer,
        responses={
            200: ClassificationSettingsSerializer,
            400: OpenApiResponse(description="Messages by field name."),
            403: OpenApiResponse(description="Only administrators change the settings."),
        },
    )
    def put(self, request: Request) -> Response:
        given = ClassificationSettingsSerializer(classification_settings_get(), data=request.data)
        given.is_valid(raise_exception=True)
        data = {
            field: given.validated_data.get(
                field, ClassificationSettings._meta.get_field(field).get_default()
            )
            for field in SETTINGS_FIELDS
        }
        updated = classification_settings_update(actor=request.user, data=data)
        return Response(ClassificationSettingsSerializer(updated).data)
