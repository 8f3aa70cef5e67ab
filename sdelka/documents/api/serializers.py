"""Input and output of the contracts API."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.accounts.models import User
from sdelka.catalog.choices import VatRate
from sdelka.catalog.models import Product
from sdelka.core.api.fields import PrimaryKeyField, ScopedPrimaryKeyField
from sdelka.core.api.serializers import ServiceModelSerializer
from sdelka.deals.models import Deal
from sdelka.documents.models import (
    Contract,
    DealExpense,
    PurchaseOrder,
    Quote,
    QuoteLine,
    Sale,
    SalesOrder,
)
from sdelka.partners import selectors as partner_selectors
from sdelka.partners.models import Counterparty, Partner


class ContractSerializer(ServiceModelSerializer):
    counterparty = ScopedPrimaryKeyField(
        queryset=Counterparty.objects.all(), select=partner_selectors.counterparty_list
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "counterparty",
            "number",
            "date",
            "valid_from",
            "valid_to",
            "status",
            "currency",
            "amount_limit",
            "subject",
            "comment",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness is the service's (and the database's) business, with its own message.
        validators: list = []


MONEY_KW = {"max_digits": 15, "decimal_places": 2}


class DocumentLineSerializer(serializers.ModelSerializer):
    """A line: send product, quantity, price and optionally discount_percent and vat_rate (the product's
    rate by default); the amounts are computed by the server."""

    product = PrimaryKeyField(queryset=Product.objects.all())
    quantity = serializers.DecimalField(
        max_digits=15, decimal_places=3, help_text=_("Negative only in a sale: a return.")
    )
    price = serializers.DecimalField(**MONEY_KW, min_value=Decimal("0"))
    discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0"), max_value=Decimal("100"), required=False
    )
    vat_rate = serializers.ChoiceField(choices=VatRate.choices, required=False)
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_sku = serializers.CharField(source="product.sku", read_only=True)
    unit = serializers.CharField(source="product.unit", read_only=True)

    class Meta:
        model = QuoteLine
        fields = [
            "id",
            "product",
            "product_name",
            "product_sku",
            "unit",
            "quantity",
            "price",
            "discount_percent",
            "vat_rate",
            "amount_discount",
            "amount_net",
            "amount_vat",
            "amount_gross",
        ]
        read_only_fields = ["amount_discount", "amount_net", "amount_vat", "amount_gross"]


class DocumentSerializer(ServiceModelSerializer):
    """A document of a deal. ``lines`` replace all lines when sent; only a draft can be changed."""

    partner = PrimaryKeyField(queryset=Partner.objects.all())
    counterparty = PrimaryKeyField(queryset=Counterparty.objects.all(), allow_null=True, required=False)
    contract = PrimaryKeyField(queryset=Contract.objects.all(), allow_null=True, required=False)
    deal = PrimaryKeyField(queryset=Deal.objects.all(), allow_null=True, required=False)
    manager = PrimaryKeyField(
        queryset=User.objects.all(), required=False, help_text=_("The caller when not given.")
    )
    lines = DocumentLineSerializer(many=True, required=False, max_length=1000)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    deal_number = serializers.CharField(source="deal.number", read_only=True, default=None)

    class Meta:
        fields = [
            "id",
            "number",
            "year",
            "date",
            "status",
            "partner",
            "partner_name",
            "counterparty",
            "contract",
            "deal",
            "deal_number",
            "manager",
            "currency",
            "exchange_rate",
            "prices_include_vat",
            "amount_net",
            "amount_vat",
            "amount_gross",
            "comment",
            "lines",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "year", "status", "created_at", "updated_at"]
        extra_kwargs = {"date": {"required": False}}
        validators: list = []


class QuoteSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        model = Quote
        fields = [*DocumentSerializer.Meta.fields, "valid_until"]


class SalesOrderSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        model = SalesOrder
        fields = [*DocumentSerializer.Meta.fields, "quote", "shipment_date"]
        read_only_fields = [*DocumentSerializer.Meta.read_only_fields, "quote"]


class SaleSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        model = Sale
        fields = [*DocumentSerializer.Meta.fields, "sales_order", "quote", "posted_at"]
        read_only_fields = [*DocumentSerializer.Meta.read_only_fields, "sales_order", "quote", "posted_at"]


class PurchaseOrderSerializer(DocumentSerializer):
    partner = PrimaryKeyField(queryset=Partner.objects.all(), help_text=_("The supplier."))

    class Meta(DocumentSerializer.Meta):
        model = PurchaseOrder
        fields = [*DocumentSerializer.Meta.fields, "sales_order", "delivery_date"]
        read_only_fields = [*DocumentSerializer.Meta.read_only_fields, "sales_order"]


class DocumentStatusSerializer(serializers.Serializer):
    status = serializers.CharField(max_length=20, help_text=_("The status to move the document to."))


class MadeFromSerializer(serializers.Serializer):
    """Optional changes to what the new document copies."""

    date = serializers.DateField(required=False, help_text=_("Today when not given."))
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class PurchaseOrderFromSerializer(MadeFromSerializer):
    supplier = PrimaryKeyField(queryset=Partner.objects.all(), help_text=_("A partner marked as supplier."))


class FinancialResultSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text=_("The base currency all amounts are in."))
    revenue = serializers.DecimalField(**MONEY_KW, help_text=_("Posted sales without VAT."))
    cost = serializers.DecimalField(**MONEY_KW, help_text=_("Cost of the goods sold."))
    gross_profit = serializers.DecimalField(**MONEY_KW)
    expenses = serializers.DecimalField(**MONEY_KW)
    result = serializers.DecimalField(**MONEY_KW, help_text=_("Gross profit less expenses."))


class DealExpenseSerializer(ServiceModelSerializer):
    deal = PrimaryKeyField(queryset=Deal.objects.all())
    amount = serializers.DecimalField(**MONEY_KW, min_value=Decimal("0.01"))

    class Meta:
        model = DealExpense
        fields = ["id", "deal", "date", "kind", "amount", "comment", "created_by", "created_at", "updated_at"]
        read_only_fields = ["created_by", "created_at", "updated_at"]
