"""Products and product groups over the API. Everyone reads the catalog; heads and admins keep it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sdelka.accounts.permissions import CHANGE
from sdelka.catalog import selectors, services
from sdelka.catalog.filters import ProductFilter
from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.api.groups import CatalogGroupViewSet, with_item_counts
from sdelka.core.api.serializers import MovedSerializer
from sdelka.core.api.viewsets import HistoryMixin, ServiceViewSet

from .serializers import ProductGroupSerializer, ProductSerializer, ProductsMoveSerializer


class ProductViewSet(HistoryMixin, ServiceViewSet):
    """Goods and services. Filter with the list page's filters (``group`` with ``include_subgroups``,
    ``price_min``/``price_max``, ``active``…), ``search`` by name or SKU, and ``ordering``."""

    queryset = Product.objects.none()
    serializer_class = ProductSerializer
    permission_resource = "product"
    action_rights = {"move_to_group": CHANGE}
    filterset_class = ProductFilter
    search_fields = ["name", "sku"]
    ordering_fields = ["name", "sku", "price", "cost_price", "created_at", "id"]

    def select(self, *, user):
        return selectors.product_list(user=user)

    def create_record(self, *, actor, data):
        return services.product_create(actor=actor, data=data)

    def update_record(self, instance, *, actor, data):
        return services.product_update(actor=actor, product=instance, data=data)

    def delete_record(self, instance, *, actor):
        services.product_delete(actor=actor, product=instance)

    @extend_schema(
        summary="Move products to a group",
        description="Puts each listed product into the group (null: out of every group).",
        request=ProductsMoveSerializer,
        responses=MovedSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="move-to-group",
        pagination_class=None,
        filter_backends=[],
        serializer_class=ProductsMoveSerializer,
    )
    def move_to_group(self, request: Request) -> Response:
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        moved = services.products_move_to_group(
            actor=request.user, products=given.validated_data["products"], group=given.validated_data["group"]
        )
        return Response(MovedSerializer({"moved": moved}).data)


class ProductGroupViewSet(CatalogGroupViewSet):
    """Groups of the products catalog with the number of products in each (and below it)."""

    queryset = ProductGroup.objects.none()
    serializer_class = ProductGroupSerializer
    permission_resource = "product_group"

    def select(self, *, user):
        return with_item_counts(selectors.product_group_list(), selectors.product_list(user=user))

    def create_record(self, *, actor, data):
        return services.product_group_create(actor=actor, name=data["name"], parent=data.get("parent"))

    def group_rename(self, group, *, actor, name):
        return services.product_group_rename(actor=actor, group=group, name=name)

    def group_move(self, group, *, actor, parent):
        return services.product_group_move(actor=actor, group=group, parent=parent)

    def delete_record(self, instance, *, actor):
        services.product_group_delete(actor=actor, group=instance)
