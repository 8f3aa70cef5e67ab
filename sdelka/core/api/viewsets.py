"""The one shape of every resource of the API: reads through a selector, writes through services.

A viewset names its ``permission_resource`` (a key of ``sdelka.accounts.permissions.RULES``), the selector
that gives the caller's scope (``select``), and the services that write (``create_record`` …). A record
outside the scope is not in ``get_queryset()``, so retrieve/update/delete/history answer 404 for it.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.core.api.permissions import RolePermission
from sdelka.core.api.serializers import HistoryEntrySerializer
from sdelka.core.history import history_for


class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, RolePermission]
    parser_classes = [JSONParser]
    #: a key of ``RULES``: "partner", "product" …
    permission_resource: str
    #: rights of the viewset's own actions: {"move_to_group": "change"}
    action_rights: dict[str, str] = {}

    def select(self, *, user) -> QuerySet:
        """The records the user may see, from the app's selector."""
        raise NotImplementedError

    def create_record(self, *, actor, data: dict) -> Model:
        raise NotImplementedError

    def update_record(self, instance: Model, *, actor, data: dict) -> Model:
        raise NotImplementedError

    def delete_record(self, instance: Model, *, actor) -> None:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            # The schema generator has no user; it needs only the model.
            return self.queryset
        return self.select(user=self.request.user)

    def perform_create(self, serializer) -> None:
        record = self.create_record(actor=self.request.user, data=dict(serializer.validated_data))
        serializer.instance = self.reread(record)

    def perform_update(self, serializer) -> None:
        record = self.update_record(
            serializer.instance, actor=self.request.user, data=dict(serializer.validated_data)
        )
        serializer.instance = self.reread(record)

    def perform_destroy(self, instance) -> None:
        self.delete_record(instance, actor=self.request.user)

    def reread(self, record: Model) -> Model:
        """The record as the selector gives it (annotations, prefetched tags) for the response."""
        try:
            return self.get_queryset().get(pk=record.pk)
        except ObjectDoesNotExist:
            return record


class HistoryMixin:
    """``GET …/{id}/history/``: who changed which field from what to what (``history_for``)."""

    @extend_schema(
        summary="Change history of the record",
        description="Newest first: who changed which field from what to what (at most 200 entries).",
        responses=HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        return Response(HistoryEntrySerializer(history_for(record), many=True).data)
