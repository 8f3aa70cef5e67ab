"""Deals, deal kinds, stages and lost reasons over the API.

The deal actions (move, win, lose, close, reopen…) are the services' own, so the API and the pages can
never disagree; a stale ``version`` is answered with 409 and who changed the deal last.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE, VIEW
from sdelka.core.api.serializers import ErrorSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.deals import selectors, services
from sdelka.deals.filters import DealFilter
from sdelka.deals.models import Deal, DealKind, LostReason, Stage

from .serializers import (
    DealEventSerializer,
    DealKindSerializer,
    DealLineSerializer,
    DealLoseSerializer,
    DealMoveSerializer,
    DealParticipantSerializer,
    DealProductsSerializer,
    DealSerializer,
    LostReasonSerializer,
    PrimaryDemandLineSerializer,
    StageSerializer,
    VersionConflictSerializer,
    VersionSerializer,
)

CONFLICT = OpenApiResponse(VersionConflictSerializer, description="The deal changed since the given version.")
REFUSED = OpenApiResponse(ErrorSerializer, description="The action is refused; the reason is given.")


def _action_schema(summary: str, request) -> dict:
    return {
        "summary": summary,
        "request": request,
        "responses": {200: DealSerializer, 400: REFUSED, 409: CONFLICT},
    }


@extend_schema_view(
    update=extend_schema(responses={200: DealSerializer, 400: REFUSED, 409: CONFLICT}),
    partial_update=extend_schema(responses={200: DealSerializer, 400: REFUSED, 409: CONFLICT}),
)
class DealViewSet(HistoryMixin, ServiceViewSet):
    """Deals the caller is responsible for or takes part in (a head: the team's; marketer and admin: all).

    Filter by ``kind``, ``stage``, ``status``, ``manager``, ``partner``, ``closed``, ``start_date_from`` /
    ``start_date_to``; ``search`` by number, name or client; ``ordering``. Stage and status change only
    through the actions (``move``, ``win``, ``lose``, ``close``, ``reopen``), each taking the ``version``.
    """

    queryset = Deal.objects.none()
    serializer_class = DealSerializer
    permission_resource = "deal"
    action_rights = {
        "move": CHANGE,
        "win": CHANGE,
        "lose": CHANGE,
        "close": CHANGE,
        "reopen": CHANGE,
        "record_primary_demand": CHANGE,
        "set_products": CHANGE,
        "products": VIEW,
        "events": VIEW,
        "primary_demand": VIEW,
        "participants": VIEW,
        "add_participant": CHANGE,
        "remove_participant": CHANGE,
    }
    filterset_class = DealFilter
    search_fields = ["number", "name", "partner__name"]
    ordering_fields = [
        "number",
        "name",
        "start_date",
        "planned_close_date",
        "expected_amount",
        "created_at",
        "id",
    ]

    def select(self, *, user):
        return selectors.deal_list(user=user)

    def handle_exception(self, exc):
        if isinstance(exc, services.DealVersionConflict):
            body = {
                "detail": str(exc),
                "changed_by": exc.changed_by,
                "changed_at": exc.changed_at,
                "version": exc.version,
            }
            return Response(VersionConflictSerializer(body).data, status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)

    def create_record(self, *, actor, data):
        data.pop("version", None)
        return services.deal_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        version = data.pop("version", None)
        return services.deal_update(actor=actor, deal=instance, data=data, version=version)

    def delete_record(self, instance, *, actor):
        services.deal_delete(actor=actor, deal=instance)

    def _given(self, serializer_class) -> dict:
        given = serializer_class(data=self.request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        return dict(given.validated_data)

    def _answer(self, deal) -> Response:
        return Response(DealSerializer(self.reread(deal), context=self.get_serializer_context()).data)

    @extend_schema(**_action_schema("Move the deal to a stage", DealMoveSerializer))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def move(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(DealMoveSerializer)
        return self._answer(
            services.deal_move_to_stage(
                actor=request.user, deal=deal, stage=given["stage"], version=given["version"]
            )
        )

    @extend_schema(**_action_schema("Mark the deal won", VersionSerializer))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def win(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(VersionSerializer)
        return self._answer(services.deal_mark_won(actor=request.user, deal=deal, version=given["version"]))

    @extend_schema(**_action_schema("Mark the deal lost", DealLoseSerializer))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def lose(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(DealLoseSerializer)
        return self._answer(
            services.deal_mark_lost(
                actor=request.user,
                deal=deal,
                version=given["version"],
                lost_reason=given["lost_reason"],
                competitor=given.get("competitor"),
            )
        )

    @extend_schema(**_action_schema("Close the deal", VersionSerializer))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(VersionSerializer)
        return self._answer(services.deal_close(actor=request.user, deal=deal, version=given["version"]))

    @extend_schema(**_action_schema("Reopen the deal", VersionSerializer))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(VersionSerializer)
        return self._answer(services.deal_reopen(actor=request.user, deal=deal, version=given["version"]))

    @extend_schema(
        **_action_schema("Record the primary demand from the goods of interest", VersionSerializer)
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="record-primary-demand",
        filter_backends=[],
        pagination_class=None,
    )
    def record_primary_demand(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(VersionSerializer)
        return self._answer(
            services.deal_record_primary_demand(actor=request.user, deal=deal, version=given["version"])
        )

    @extend_schema(summary="The deal's timeline", responses=DealEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        return Response(DealEventSerializer(selectors.deal_events(deal=deal), many=True).data)

    @extend_schema(
        summary="The primary demand (frozen once recorded)", responses=PrimaryDemandLineSerializer(many=True)
    )
    @action(
        detail=True, methods=["get"], url_path="primary-demand", filter_backends=[], pagination_class=None
    )
    def primary_demand(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        lines = deal.primary_demand.select_related("product").order_by("id")
        return Response(PrimaryDemandLineSerializer(lines, many=True).data)

    @extend_schema(summary="The goods of interest", responses=DealLineSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def products(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        return Response(DealLineSerializer(selectors.deal_products(deal=deal), many=True).data)

    @extend_schema(
        summary="Replace the goods of interest",
        request=DealProductsSerializer,
        responses={200: DealLineSerializer(many=True), 400: REFUSED, 409: CONFLICT},
    )
    @products.mapping.put
    def set_products(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = self._given(DealProductsSerializer)
        deal = services.deal_set_products(
            actor=request.user, deal=deal, lines=given["lines"], version=given["version"]
        )
        return Response(DealLineSerializer(selectors.deal_products(deal=deal), many=True).data)

    @extend_schema(summary="The deal's environment", responses=DealParticipantSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def participants(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        found = deal.participants.select_related("partner").order_by("id")
        return Response(DealParticipantSerializer(found, many=True).data)

    @extend_schema(
        summary="Add a partner to the deal's environment",
        request=DealParticipantSerializer,
        responses={201: DealParticipantSerializer, 400: REFUSED},
    )
    @participants.mapping.post
    def add_participant(self, request: Request, pk=None) -> Response:
        deal = self.get_object()
        given = DealParticipantSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        participant = services.deal_participant_add(
            actor=request.user,
            deal=deal,
            partner=given.validated_data["partner"],
            role=given.validated_data.get("role", ""),
        )
        return Response(DealParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a partner from the deal's environment", request=None, responses={204: None}
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"participants/(?P<participant_id>\d+)",
        filter_backends=[],
        pagination_class=None,
    )
    def remove_participant(self, request: Request, pk=None, participant_id=None) -> Response:
        deal = self.get_object()
        participant = deal.participants.filter(pk=participant_id).first()
        if participant is None:
            raise Http404
        services.deal_participant_remove(actor=request.user, participant=participant)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DealKindViewSet(HistoryMixin, ServiceViewSet):
    """Deal kinds with their stages in order; everyone reads, administrators change them."""

    queryset = DealKind.objects.none()
    serializer_class = DealKindSerializer
    permission_resource = "deal_kind"
    filterset_fields = ["process_type", "active"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    def select(self, *, user):
        return selectors.deal_kind_list()

    def create_record(self, *, actor, data):
        return services.deal_kind_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.deal_kind_update(actor=actor, kind=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.deal_kind_delete(actor=actor, kind=instance)


class StageViewSet(ServiceViewSet):
    """Stages of the deal kinds; administrators change them. A stage some deal uses cannot be deleted."""

    queryset = Stage.objects.none()
    serializer_class = StageSerializer
    permission_resource = "deal_kind"
    filterset_fields = ["kind"]
    ordering_fields = ["order", "id"]

    def select(self, *, user):
        return selectors.stage_list()

    def create_record(self, *, actor, data):
        return services.stage_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.stage_update(actor=actor, stage=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.stage_delete(actor=actor, stage=instance)


class LostReasonViewSet(ServiceViewSet):
    """Why deals are lost; everyone reads, administrators change the list."""

    queryset = LostReason.objects.none()
    serializer_class = LostReasonSerializer
    permission_resource = "lost_reason"
    filterset_fields = ["active"]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    def select(self, *, user):
        return selectors.lost_reason_list()

    def create_record(self, *, actor, data):
        return services.lost_reason_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.lost_reason_update(actor=actor, reason=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.lost_reason_delete(actor=actor, reason=instance)
