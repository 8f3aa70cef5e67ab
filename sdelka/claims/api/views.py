"""Customer claims over the API: CRUD in the caller's scope, ``start`` and ``settle``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE
from sdelka.claims import selectors, services
from sdelka.claims.filters import ClaimFilter
from sdelka.claims.models import Claim
from sdelka.core.api.serializers import ErrorSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet

from .serializers import ClaimSerializer, ClaimSettleSerializer

REFUSED = OpenApiResponse(ErrorSerializer, description="The action is refused; the reason is given.")


class ClaimViewSet(HistoryMixin, ServiceViewSet):
    """Customer claims of partners the caller sees, or that the caller (or their team) is responsible for.

    Filter by ``status``, ``result``, ``partner``, ``product``, ``responsible``, ``overdue``,
    ``registered_from``/``registered_to``; ``search`` by number, partner or description.
    """

    queryset = Claim.objects.none()
    serializer_class = ClaimSerializer
    permission_resource = "claim"
    action_rights = {"start": CHANGE, "settle": CHANGE}
    filterset_class = ClaimFilter
    search_fields = ["number", "partner__name", "description"]
    ordering_fields = ["number", "registered_at", "deadline", "id"]

    def select(self, *, user):
        return selectors.claim_list(user=user)

    def create_record(self, *, actor, data):
        return services.claim_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.claim_update(actor=actor, claim=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.claim_delete(actor=actor, claim=instance)

    def _answer(self, claim) -> Response:
        return Response(ClaimSerializer(self.reread(claim), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Take the claim into work", request=None, responses={200: ClaimSerializer, 400: REFUSED}
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def start(self, request: Request, pk=None) -> Response:
        return self._answer(services.claim_start(actor=request.user, claim=self.get_object()))

    @extend_schema(
        summary="Settle the claim with a result",
        request=ClaimSettleSerializer,
        responses={200: ClaimSerializer, 400: REFUSED},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def settle(self, request: Request, pk=None) -> Response:
        claim = self.get_object()
        given = ClaimSettleSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        return self._answer(
            services.claim_settle(
                actor=request.user,
                claim=claim,
                result=data["result"],
                comment=data.get("settlement_comment", ""),
                compensation=data.get("compensation"),
            )
        )
