"""Reads of the products catalog. Products are the company's, so every role reads all of them."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.tree import TreeNode, build_tree


def product_list(*, user) -> QuerySet[Product]:
    return Product.objects.select_related("group")


def product_get(*, user, pk) -> Product:
    return product_list(user=user).get(pk=pk)


def product_group_list() -> QuerySet[ProductGroup]:
    return ProductGroup.objects.all()


def product_group_tree(*, user, active_only: bool = False) -> list[TreeNode]:
    products = Product.objects.filter(active=True) if active_only else Product.objects.all()
    counts = dict(products.values_list("group").annotate(n=Count("id")).order_by())
    return build_tree(ProductGroup.objects.all(), counts)
