"""``/api/v1/reminders/``: the caller's own reminders (another user's answer 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sdelka.activities.models import Reminder
from sdelka.activities.selectors import reminders as selectors
from sdelka.activities.services import reminders as services
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.core.api.viewsets import ServiceViewSet


class TargetTypeField(serializers.CharField):
    """The kind of record as "app_label.model" ("deals.deal"); which kinds are allowed is the service's rule."""

    def to_representation(self, value):
        return f"{value.app_label}.{value.model}"


class ReminderSerializer(ServiceModelSerializer):
    target_type = TargetTypeField(
        max_length=100,
        help_text=_("The kind of record: partners.partner, partners.contactperson or deals.deal."),
    )
    target_id = serializers.IntegerField(min_value=1, help_text=_("The id of the record."))
    target_label = serializers.SerializerMethodField(help_text=_("The record, as the pages name it."))

    class Meta:
        model = Reminder
        fields = [
            "id",
            "target_type",
            "target_id",
            "target_label",
            "text",
            "timing",
            "remind_at",
            "date_field",
            "offset_days",
            "at_time",
            "repeat",
            "by_email",
            "status",
            "next_fire_at",
            "last_fired_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "next_fire_at", "last_fired_at", "created_at", "updated_at"]
        extra_kwargs = {
            "remind_at": {"help_text": _("For a reminder at a fixed time: when (in the future).")},
            "date_field": {
                "help_text": _(
                    "For a reminder relative to a date of the record: the date's field "
                    "(deals.deal: planned_close_date, start_date; partners.contactperson: birthday)."
                )
            },
        }

    @extend_schema_field(serializers.CharField())
    def get_target_label(self, reminder: Reminder) -> str:
        target = reminder.target
        return str(target) if target is not None else ""


class ReminderViewSet(ServiceViewSet):
    """Reminders of the caller: at a fixed time or relative to a date of a record, optionally repeating."""

    queryset = Reminder.objects.none()
    serializer_class = ReminderSerializer
    permission_resource = "reminder"
    search_fields = ["text"]
    ordering_fields = ["next_fire_at", "created_at", "id"]

    def select(self, *, user):
        return selectors.reminder_list(user=user)

    def create_record(self, *, actor, data):
        return services.reminder_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.reminder_update(actor=actor, reminder=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.reminder_delete(actor=actor, reminder=instance)
