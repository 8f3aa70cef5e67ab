"""``/api/v1/company/``: our company's requisites (the seller on documents); one record, not a collection.

Everyone logged in reads them; administrators change them. ``PUT`` replaces every field (a field left out
becomes empty), ``PATCH`` changes only the fields given. Before the first save ``GET`` answers the empty
requisites with ``is_filled: false``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sdelka.accounts.permissions import CHANGE, VIEW, role_can
from sdelka.core.api.serializers import HistoryEntrySerializer, ServiceModelSerializer
from sdelka.core.company import COMPANY_FIELDS, company_get, company_or_blank, company_update
from sdelka.core.history import history_for
from sdelka.core.models import Company

#: ids and accounts may be typed with spaces ("4070 2810 …"); the model stores them as digits only
ID_INPUT_LENGTH = 40


class CompanySerializer(ServiceModelSerializer):
    is_filled = serializers.BooleanField(
        read_only=True, help_text=_("A name and an INN are stored: documents can show the seller.")
    )

    class Meta:
        model = Company
        fields = [*COMPANY_FIELDS, "is_filled", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {field: {"max_length": ID_INPUT_LENGTH} for field in Company.ID_FIELDS}


class CompanyPermission(BasePermission):
    """Reading needs the "view" right on "company", writing the "change" right (administrators)."""

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view) -> bool:
        right = VIEW if request.method in ("GET", "HEAD", "OPTIONS") else CHANGE
        return role_can(request.user, right, "company")


class CompanyView(APIView):
    permission_classes = [IsAuthenticated, CompanyPermission]
    serializer_class = CompanySerializer

    @extend_schema(summary="Our company's requisites", responses=CompanySerializer)
    def get(self, request: Request) -> Response:
        return Response(CompanySerializer(company_or_blank()).data)

    @extend_schema(
        summary="Replace our company's requisites",
        description="Every field is set; a field left out becomes empty (`vat_payer` becomes true).",
        request=CompanySerializer,
        responses={
            200: CompanySerializer,
            400: OpenApiResponse(description="Messages by field name."),
            403: OpenApiResponse(description="Only administrators change the requisites."),
        },
    )
    def put(self, request: Request) -> Response:
        given = CompanySerializer(company_or_blank(), data=request.data)
        given.is_valid(raise_exception=True)
        data = {
            field: given.validated_data.get(field, Company._meta.get_field(field).get_default())
            for field in COMPANY_FIELDS
        }
        return Response(CompanySerializer(company_update(actor=request.user, data=data)).data)

    @extend_schema(
        summary="Change some of our company's requisites",
        request=CompanySerializer,
        responses={
            200: CompanySerializer,
            400: OpenApiResponse(description="Messages by field name."),
            403: OpenApiResponse(description="Only administrators change the requisites."),
        },
    )
    def patch(self, request: Request) -> Response:
        company = company_or_blank()
        # Before the first save a PATCH creates the record, so it needs what a PUT needs (the name).
        given = CompanySerializer(company, data=request.data, partial=company_get() is not None)
        given.is_valid(raise_exception=True)
        updated = company_update(actor=request.user, data=dict(given.validated_data))
        return Response(CompanySerializer(updated).data)


class CompanyHistoryView(APIView):
    permission_classes = [IsAuthenticated, CompanyPermission]

    @extend_schema(
        summary="Change history of our company's requisites",
        description="Newest first: who changed which field from what to what (at most 200 entries).",
        responses=HistoryEntrySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        company = company_get()
        entries = history_for(company) if company is not None else []
        return Response(HistoryEntrySerializer(entries, many=True).data)
