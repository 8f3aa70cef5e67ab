"""Advertising channels, marketing events (with participants and expenses) and the marketing reports."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet
from sdelka.marketing import reports, selectors, services
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)

from .serializers import (
    AdChannelSerializer,
    EventReportSerializer,
    ExpenseSerializer,
    InterestReportSerializer,
    MarketingEventSerializer,
    ParticipantSerializer,
    ReportPeriodSerializer,
)


class AdChannelViewSet(HistoryMixin, ServiceViewSet):
    """Advertising channels, a tree of any depth; ``source_type`` says what a source through it is.

    A channel with subchannels or used by partners, deals or events is not deleted (400 with the reason).
    """

    queryset = AdChannel.objects.none()
    serializer_class = AdChannelSerializer
    permission_resource = "ad_channel"
    filterset_fields = ["parent", "source_type"]
    search_fields = ["name"]
    ordering_fields = ["name", "path", "id"]

    def select(self, *, user):
        return selectors.ad_channel_list()

    def create_record(self, *, actor, data):
        return services.ad_channel_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.ad_channel_update(actor=actor, channel=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.ad_channel_delete(actor=actor, channel=instance)


class MarketingEventFilter(filters.FilterSet):
    start_date_from = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_date_to = filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = MarketingEvent
        fields = ["kind", "channel", "responsible"]


class MarketingEventViewSet(HistoryMixin, ServiceViewSet):
    """Marketing events with their number of participants and total expenses; ``end_date`` ≥ ``start_date``."""

    queryset = MarketingEvent.objects.none()
    serializer_class = MarketingEventSerializer
    permission_resource = "marketing_event"
    filterset_class = MarketingEventFilter
    search_fields = ["name", "audience"]
    ordering_fields = ["start_date", "name", "planned_budget", "id"]

    def select(self, *, user):
        return selectors.marketing_event_list_with_totals()

    def create_record(self, *, actor, data):
        return services.marketing_event_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.marketing_event_update(actor=actor, event=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.marketing_event_delete(actor=actor, event=instance)


class MarketingEventParticipantViewSet(ServiceViewSet):
    """Participants of events: partners the caller sees. Only ``status`` changes, and only forward."""

    queryset = MarketingEventParticipant.objects.none()
    serializer_class = ParticipantSerializer
    permission_resource = "marketing_event"
    filterset_fields = ["event", "status"]
    ordering_fields = ["id", "created_at"]

    def select(self, *, user):
        from sdelka.partners.selectors import partner_scope

        return MarketingEventParticipant.objects.filter(partner_scope(user, prefix="partner__")).order_by(
            "id"
        )

    def create_record(self, *, actor, data):
        return services.event_participant_add(
            actor=actor,
            event=data["event"],
            partner=data.get("partner"),
            contact=data.get("contact"),
            status=data.get("status") or "invited",
        )

    def update_record(self, instance, *, actor, data):
        if "status" in data:
            services.event_participant_set_status(actor=actor, participant=instance, status=data["status"])
        return instance

    def delete_record(self, instance, *, actor):
        services.event_participant_remove(actor=actor, participant=instance)


class MarketingEventExpenseViewSet(ServiceViewSet):
    """Actual expenses of events: a date, a description and an amount each."""

    queryset = MarketingEventExpense.objects.none()
    serializer_class = ExpenseSerializer
    permission_resource = "marketing_event"
    filterset_fields = ["event"]
    ordering_fields = ["date", "id"]

    def select(self, *, user):
        return MarketingEventExpense.objects.order_by("date", "id")

    def create_record(self, *, actor, data):
        event = data.pop("event")
        return services.event_expense_add(actor=actor, event=event, data=data)

    def update_record(self, instance, *, actor, data):
        if "event" in data and data.pop("event").pk != instance.event_id:
            raise ValidationError({"event": _("An expense cannot move to another event.")})
        return services.event_expense_update(actor=actor, expense=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.event_expense_delete(actor=actor, expense=instance)


def _period(request: Request) -> dict:
    given = ReportPeriodSerializer(data=request.query_params)
    given.is_valid(raise_exception=True)
    date_to = given.validated_data.get("date_to") or timezone.localdate()
    date_from = given.validated_data.get("date_from") or date(date_to.year, 1, 1)
    if date_from > date_to:
        date_from = date_to
    return {"date_from": date_from, "date_to": date_to, "channel": given.validated_data.get("channel")}


class PrimaryInterestReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Primary interest analysis",
        description=(
            "Per channel and source: partners created in the period with that primary interest, deals "
            "started in the period with it and those won, conversion, revenue and gross profit (without VAT) "
            "of the new partners' sales in the period, revenue per new client. Only partners and deals the "
            "caller sees."
        ),
        parameters=[ReportPeriodSerializer],
        responses=InterestReportSerializer,
    )
    def get(self, request: Request) -> Response:
        report = reports.primary_interest_report(user=request.user, **_period(request))
        return Response(InterestReportSerializer(report).data)


class EventEffectivenessReportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Marketing event effectiveness",
        description=(
            "Per event starting in the period, counted from its start to the end of the period: participants, "
            "attended, deals started by the participants' partners and won, their revenue and gross profit, "
            "expenses, new clients (partners whose primary interest source is the event), cost per new client "
            "and ROI = (gross profit − expenses) / expenses."
        ),
        parameters=[ReportPeriodSerializer],
        responses=EventReportSerializer,
    )
    def get(self, request: Request) -> Response:
        period = _period(request)
        period.pop("channel")
        rows = reports.event_effectiveness_report(user=request.user, **period)
        return Response(EventReportSerializer({**period, "rows": rows}).data)
