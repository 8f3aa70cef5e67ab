"""Writes of products and product groups (heads of sales and administrators keep the catalog)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sdelka.catalog.models import Product, ProductGroup
from sdelka.core import tree
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save

PRODUCT_FIELDS = (
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
)


@transaction.atomic
def product_create(*, actor, data: dict) -> Product:
    ensure_role_can(actor, "add", "product")
    product = Product()
    model_assign(product, data, PRODUCT_FIELDS)
    product.sku = (product.sku or "").strip()
    validate_and_save(product, actor=actor)
    return product


@transaction.atomic
def product_update(*, actor, product: Product, data: dict) -> Product:
    ensure_role_can(actor, "change", "product")
    if model_assign(product, data, PRODUCT_FIELDS):
        product.sku = (product.sku or "").strip()
        validate_and_save(product, actor=actor)
    return product


@transaction.atomic
def product_delete(*, actor, product: Product) -> None:
    ensure_role_can(actor, "delete", "product")
    product._history_user = actor
    try:
        product.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The product is used in documents and cannot be deleted; mark it inactive instead.")
        ) from error


@transaction.atomic
def products_move_to_group(*, actor, products: Iterable[Product], group: ProductGroup | None) -> int:
    ensure_role_can(actor, "change", "product")
    return tree.items_move_to_group(products, actor=actor, group=group)


def product_group_create(*, actor, name: str, parent: ProductGroup | None = None) -> ProductGroup:
    ensure_role_can(actor, "add", "product_group")
    return tree.group_create(ProductGroup, actor=actor, name=name, parent=parent)


def product_group_rename(*, actor, group: ProductGroup, name: str) -> ProductGroup:
    ensure_role_can(actor, "change", "product_group")
    return tree.group_rename(group, actor=actor, name=name)


def product_group_move(*, actor, group: ProductGroup, parent: ProductGroup | None) -> ProductGroup:
    ensure_role_can(actor, "change", "product_group")
    return tree.group_move(group, actor=actor, parent=parent)


def product_group_delete(*, actor, group: ProductGroup) -> None:
    ensure_role_can(actor, "delete", "product_group")
    tree.group_delete(group, actor=actor, item_model=Product, item_label=_("products"))
