"""Input and output of the marketing API. Serializers check types, lengths, choices and ids; services the rules."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import User
from sdelka.core.api.fields import PrimaryKeyField, ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.marketing.choices import ParticipantStatus
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import ContactPerson, Partner, Segment


class AdChannelSerializer(ServiceModelSerializer):
    parent = PrimaryKeyField(
        queryset=AdChannel.objects.all(),
        allow_null=True,
        required=False,
        help_text=_(
            "The parent channel; null: top level. Changing it moves the channel with its subchannels."
        ),
    )
    path = serializers.CharField(read_only=True, help_text=_("Ids from the top channel down: “/3/17/”."))
    depth = serializers.IntegerField(read_only=True, help_text=_("0 for a top-level channel."))

    class Meta:
        model = AdChannel
        fields = ["id", "name", "parent", "path", "depth", "source_type", "description"]


class MarketingEventSerializer(ServiceModelSerializer):
    responsible = PrimaryKeyField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("The responsible user; the caller when not given on creation."),
    )
    channel = PrimaryKeyField(queryset=AdChannel.objects.all(), allow_null=True, required=False)
    planned_budget = serializers.DecimalField(
        max_digits=15, decimal_places=2, min_value=Decimal("0"), required=False
    )
    segments = PrimaryKeyField(
        queryset=Segment.objects.all(),
        many=True,
        required=False,
        help_text=_("The target audience: segments whose partners can be invited at once."),
    )
    participant_count = serializers.IntegerField(read_only=True)
    expense_total = serializers.DecimalField(max_digits=17, decimal_places=2, read_only=True)

    class Meta:
        model = MarketingEvent
        fields = [
            "id",
            "name",
            "kind",
            "start_date",
            "end_date",
            "responsible",
            "channel",
            "audience",
            "segments",
            "planned_budget",
            "description",
            "participant_count",
            "expense_total",
            "created_at",
            "updated_at",
        ]


class ParticipantSerializer(ServiceModelSerializer):
    """A participant: a partner the caller sees, or a contact person (whose partner is then taken)."""

    event = PrimaryKeyField(queryset=MarketingEvent.objects.all())
    partner = ScopedPrimaryKeyField(
        queryset=Partner.objects.all(), select=partner_selectors.partner_list, required=False, allow_null=True
    )
    contact = ScopedPrimaryKeyField(
        queryset=ContactPerson.objects.all(),
        select=partner_selectors.contact_person_list,
        required=False,
        allow_null=True,
    )
    status = serializers.ChoiceField(
        choices=ParticipantStatus.choices,
        required=False,
        help_text=_("Moves forward only: invited → registered → attended."),
    )

    class Meta:
        model = MarketingEventParticipant
        fields = ["id", "event", "partner", "contact", "status", "created_at"]
        # The service tells a second participation in words; DRF's validator would name fields instead.
        validators: list = []

    def validate(self, attrs):
        if self.instance is not None:
            fixed = [name for name in ("event", "partner", "contact") if name in attrs]
            changed = [
                name
                for name in fixed
                if (attrs[name].pk if attrs[name] else None) != getattr(self.instance, f"{name}_id")
            ]
            if changed:
                raise serializers.ValidationError(
                    {name: _("Cannot change; remove the participant and add another.") for name in changed}
                )
        return attrs


class ExpenseSerializer(ServiceModelSerializer):
    event = PrimaryKeyField(queryset=MarketingEvent.objects.all())
    amount = serializers.DecimalField(max_digits=15, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = MarketingEventExpense
        fields = ["id", "event", "date", "description", "amount"]


# --- reports -------------------------------------------------------------------------------------------------


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True, **kwargs)


def _ratio(help_text) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True, help_text=help_text
    )


class ReportPeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField(
        required=False, help_text=_("Start of the period; 1 January of date_to's year.")
    )
    date_to = serializers.DateField(required=False, help_text=_("End of the period, inclusive; today."))
    channel = PrimaryKeyField(
        queryset=AdChannel.objects.all(),
        required=False,
        help_text=_("Only this channel and its subchannels."),
    )

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": _("The end of the period is before its start.")})
        return attrs


class InterestRowSerializer(serializers.Serializer):
    channel = serializers.IntegerField(source="key.channel_id", allow_null=True)
    channel_name = serializers.CharField()
    source_type = serializers.CharField(source="key.source_type", allow_null=True)
    source = serializers.IntegerField(source="key.source_id", allow_null=True)
    source_name = serializers.CharField(source="source_label")
    new_partners = serializers.IntegerField()
    deals = serializers.IntegerField()
    won = serializers.IntegerField()
    conversion = _ratio(_("Won deals / deals (0.25 is 25 %); null without deals."))
    revenue = _money()
    gross_profit = _money()
    revenue_per_client = _money(allow_null=True, help_text=_("Revenue / new partners."))


class InterestReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = InterestRowSerializer(many=True)
    total = InterestRowSerializer()


class EventRowSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event.pk")
    name = serializers.CharField(source="event.name")
    kind = serializers.CharField(source="event.kind")
    start_date = serializers.DateField(source="event.start_date")
    end_date = serializers.DateField(source="event.end_date")
    participants = serializers.IntegerField()
    attended = serializers.IntegerField()
    deals = serializers.IntegerField(
        help_text=_("Started by the participants' partners since the event's start.")
    )
    won = serializers.IntegerField()
    revenue = _money()
    gross_profit = _money()
    expenses = _money()
    new_clients = serializers.IntegerField(
        help_text=_("Partners whose primary interest source is the event.")
    )
    cost_per_new_client = _money(allow_null=True)
    roi = _ratio(_("(gross profit − expenses) / expenses; null without expenses."))


class EventReportSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = EventRowSerializer(many=True)
