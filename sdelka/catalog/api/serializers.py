"""Input and output of the catalog API. Money is a decimal string ("1200.00")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sdelka.catalog.models import Product, ProductGroup
from sdelka.catalog.selectors import product_list
from sdelka.core.api.fields import IdListField, PrimaryKeyField
from sdelka.core.api.groups import CatalogGroupSerializer
from sdelka.core.api.serializers import ServiceModelSerializer


class ProductSerializer(ServiceModelSerializer):
    group = PrimaryKeyField(queryset=ProductGroup.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "name",
            "kind",
            "unit",
            "group",
            "price",
            "cost_price",
            "vat_rate",
            "active",
            "description",
        ]


class ProductsMoveSerializer(serializers.Serializer):
    products = IdListField(help_text=_("Ids of the products to move."))
    group = PrimaryKeyField(
        queryset=ProductGroup.objects.all(), allow_null=True, help_text=_("The group; null: no group.")
    )

    def validate_products(self, ids: list[int]) -> list[Product]:
        found = {p.pk: p for p in product_list(user=self.context["request"].user).filter(pk__in=ids)}
        missing = [str(pk) for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("Not found: there are no products with ids %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return list(found.values())


class ProductGroupSerializer(CatalogGroupSerializer):
    class Meta(CatalogGroupSerializer.Meta):
        model = ProductGroup
