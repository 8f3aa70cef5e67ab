"""Mailing rules over the API: CRUD (people who answer for outreach edit, everyone reads) and each rule's log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request

from sdelka.accounts.permissions import VIEW
from sdelka.activities.models import MailingRule, MailingRuleFiring
from sdelka.activities.services import mailing_rules as services
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet


class MailingRuleSerializer(ServiceModelSerializer):
    class Meta:
        model = MailingRule
        fields = [
            "id",
            "name",
            "is_active",
            "active_since",
            "trigger",
            "deal_kind",
            "stage",
            "days",
            "action",
            "email_template",
            "text",
            "task_due_days",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["active_since", "created_by", "created_at"]


class MailingRuleFiringSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    interactions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = MailingRuleFiring
        fields = [
            "id",
            "event_key",
            "fired_at",
            "target_type",
            "target_id",
            "target",
            "outcome",
            "detail",
            "interactions",
            "task",
            "notification",
        ]

    def get_target_type(self, firing) -> str:
        return firing.target_type.model

    def get_target(self, firing) -> str:
        """The record the rule acted on, as a person reads it."""
        target = (
            firing.target_type.get_object_for_this_type(pk=firing.target_id) if firing.target_id else None
        )
        return str(target) if target is not None else ""


class MailingRuleViewSet(HistoryMixin, ServiceViewSet):
    """Trigger mailings and status reminders: when an event happens (a deal enters a stage, is idle N days,
    a proposal is unanswered N days, a claim is registered or settled, a contact's birthday), send a template
    letter to the client's contact persons, notify the responsible manager, or make them a task.

    The worker runs active rules every minute and acts once per event; only events after the rule was
    switched on count. A rule that could not act (e.g. a template needing a proposal for a birthday) is
    refused (400) with the reason beside the field.
    """

    queryset = MailingRule.objects.none()
    serializer_class = MailingRuleSerializer
    permission_resource = "mailing_rule"
    action_rights = {"firings": VIEW}
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "id"]
    filterset_fields = ["trigger", "action", "is_active"]

    def select(self, *, user):
        return MailingRule.objects.select_related("email_template")

    def create_record(self, *, actor, data):
        return services.mailing_rule_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.mailing_rule_update(actor=actor, rule=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.mailing_rule_delete(actor=actor, rule=instance)

    @extend_schema(
        summary="What the rule did: one row per event, newest first",
        responses=MailingRuleFiringSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def firings(self, request: Request, pk=None):
        rule = self.get_object()
        firings = (
            MailingRuleFiring.objects.filter(rule=rule)
            .select_related("target_type")
            .prefetch_related("interactions", "target")
            .order_by("-fired_at", "-id")
        )
        page = self.paginate_queryset(firings)
        return self.get_paginated_response(MailingRuleFiringSerializer(page, many=True).data)
