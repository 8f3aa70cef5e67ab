"""Input and output of the deals API. Serializers check types, lengths, choices and ids; services the rules."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import User
from sdelka.catalog.models import Product
from sdelka.core.api.fields import PrimaryKeyField, ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.deals.models import (
    Deal,
    DealEvent,
    DealKind,
    DealParticipant,
    DealProduct,
    LostReason,
    PrimaryDemandLine,
    Stage,
)
from sdelka.documents import selectors as document_selectors
from sdelka.documents.models import Contract
from sdelka.marketing.api.fields import PrimaryInterestSourceField, primary_interest_channel_field
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import ContactPerson, Counterparty, Partner

VERSION_HELP = _("The version of the deal the change is made from; a stale one is answered with 409.")


def _version_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=VERSION_HELP, **kwargs)


class StageSerializer(ServiceModelSerializer):
    order = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text=_("Position in the kind; last when not given."),
    )

    class Meta:
        model = Stage
        fields = ["id", "kind", "name", "order", "probability"]
        # The service checks the unique order (full_clean); DRF's validator would make ``order`` required.
        validators: list = []


class NestedStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "order", "probability"]


class DealKindSerializer(ServiceModelSerializer):
    stages = NestedStageSerializer(many=True, read_only=True, help_text=_("In their order."))

    class Meta:
        model = DealKind
        fields = [
            "id",
            "name",
            "process_type",
            "separate_goods_accounting",
            "record_primary_demand",
            "active",
            "stages",
        ]


class LostReasonSerializer(ServiceModelSerializer):
    class Meta:
        model = LostReason
        fields = ["id", "name", "active"]


class DealSerializer(ServiceModelSerializer):
    """A deal. Creating needs no ``version``; every change (PUT, PATCH) must send the one it was read at."""

    partner = ScopedPrimaryKeyField(
        queryset=Partner.objects.all(), select=partner_selectors.partner_list, help_text=_("The client.")
    )
    counterparty = ScopedPrimaryKeyField(
        queryset=Counterparty.objects.all(),
        select=partner_selectors.counterparty_list,
        allow_null=True,
        required=False,
        help_text=_("A legal entity of the client."),
    )
    contract = ScopedPrimaryKeyField(
        queryset=Contract.objects.all(),
        select=document_selectors.contract_list,
        allow_null=True,
        required=False,
        help_text=_("A contract with the deal's counterparty."),
    )
    contacts = ScopedPrimaryKeyField(
        queryset=ContactPerson.objects.all(),
        select=partner_selectors.contact_person_list,
        many=True,
        required=False,
        help_text=_("Contact persons of the client."),
    )
    kind = PrimaryKeyField(
        queryset=DealKind.objects.all(), help_text=_("Cannot change once the deal exists.")
    )
    manager = PrimaryKeyField(
        queryset=User.objects.all(),
        required=False,
        help_text=_("The responsible manager; the caller when not given."),
    )
    collaborators = PrimaryKeyField(queryset=User.objects.all(), many=True, required=False)
    probability = serializers.IntegerField(
        min_value=0,
        max_value=100,
        allow_null=True,
        required=False,
        help_text=_("Set by hand from now on; null makes it follow the stage again."),
    )
    version = _version_field(required=False)
    primary_interest_channel = primary_interest_channel_field()
    primary_interest_source = PrimaryInterestSourceField()
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True, default=None)
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "number",
            "name",
            "partner",
            "partner_name",
            "counterparty",
            "contract",
            "contacts",
            "kind",
            "kind_name",
            "stage",
            "stage_name",
            "status",
            "closed",
            "manager",
            "collaborators",
            "probability",
            "probability_manual",
            "expected_amount",
            "currency",
            "start_date",
            "planned_close_date",
            "actual_close_date",
            "lost_reason",
            "competitor",
            "description",
            "primary_interest_channel",
            "primary_interest_source",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "stage",
            "status",
            "closed",
            "probability_manual",
            "actual_close_date",
            "lost_reason",
            "competitor",
        ]
        extra_kwargs = {"start_date": {"required": False}}

    def validate(self, attrs):
        if self.instance is not None and attrs.get("version") is None:
            raise serializers.ValidationError(
                {"version": _("Send the version of the deal you are changing.")}
            )
        return attrs


class VersionSerializer(serializers.Serializer):
    version = _version_field()


class DealMoveSerializer(VersionSerializer):
    stage = PrimaryKeyField(queryset=Stage.objects.all(), help_text=_("A stage of the deal's kind."))


class DealLoseSerializer(VersionSerializer):
    lost_reason = PrimaryKeyField(
        queryset=LostReason.objects.all(), allow_null=True, help_text=_("Required: why the deal was lost.")
    )
    competitor = PrimaryKeyField(
        queryset=Partner.objects.filter(is_competitor=True),
        allow_null=True,
        required=False,
        help_text=_("The competitor who won it, when known."),
    )


class DealEventSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    # Plain strings: the same choices as the deal's ``status``, but empty when the status did not change.
    from_status = serializers.CharField(help_text=_("A deal status, or empty."))
    to_status = serializers.CharField(help_text=_("A deal status, or empty."))

    class Meta:
        model = DealEvent
        fields = [
            "id",
            "at",
            "user",
            "user_name",
            "kind",
            "from_stage",
            "to_stage",
            "from_status",
            "to_status",
            "from_value",
            "to_value",
        ]

    def get_user_name(self, event: DealEvent) -> str | None:
        return (event.user.get_full_name() or event.user.username) if event.user else None


class DealLineSerializer(serializers.ModelSerializer):
    product = PrimaryKeyField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(max_digits=15, decimal_places=3, min_value=Decimal("0.001"))
    price = serializers.DecimalField(max_digits=15, decimal_places=2, min_value=Decimal("0"))
    amount = serializers.DecimalField(max_digits=30, decimal_places=2, read_only=True)

    class Meta:
        model = DealProduct
        fields = ["id", "product", "quantity", "price", "amount"]
        read_only_fields = ["id"]


class PrimaryDemandLineSerializer(DealLineSerializer):
    class Meta(DealLineSerializer.Meta):
        model = PrimaryDemandLine


class DealProductsSerializer(VersionSerializer):
    lines = DealLineSerializer(
        many=True, max_length=1000, help_text=_("The whole new list of goods of interest.")
    )


class VersionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    changed_by = serializers.CharField(help_text=_("Who made the last change of the deal."))
    changed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(help_text=_("The deal's current version."))


class DealParticipantSerializer(serializers.ModelSerializer):
    """A partner of the deal's environment; ``partner`` must be one the caller sees."""

    partner = ScopedPrimaryKeyField(queryset=Partner.objects.all(), select=partner_selectors.partner_list)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    role = serializers.CharField(max_length=150, required=False, allow_blank=True)

    class Meta:
        model = DealParticipant
        fields = ["id", "partner", "partner_name", "role"]
        read_only_fields = ["id"]
