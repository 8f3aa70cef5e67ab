"""Interactions over the API: CRUD in the caller's scope, "reviewed", sending an e-mail, the "to review" list."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE, VIEW
from sdelka.core.api.serializers import ErrorSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.interactions import selectors, services
from sdelka.interactions.filters import InteractionFilter
from sdelka.interactions.models import Interaction

from .serializers import InteractionSerializer, ReviewedSerializer

REFUSED = OpenApiResponse(ErrorSerializer, description="The action is refused; the reason is given.")


class InteractionViewSet(HistoryMixin, ServiceViewSet):
    """Calls, e-mails, meetings, planned interactions and SMS the caller sees: theirs (a head: the team's)
    and those of the partners and deals they see.

    Filter by ``kind``, ``direction``, ``status``, ``email_status``, ``partner``, ``deal``, ``subject_type`` and
    ``subject_id``, ``responsible``, ``date_from`` / ``date_to`` (the date of ``starts_at``), ``reviewed``;
    ``search`` by topic or partner; ``ordering``.
    """

    queryset = Interaction.objects.none()
    serializer_class = InteractionSerializer
    permission_resource = "interaction"
    action_rights = {"reviewed": CHANGE, "send": CHANGE, "to_review": VIEW}
    filterset_class = InteractionFilter
    search_fields = ["topic", "partner__name"]
    ordering_fields = ["starts_at", "topic", "created_at", "id"]

    def select(self, *, user):
        return selectors.interaction_list(user=user).prefetch_related("subject")

    def create_record(self, *, actor, data):
        return services.interaction_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.interaction_update(actor=actor, interaction=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.interaction_delete(actor=actor, interaction=instance)

    def _answer(self, interaction) -> Response:
        return Response(self.get_serializer(self.reread(interaction)).data)

    @extend_schema(
        summary="Mark the interaction reviewed (or not)",
        request=ReviewedSerializer,
        responses={200: InteractionSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reviewed(self, request: Request, pk=None) -> Response:
        interaction = self.get_object()
        given = ReviewedSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.interaction_mark_reviewed(
            actor=request.user, interaction=interaction, reviewed=given.validated_data["reviewed"]
        )
        return self._answer(interaction)

    @extend_schema(
        summary="Send a draft e-mail, or retry a failed one",
        description="The e-mail is queued and sent by the worker; its `email_status` tells the outcome.",
        request=None,
        responses={200: InteractionSerializer, 400: REFUSED},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def send(self, request: Request, pk=None) -> Response:
        interaction = self.get_object()
        services.interaction_send(actor=request.user, interaction=interaction)
        return self._answer(interaction)

    @extend_schema(
        summary="The caller's interactions to review",
        description="Not reviewed, and with no review date or one that has come; oldest first.",
        responses=InteractionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="to-review", filter_backends=[])
    def to_review(self, request: Request) -> Response:
        interactions = selectors.to_review_list(user=request.user).prefetch_related("subject")
        page = self.paginate_queryset(interactions.order_by("starts_at", "id"))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
