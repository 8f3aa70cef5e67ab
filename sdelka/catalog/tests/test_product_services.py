"""Products: who keeps the catalog, money rules, SKU uniqueness."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.catalog import services
from sdelka.catalog.models import Product
from sdelka.catalog.tests.factories import ProductFactory, ProductGroupFactory

pytestmark = pytest.mark.django_db


def test_a_head_creates_a_product_with_decimal_money(head):
    product = services.product_create(
        actor=head,
        data={"sku": " P-100 ", "name": "Pump", "price": Decimal("1000.10"), "cost_price": Decimal("700.05")},
    )
    product.refresh_from_db()
    assert product.sku == "P-100"
    assert product.margin == Decimal("300.05")
    assert isinstance(product.price, Decimal)


@pytest.mark.parametrize("role_fixture", ["manager", "marketer"])
def test_managers_and_marketers_do_not_edit_the_catalog(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.product_create(actor=user, data={"sku": "X", "name": "X"})


def test_negative_prices_and_duplicate_skus_are_refused(head):
    ProductFactory(sku="DUP")
    with pytest.raises(ValidationError) as error:
        services.product_create(actor=head, data={"sku": "DUP", "name": "X", "price": Decimal("-1")})
    assert {"sku", "price"} <= set(error.value.message_dict)
    assert Product.objects.count() == 1


def test_moving_products_between_groups(head):
    group = ProductGroupFactory(name="Pumps")
    products = [ProductFactory() for _ in range(2)]

    assert services.products_move_to_group(actor=head, products=products, group=group) == 2
    assert set(group.products.all()) == set(products)


def test_a_group_cycle_is_refused_for_product_groups_too(head):
    top = ProductGroupFactory(name="Equipment")
    child = ProductGroupFactory(name="Pumps", parent=top)

    with pytest.raises(ValidationError):
        services.product_group_move(actor=head, group=top, parent=child)


def test_a_product_in_use_cannot_delete_its_group(head):
    group = ProductGroupFactory(name="Pumps")
    ProductFactory(group=group)

    with pytest.raises(ValidationError, match="products"):
        services.product_group_delete(actor=head, group=group)
