"""The documents API: made from deals and from one another, lines and totals, statuses, posting, scope."""

from decimal import Decimal

import pytest

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.documents.models import Quote, Sale, SalesFact, SalesOrder
from sdelka.documents.tests.factories import ContractFactory, deal_with_goods
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_chain_over_the_api(manager, api_client_for):
    api = api_client_for(manager)
    deal = deal_with_goods(manager=manager)
    response = api.post(f"/api/v1/deals/{deal.pk}/quotes/", {}, format="json")
    assert response.status_code == 201, response.data
    quote = response.data
    assert quote["deal"] == deal.pk and quote["partner"] == deal.partner_id and len(quote["lines"]) == 2
    assert Decimal(quote["amount_gross"]) == Decimal("351.50")

    assert (
        api.post(f"/api/v1/quotes/{quote['id']}/status/", {"status": "sent"}, format="json").status_code
        == 200
    )
    response = api.post(f"/api/v1/quotes/{quote['id']}/sales-order/", {}, format="json")
    assert response.status_code == 201, response.data
    order = response.data
    assert order["quote"] == quote["id"] and order["amount_gross"] == quote["amount_gross"]

    response = api.post(f"/api/v1/sales-orders/{order['id']}/sale/", {"date": "2026-03-01"}, format="json")
    assert response.status_code == 201, response.data
    sale = response.data
    assert sale["sales_order"] == order["id"] and sale["date"] == "2026-03-01" and sale["year"] == 2026

    response = api.post(f"/api/v1/sales/{sale['id']}/post/", format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "posted"
    assert SalesFact.objects.filter(sale_id=sale["id"]).count() == 2

    result = api.get(f"/api/v1/deals/{deal.pk}/financial-result/").data
    assert Decimal(result["revenue"]) == Decimal(sale["amount_net"])
    assert Decimal(result["result"]) == Decimal(result["revenue"]) - Decimal(result["cost"])

    response = api.post(
        "/api/v1/deal-expenses/",
        {"deal": deal.pk, "date": "2026-03-02", "kind": "delivery", "amount": "1000.00"},
        format="json",
    )
    assert response.status_code == 201, response.data
    result = api.get(f"/api/v1/deals/{deal.pk}/financial-result/").data
    assert Decimal(result["expenses"]) == Decimal("1000.00")
    assert Decimal(result["result"]) == Decimal(result["gross_profit"]) - Decimal("1000.00")


def test_create_with_lines_and_rounding(manager, api_client_for):
    api = api_client_for(manager)
    partner = PartnerFactory(manager=manager)
    product = ProductFactory(vat_rate="20")
    response = api.post(
        "/api/v1/sales-orders/",
        {
            "partner": partner.pk,
            "prices_include_vat": False,
            "lines": [
                {"product": product.pk, "quantity": "3", "price": "33.33", "discount_percent": "5"},
                {"product": product.pk, "quantity": "1.5", "price": "0.99", "vat_rate": "10"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    first, second = response.data["lines"]
    # 3 × 33.33 = 99.99, less 5 % = 94.9905 → 94.99; VAT 20 % = 18.998 → 19.00
    assert (first["amount_net"], first["amount_vat"], first["amount_gross"]) == ("94.99", "19.00", "113.99")
    # 1.5 × 0.99 = 1.485 → 1.49; VAT 10 % = 0.149 → 0.15
    assert (second["amount_net"], second["amount_vat"], second["amount_gross"]) == ("1.49", "0.15", "1.64")
    assert response.data["amount_gross"] == "115.63"


def test_bad_input_is_refused_and_nothing_is_stored(manager, api_client_for):
    api = api_client_for(manager)
    partner = PartnerFactory(manager=manager)
    product = ProductFactory()
    for lines, field in (
        ([{"product": product.pk, "quantity": "0", "price": "1"}], "lines"),
        ([{"product": product.pk, "quantity": "-1", "price": "1"}], "lines"),
        ([{"product": product.pk, "quantity": "1", "price": "-1"}], "lines"),
        ([{"product": 999999, "quantity": "1", "price": "1"}], "lines"),
        ([{"product": product.pk, "quantity": "1", "price": "1", "discount_percent": "101"}], "lines"),
    ):
        response = api.post("/api/v1/quotes/", {"partner": partner.pk, "lines": lines}, format="json")
        assert response.status_code == 400, (lines, response.data)
        assert field in response.data
    foreign_contract = ContractFactory()
    counterparty = CounterpartyFactory(partner=partner)
    response = api.post(
        "/api/v1/quotes/",
        {"partner": partner.pk, "counterparty": counterparty.pk, "contract": foreign_contract.pk},
        format="json",
    )
    assert response.status_code == 400 and "contract" in response.data
    assert not Quote.objects.exists()


def test_only_drafts_change_and_statuses_follow_the_rules(manager, api_client_for):
    api = api_client_for(manager)
    deal = deal_with_goods(manager=manager)
    order = api.post(f"/api/v1/deals/{deal.pk}/sales-orders/", {}, format="json").data
    response = api.post(f"/api/v1/sales-orders/{order['id']}/status/", {"status": "fulfilled"}, format="json")
    assert response.status_code == 400 and "status" in response.data
    assert (
        api.post(
            f"/api/v1/sales-orders/{order['id']}/status/", {"status": "confirmed"}, format="json"
        ).status_code
        == 200
    )
    response = api.patch(f"/api/v1/sales-orders/{order['id']}/", {"comment": "changed"}, format="json")
    assert response.status_code == 400
    assert SalesOrder.objects.get(pk=order["id"]).comment == ""
    assert api.delete(f"/api/v1/sales-orders/{order['id']}/").status_code == 400


def test_purchase_order_from_a_deal_needs_a_supplier(manager, api_client_for):
    api = api_client_for(manager)
    deal = deal_with_goods(manager=manager)
    client = PartnerFactory(manager=manager, is_client=True, is_supplier=False)
    response = api.post(f"/api/v1/deals/{deal.pk}/purchase-orders/", {}, format="json")
    assert response.status_code == 400 and "supplier" in response.data
    response = api.post(f"/api/v1/deals/{deal.pk}/purchase-orders/", {"supplier": client.pk}, format="json")
    assert response.status_code == 400 and "partner" in response.data
    supplier = PartnerFactory(manager=manager, is_client=False, is_supplier=True)
    response = api.post(f"/api/v1/deals/{deal.pk}/purchase-orders/", {"supplier": supplier.pk}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["partner"] == supplier.pk and response.data["prices_include_vat"] is False


def test_foreign_documents_are_not_found(manager, outsider, api_client_for):
    deal = deal_with_goods(manager=manager)
    quote = api_client_for(manager).post(f"/api/v1/deals/{deal.pk}/quotes/", {}, format="json").data
    api = api_client_for(outsider)
    assert api.get(f"/api/v1/quotes/{quote['id']}/").status_code == 404
    assert api.get("/api/v1/quotes/").data["count"] == 0
    assert api.post(f"/api/v1/quotes/{quote['id']}/sales-order/", {}, format="json").status_code == 404
    assert api.post(f"/api/v1/deals/{deal.pk}/quotes/", {}, format="json").status_code == 404
    assert api.get(f"/api/v1/deals/{deal.pk}/financial-result/").status_code == 404
    response = api.post(
        "/api/v1/deal-expenses/",
        {"deal": deal.pk, "date": "2026-01-01", "kind": "travel", "amount": "5"},
        format="json",
    )
    assert response.status_code == 400 and "deal" in response.data


def test_head_sees_the_teams_documents_and_a_marketer_only_reads(manager, head, marketer, api_client_for):
    deal = deal_with_goods(manager=manager)
    quote = api_client_for(manager).post(f"/api/v1/deals/{deal.pk}/quotes/", {}, format="json").data
    assert api_client_for(head).get(f"/api/v1/quotes/{quote['id']}/").status_code == 200
    api = api_client_for(marketer)
    assert api.get(f"/api/v1/quotes/{quote['id']}/").status_code == 200
    assert (
        api.post(f"/api/v1/quotes/{quote['id']}/status/", {"status": "sent"}, format="json").status_code
        == 403
    )
    assert api.post(f"/api/v1/quotes/{quote['id']}/sales-order/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/deals/{deal.pk}/sales/", {}, format="json").status_code == 403
    assert not Sale.objects.exists()


def test_a_return_over_the_api(manager, api_client_for):
    api = api_client_for(manager)
    deal = deal_with_goods(manager=manager)
    product = deal.products.first().product
    response = api.post(
        "/api/v1/sales/",
        {
            "partner": deal.partner_id,
            "deal": deal.pk,
            "lines": [{"product": product.pk, "quantity": "-2", "price": "100"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["amount_gross"] == "-200.00"
    api.post(f"/api/v1/sales/{response.data['id']}/post/")
    assert SalesFact.objects.get(sale_id=response.data["id"]).quantity == Decimal("-2")
