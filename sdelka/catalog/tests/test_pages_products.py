"""The products catalog pages: list with tree, filters, sort, pages, moves; product form and history."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sdelka.catalog.models import Product, ProductGroup
from sdelka.catalog.tests.factories import ProductFactory, ProductGroupFactory

pytestmark = pytest.mark.django_db

LIST = reverse("catalog:product_list")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def names_in(response) -> list[str]:
    return re.findall(r'<td class="name"><a href="/products/\d+/">([^<]+)</a>', response.content.decode())


def product_data(**overrides) -> dict:
    data = {
        "sku": "PUMP-1",
        "name": "Pump",
        "kind": "goods",
        "unit": "pcs",
        "price": "1200.50",
        "cost_price": "800",
        "vat_rate": "22",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_everyone_reads_the_catalog(page_client_for, manager):
    ProductFactory(name="Pump")

    response = page_client_for(manager).get(LIST)

    assert names_in(response) == ["Pump"]


def test_prices_use_the_locale_format(page_client_for, manager):
    ProductFactory(name="Pump", price=Decimal("1234567.50"))

    response = page_client_for(manager).get(LIST)

    assert "1,234,567.50" in response.content.decode()


def test_search_by_name_or_sku(page_client_for, manager):
    ProductFactory(name="Pump", sku="P-100")
    ProductFactory(name="Valve", sku="V-200")
    client = page_client_for(manager)

    assert names_in(client.get(LIST, {"q": "pum"})) == ["Pump"]
    assert names_in(client.get(LIST, {"q": "v-2"})) == ["Valve"]


def test_filters_by_kind_active_vat_and_price(page_client_for, manager):
    ProductFactory(name="Cheap", price=Decimal("10"), vat_rate="10")
    ProductFactory(name="Dear", price=Decimal("1000"))
    ProductFactory(name="Installation", kind="service", price=Decimal("500"))
    ProductFactory(name="Retired", active=False, price=Decimal("50"))
    client = page_client_for(manager)

    assert names_in(client.get(LIST, {"kind": "service"})) == ["Installation"]
    assert names_in(client.get(LIST, {"active": "false"})) == ["Retired"]
    assert names_in(client.get(LIST, {"vat_rate": "10"})) == ["Cheap"]
    assert names_in(client.get(LIST, {"price_min": "100", "price_max": "600"})) == ["Installation"]


def test_sort_by_price_and_sku(page_client_for, manager):
    ProductFactory(name="B", sku="S-3", price=Decimal("5"), cost_price=Decimal("1"))
    ProductFactory(name="A", sku="S-2", price=Decimal("50"), cost_price=Decimal("3"))
    ProductFactory(name="C", sku="S-1", price=Decimal("20"), cost_price=Decimal("2"))
    client = page_client_for(manager)

    assert names_in(client.get(LIST, {"sort": "price"})) == ["B", "C", "A"]
    assert names_in(client.get(LIST, {"sort": "-price"})) == ["A", "C", "B"]
    assert names_in(client.get(LIST, {"sort": "sku"})) == ["C", "A", "B"]
    assert names_in(client.get(LIST, {"sort": "-cost_price"})) == ["A", "C", "B"]


def test_pages_of_fifty(page_client_for, manager):
    for number in range(51):
        ProductFactory(name=f"Item {number:03d}")

    response = page_client_for(manager).get(LIST, {"page": 2})

    assert names_in(response) == ["Item 050"]
    assert "51 records" in response.content.decode()


def test_group_tree_filters_with_subgroups(page_client_for, manager):
    pumps = ProductGroupFactory(name="Pumps")
    small = ProductGroupFactory(name="Small", parent=pumps)
    ProductFactory(name="Big pump", group=pumps)
    ProductFactory(name="Tiny pump", group=small)
    ProductFactory(name="Loose")
    client = page_client_for(manager)

    assert names_in(client.get(LIST, {"group": pumps.pk})) == ["Big pump", "Tiny pump"]
    assert names_in(client.get(LIST, {"group": pumps.pk, "include_subgroups": "false"})) == ["Big pump"]
    assert names_in(client.get(LIST, {"without_group": "true"})) == ["Loose"]


def test_list_runs_the_same_number_of_queries_for_1_and_50_products(page_client_for, head):
    group = ProductGroupFactory(name="Group")
    client = page_client_for(head)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    ProductFactory(group=group)
    one = count_queries()
    for _ in range(49):
        ProductFactory(group=group)
    fifty = count_queries()

    assert one == fifty


def test_a_head_moves_products_with_htmx(page_client_for, head):
    target = ProductGroupFactory(name="Target")
    product = ProductFactory(name="Mover")

    response = page_client_for(head).post(
        reverse("catalog:product_move_to_group"), {"product": [product.pk], "group": target.pk}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="product-browser"' in html and "<html" not in html
    product.refresh_from_db()
    assert product.group == target


def test_managers_and_marketers_see_no_edit_controls_and_are_refused(page_client_for, manager, marketer):
    product = ProductFactory(name="Pump")
    group = ProductGroupFactory(name="Pumps")
    for user in (manager, marketer):
        client = page_client_for(user)
        listing = client.get(LIST).content.decode()
        detail = client.get(reverse("catalog:product_detail", args=[product.pk])).content.decode()

        assert "New product" not in listing
        assert 'name="product"' not in listing
        assert "Manage groups" not in listing
        assert reverse("catalog:product_edit", args=[product.pk]) not in detail
        assert client.get(reverse("catalog:product_create")).status_code == 403
        assert (
            client.post(reverse("catalog:product_edit", args=[product.pk]), product_data()).status_code == 403
        )
        assert client.post(reverse("catalog:product_delete", args=[product.pk])).status_code == 403
        assert (
            client.post(
                reverse("catalog:product_move_to_group"), {"product": [product.pk], "group": group.pk}
            ).status_code
            == 403
        )
        assert client.post(reverse("catalog:product_group_create"), {"name": "X"}).status_code == 403
    product.refresh_from_db()
    assert product.group is None


def test_create_a_product(page_client_for, head):
    response = page_client_for(head).post(reverse("catalog:product_create"), product_data())

    product = Product.objects.get(sku="PUMP-1")
    assert response.status_code == 302
    assert product.price == Decimal("1200.50")


def test_prices_are_typed_in_the_russian_format_on_a_russian_page(page_client_for, head, settings):
    settings.LANGUAGE_CODE = "ru"

    page_client_for(head).post(reverse("catalog:product_create"), product_data(price="1 200,50"))

    assert Product.objects.get(sku="PUMP-1").price == Decimal("1200.50")


def test_a_duplicate_sku_and_a_negative_price_are_shown_next_to_the_fields(page_client_for, head):
    ProductFactory(sku="PUMP-1")

    response = page_client_for(head).post(reverse("catalog:product_create"), product_data(price="-1"))

    html = response.content.decode()
    assert re.search(r'id="field-sku".*?Product with this SKU already exists.', html, re.S)
    assert re.search(r'id="field-price".*?greater than or equal to 0', html, re.S)
    assert Product.objects.count() == 1


def test_edit_then_history_shows_old_and_new_price(page_client_for, head):
    product = ProductFactory(sku="PUMP-1", name="Pump", price=Decimal("1200.00"))
    client = page_client_for(head)

    client.post(reverse("catalog:product_edit", args=[product.pk]), product_data(price="1500"))
    response = client.get(reverse("catalog:product_detail", args=[product.pk]), {"tab": "history"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert re.search(
        r'<span class="old">1,200.00</span>\s*<span class="arrow">→</span>\s*<span class="new">1,500.00</span>',
        html,
    )


def test_delete_a_product(page_client_for, admin_user):
    product = ProductFactory()

    response = page_client_for(admin_user).post(reverse("catalog:product_delete", args=[product.pk]))

    assert response.status_code == 302
    assert not Product.objects.exists()


def test_a_missing_product_answers_404(page_client_for, manager):
    assert page_client_for(manager).get(reverse("catalog:product_detail", args=[999])).status_code == 404


def test_group_management_for_heads(page_client_for, head):
    parent = ProductGroupFactory(name="Parent")
    child = ProductGroupFactory(name="Child", parent=parent)
    client = page_client_for(head)

    refused = client.post(
        reverse("catalog:product_group_move", args=[parent.pk]), {"parent": child.pk}, follow=True
    )
    client.post(reverse("catalog:product_group_create"), {"name": "Valves", "parent": parent.pk})

    assert "A group cannot be moved into its own subgroup “Child”." in refused.content.decode()
    assert ProductGroup.objects.get(name="Valves").parent == parent
