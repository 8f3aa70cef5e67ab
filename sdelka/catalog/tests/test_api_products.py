"""The products API: /api/v1/products/."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sdelka.catalog.models import Product
from sdelka.catalog.tests.factories import ProductFactory, ProductGroupFactory
from sdelka.core.api.testing import list_ids, queries_of_get

URL = "/api/v1/products/"
FIELDS = {
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
}


def test_a_head_adds_a_product_with_money_as_decimal_strings(head, api_client_for):
    group = ProductGroupFactory(name="Pumps")

    response = api_client_for(head).post(
        URL,
        {
            "sku": "P-100",
            "name": "Pump",
            "group": group.pk,
            "price": "1500.50",
            "cost_price": 900,
            "vat_rate": "20",
            "unit": "pcs",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert (body["price"], body["cost_price"]) == ("1500.50", "900.00")
    product = Product.objects.get()
    assert (product.price, product.group) == (Decimal("1500.50"), group)


def test_a_manager_reads_products_but_may_not_change_the_catalog(manager, api_client_for):
    product = ProductFactory()
    client = api_client_for(manager)

    assert list_ids(client.get(URL)) == [product.pk]
    assert client.get(f"{URL}{product.pk}/").status_code == 200
    assert client.post(URL, {"sku": "X", "name": "X"}, format="json").status_code == 403
    assert client.patch(f"{URL}{product.pk}/", {"name": "X"}, format="json").status_code == 403
    assert client.delete(f"{URL}{product.pk}/").status_code == 403
    assert Product.objects.get().name == product.name


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"sku": ""}, "sku"),
        ({"sku": "x" * 51}, "sku"),
        ({"sku": "TAKEN"}, "sku"),
        ({"name": "x" * 256}, "name"),
        ({"price": "-1.00"}, "price"),
        ({"price": "1.005"}, "price"),
        ({"price": "12345678901234.00"}, "price"),
        ({"price": "NaN"}, "price"),
        ({"price": "a lot"}, "price"),
        ({"cost_price": -5}, "cost_price"),
        ({"vat_rate": "18"}, "vat_rate"),
        ({"unit": "parsec"}, "unit"),
        ({"kind": "magic"}, "kind"),
        ({"group": 999999}, "group"),
        ({"active": "sometimes"}, "active"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(head, api_client_for, payload, field):
    ProductFactory(sku="TAKEN")

    response = api_client_for(head).post(URL, {"sku": "P-1", "name": "Pump", **payload}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Product.objects.count() == 1


def test_the_group_filter_includes_subgroups_unless_told_not_to(manager, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")
    centrifugal = ProductGroupFactory(name="Centrifugal", parent=pumps)
    top = ProductFactory(name="A top", group=pumps)
    inner = ProductFactory(name="B inner", group=centrifugal)
    ProductFactory(name="C elsewhere")
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"group": pumps.pk})) == [top.pk, inner.pk]
    assert list_ids(client.get(URL, {"group": pumps.pk, "include_subgroups": "false"})) == [top.pk]


def test_the_list_filters_by_price_kind_and_activity(manager, api_client_for):
    cheap = ProductFactory(name="Cheap", price=Decimal("10"))
    dear = ProductFactory(name="Dear", price=Decimal("5000"), kind="service")
    retired = ProductFactory(name="Retired", price=Decimal("100"), active=False)
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"price_min": "50", "price_max": "1000"})) == [retired.pk]
    assert list_ids(client.get(URL, {"kind": "service"})) == [dear.pk]
    assert list_ids(client.get(URL, {"active": "true"})) == [cheap.pk, dear.pk]


def test_search_orders_and_pages(manager, api_client_for):
    pump = ProductFactory(sku="PMP-1", name="Pump", price=Decimal("300"))
    valve = ProductFactory(sku="VLV-1", name="Valve", price=Decimal("100"))
    hose = ProductFactory(sku="HSE-1", name="Hose", price=Decimal("200"))
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"search": "vlv"})) == [valve.pk]
    assert list_ids(client.get(URL, {"ordering": "price"})) == [valve.pk, hose.pk, pump.pk]
    assert list_ids(client.get(URL, {"ordering": "-price", "page_size": 2, "page": 2})) == [valve.pk]


def test_a_price_change_is_kept_in_the_history(head, api_client_for):
    product = ProductFactory(price=Decimal("1200.00"))
    client = api_client_for(head)

    response = client.patch(f"{URL}{product.pk}/", {"price": "1300.00"}, format="json")
    history = client.get(f"{URL}{product.pk}/history/").json()

    assert response.status_code == 200, response.content
    assert [(c["field"], c["old"], c["new"]) for c in history[0]["changes"]] == [
        ("price", "1200.00", "1300.00")
    ]
    assert history[0]["user"] == head.pk


def test_a_refused_update_changes_nothing(head, api_client_for):
    product = ProductFactory(name="Pump", price=Decimal("1200.00"))

    response = api_client_for(head).put(
        f"{URL}{product.pk}/", {"sku": product.sku, "name": "Renamed", "price": "-1"}, format="json"
    )

    assert response.status_code == 400
    product.refresh_from_db()
    assert (product.name, product.price) == ("Pump", Decimal("1200.00"))


def test_a_head_deletes_a_product(head, api_client_for):
    product = ProductFactory()

    assert api_client_for(head).delete(f"{URL}{product.pk}/").status_code == 204
    assert not Product.objects.exists()


def test_a_missing_product_is_not_found_for_every_action(head, api_client_for):
    client = api_client_for(head)
    url = f"{URL}999999/"

    assert client.get(url).status_code == 404
    assert client.put(url, {"sku": "A", "name": "A"}, format="json").status_code == 404
    assert client.patch(url, {"name": "A"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}history/").status_code == 404


def test_products_are_moved_to_a_group(head, api_client_for):
    group = ProductGroupFactory(name="Pumps")
    first, second = ProductFactory(), ProductFactory(group=group)

    response = api_client_for(head).post(
        f"{URL}move-to-group/", {"products": [first.pk, second.pk], "group": group.pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"moved": 1}
    first.refresh_from_db()
    assert first.group == group


def test_moving_unknown_products_is_refused_and_moves_nothing(head, api_client_for):
    group = ProductGroupFactory(name="Pumps")
    product = ProductFactory()

    response = api_client_for(head).post(
        f"{URL}move-to-group/", {"products": [product.pk, 999999], "group": group.pk}, format="json"
    )

    assert response.status_code == 400
    assert "products" in response.json()
    product.refresh_from_db()
    assert product.group is None


def test_a_manager_may_not_move_products(manager, api_client_for):
    product = ProductFactory()

    response = api_client_for(manager).post(
        f"{URL}move-to-group/", {"products": [product.pk], "group": None}, format="json"
    )

    assert response.status_code == 403


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, api_client_for):
    client = api_client_for(manager)
    group = ProductGroupFactory(name="Pumps")
    ProductFactory(group=group)
    queries_for_one = queries_of_get(client, URL)
    ProductFactory.create_batch(49, group=group)

    assert queries_of_get(client, URL) == queries_for_one
