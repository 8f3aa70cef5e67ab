"""Input and output of the claims API. Serializers check types and ids (in the caller's scope); services the rules."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import User
from sdelka.catalog.models import Product
from sdelka.claims.choices import ClaimResult
from sdelka.claims.models import Claim
from sdelka.core.api.fields import PrimaryKeyField, ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_list
from sdelka.documents.models import Sale, SalesOrder
from sdelka.documents.selectors import document_list
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import Counterparty, Partner


def _sales(*, user):
    return document_list(Sale, user=user)


def _sales_orders(*, user):
    return document_list(SalesOrder, user=user)


class ClaimSerializer(ServiceModelSerializer):
    partner = ScopedPrimaryKeyField(queryset=Partner.objects.all(), select=partner_selectors.partner_list)
    counterparty = ScopedPrimaryKeyField(
        queryset=Counterparty.objects.all(),
        select=partner_selectors.counterparty_list,
        allow_null=True,
        required=False,
    )
    sale = ScopedPrimaryKeyField(
        queryset=Sale.objects.all(),
        select=_sales,
        allow_null=True,
        required=False,
        help_text=_("The sale the claim is about (the basis), of the same partner."),
    )
    sales_order = ScopedPrimaryKeyField(
        queryset=SalesOrder.objects.all(),
        select=_sales_orders,
        allow_null=True,
        required=False,
        help_text=_("The customer order the claim is about (the basis), of the same partner."),
    )
    deal = ScopedPrimaryKeyField(
        queryset=Deal.objects.all(), select=deal_list, allow_null=True, required=False
    )
    products = PrimaryKeyField(queryset=Product.objects.all(), many=True, required=False)
    responsible = PrimaryKeyField(
        queryset=User.objects.all(), required=False, help_text=_("The caller when not given.")
    )
    registered_at = serializers.DateTimeField(required=False, help_text=_("Now when not given."))
    deadline = serializers.DateField(
        required=False, help_text=_("Ten days after registration when not given.")
    )
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "number",
            "partner",
            "partner_name",
            "counterparty",
            "sale",
            "sales_order",
            "deal",
            "products",
            "description",
            "demand",
            "responsible",
            "registered_at",
            "deadline",
            "status",
            "result",
            "settlement_comment",
            "compensation",
            "settled_at",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "status", "result", "settlement_comment", "compensation", "settled_at"]


class ClaimSettleSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=ClaimResult.choices, help_text=_("Required to settle."))
    settlement_comment = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    compensation = serializers.DecimalField(
        max_digits=15, decimal_places=2, min_value=Decimal("0"), required=False
    )
