"""The sales-history import over the API: upload a file (multipart), then read the job until it ends."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.core.api.permissions import RolePermission
from sdelka.documents.models import SalesImport
from sdelka.documents.sales_import import sales_import_create
from sdelka.documents.views.imports import MAX_UPLOAD_BYTES, _enqueue, imports_of


class SalesImportSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SalesImport
        fields = [
            "id",
            "file_name",
            "skip_bad",
            "status",
            "status_label",
            "message",
            "total_rows",
            "processed_rows",
            "percent",
            "error_count",
            "errors",
            "sales_created",
            "lines_created",
            "partners_created",
            "products_created",
            "documents_already_imported",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


class SalesImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV or XLSX with the columns of the import."))
    skip_bad = serializers.BooleanField(default=False)

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("The file is larger than 200 MB."))
        return upload


class SalesImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sales history imports: ``POST`` a file to start one (run by the worker), then ``GET`` it for the
    progress, the bad rows (``errors``: [row, message]) and the outcome. Your own imports; administrators
    see everyone's."""

    serializer_class = SalesImportSerializer
    permission_classes = [IsAuthenticated, RolePermission]
    parser_classes = [MultiPartParser, FormParser]
    permission_resource = "sale"
    action_rights: dict[str, str] = {}
    queryset = SalesImport.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return imports_of(self.request.user)

    @extend_schema(request=SalesImportUploadSerializer, responses={201: SalesImportSerializer})
    def create(self, request: Request) -> Response:
        given = SalesImportUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data["file"]
        with transaction.atomic():
            job = sales_import_create(
                actor=request.user,
                file_name=upload.name,
                content=upload.read(),
                skip_bad=given.validated_data["skip_bad"],
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
        return Response(SalesImportSerializer(job).data, status=status.HTTP_201_CREATED)
