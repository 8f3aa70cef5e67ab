"""The document chain: made from a deal and from one another with the data copied; statuses; posting."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.deals.tests.factories import DealKindFactory
from sdelka.documents import services
from sdelka.documents.choices import QuoteStatus, SalesOrderStatus, SaleStatus
from sdelka.documents.models import PurchaseOrder, Quote, Sale, SalesFact
from sdelka.documents.selectors import deal_financial_result
from sdelka.documents.tests.factories import ContractFactory, deal_with_goods
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _copied(document):
    return [
        (line.product_id, line.quantity, line.price, line.discount_percent, line.vat_rate)
        for line in document.lines.order_by("id")
    ]


def test_quote_from_deal_copies_the_parties_and_goods(manager):
    deal = deal_with_goods(manager=manager)
    contract = ContractFactory(counterparty=deal.counterparty)
    deal.contract = contract
    deal.save()
    quote = services.quote_from_deal(deal, actor=manager)
    assert (quote.partner, quote.counterparty, quote.contract, quote.deal, quote.manager) == (
        deal.partner,
        deal.counterparty,
        contract,
        deal,
        manager,
    )
    assert quote.status == QuoteStatus.DRAFT
    assert [(line.product_id, line.quantity, line.price) for line in quote.lines.order_by("id")] == [
        (line.product_id, line.quantity, line.price) for line in deal.products.order_by("id")
    ]
    # 100.00 × 2 + 50.50 × 3 = 351.50 with VAT 22 % inside
    assert quote.amount_gross == Decimal("351.50")
    assert quote.amount_vat == sum(line.amount_vat for line in quote.lines.all())
    assert quote.amount_net + quote.amount_vat == quote.amount_gross


def test_the_whole_chain_copies_lines_and_links(manager):
    deal = deal_with_goods(manager=manager)
    quote = services.quote_from_deal(deal, actor=manager)
    services.document_set_lines(
        quote,
        actor=manager,
        lines=[
            {
                "product": line.product,
                "quantity": line.quantity,
                "price": line.price,
                "discount_percent": Decimal("10"),
            }
            for line in quote.lines.all()
        ],
    )
    services.document_set_status(quote, actor=manager, status=QuoteStatus.SENT)
    order = services.sales_order_from_quote(quote, actor=manager)
    assert order.quote == quote and _copied(order) == _copied(quote)
    assert order.amount_gross == quote.amount_gross
    sale = services.sale_from_sales_order(order, actor=manager)
    assert sale.sales_order == order and sale.quote == quote and _copied(sale) == _copied(order)
    assert sale.number.startswith(str(sale.date.year))


def test_numbers_are_per_type_and_year(manager):
    deal = deal_with_goods(manager=manager)
    first = services.quote_from_deal(deal, actor=manager)
    second = services.quote_from_deal(deal, actor=manager, data={"date": first.date.replace(year=2020)})
    third = services.quote_from_deal(deal, actor=manager)
    order = services.sales_order_from_deal(deal, actor=manager)
    assert first.number.endswith("000001") and third.number.endswith("000002")
    assert second.number == "2020-000001" and second.year == 2020
    assert order.number.endswith("000001")


def test_posting_a_sale_records_facts_and_unposting_removes_them(manager):
    deal = deal_with_goods(manager=manager)
    sale = services.sale_from_deal(deal, actor=manager)
    services.sale_post(sale, actor=manager)
    sale.refresh_from_db()
    assert sale.status == SaleStatus.POSTED
    facts = list(SalesFact.objects.filter(sale=sale).order_by("id"))
    assert len(facts) == 2
    assert sum(f.revenue for f in facts) == sale.amount_net
    # cost price is 60 % of the price: 60.00 × 2 + 30.30 × 3
    assert sum(f.cost for f in facts) == Decimal("210.90")
    assert all(f.gross_profit == f.revenue - f.cost for f in facts)
    assert {(f.partner_id, f.deal_id, f.manager_id) for f in facts} == {
        (deal.partner_id, deal.pk, manager.pk)
    }
    with pytest.raises(ValidationError):
        services.document_set_lines(sale, actor=manager, lines=[])
    result = deal_financial_result(deal=deal)
    assert result["revenue"] == sale.amount_net and result["cost"] == Decimal("210.90")
    services.sale_unpost(sale, actor=manager)
    assert not SalesFact.objects.filter(sale=sale).exists()


def test_separate_goods_accounting_takes_cost_from_the_deals_supplier_orders(manager):
    deal = deal_with_goods(manager=manager, kind=DealKindFactory(separate_goods_accounting=True))
    supplier = PartnerFactory(manager=manager, is_client=False, is_supplier=True)
    CounterpartyFactory(partner=supplier)
    purchase = services.purchase_order_from_deal(deal, actor=manager, supplier=supplier)
    assert isinstance(purchase, PurchaseOrder) and purchase.counterparty is not None
    first, second = purchase.lines.order_by("id")
    services.document_set_lines(
        purchase,
        actor=manager,
        lines=[
            {"product": first.product, "quantity": first.quantity, "price": Decimal("70.00")},
            {"product": second.product, "quantity": second.quantity, "price": Decimal("40.00")},
        ],
    )
    services.document_set_status(purchase, actor=manager, status="confirmed")
    sale = services.sale_from_deal(deal, actor=manager)
    services.sale_post(sale, actor=manager)
    assert sum(f.cost for f in SalesFact.objects.filter(sale=sale)) == Decimal("260.00")  # 70×2 + 40×3


def test_a_return_is_a_sale_with_negative_quantities(manager):
    deal = deal_with_goods(manager=manager)
    product = deal.products.first().product
    sale = services.document_create(
        Sale,
        actor=manager,
        data={"partner": deal.partner, "deal": deal},
        lines=[{"product": product, "quantity": Decimal("-1"), "price": Decimal("100.00")}],
    )
    assert sale.amount_gross == Decimal("-100.00")
    services.sale_post(sale, actor=manager)
    assert SalesFact.objects.get(sale=sale).revenue == sale.amount_net < 0
    with pytest.raises(ValidationError):
        services.document_create(
            Quote,
            actor=manager,
            data={"partner": deal.partner},
            lines=[{"product": product, "quantity": Decimal("-1"), "price": Decimal("1")}],
        )


def test_contract_must_belong_to_the_counterparty(manager):
    deal = deal_with_goods(manager=manager)
    foreign = ContractFactory()
    with pytest.raises(ValidationError) as error:
        services.quote_from_deal(deal, actor=manager, data={"contract": foreign})
    assert "contract" in error.value.message_dict
    assert not Quote.objects.exists()


def test_statuses_move_only_as_allowed(manager):
    deal = deal_with_goods(manager=manager)
    order = services.sales_order_from_deal(deal, actor=manager)
    with pytest.raises(ValidationError):
        services.document_set_status(order, actor=manager, status=SalesOrderStatus.FULFILLED)
    services.document_set_status(order, actor=manager, status=SalesOrderStatus.CONFIRMED)
    with pytest.raises(ValidationError):
        services.document_update(order, actor=manager, data={"comment": "late change"})
    services.document_set_status(order, actor=manager, status=SalesOrderStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.sale_from_sales_order(order, actor=manager)


def test_foreign_currency_sale_needs_a_rate_to_post(manager):
    deal = deal_with_goods(manager=manager, currency="KZT")
    sale = services.sale_from_deal(deal, actor=manager)
    assert sale.exchange_rate is None
    with pytest.raises(ValidationError) as error:
        services.sale_post(sale, actor=manager)
    assert "exchange_rate" in error.value.message_dict
    services.document_update(sale, actor=manager, data={"exchange_rate": Decimal("0.17")})
    services.sale_post(sale, actor=manager)
    expected = [
        (line.amount_net * Decimal("0.17")).quantize(Decimal("0.01")) for line in sale.lines.order_by("id")
    ]
    assert [f.revenue for f in SalesFact.objects.filter(sale=sale).order_by("id")] == expected


def test_an_outsider_cannot_make_documents_of_a_foreign_partner(manager, outsider):
    product = ProductFactory()
    partner = PartnerFactory(manager=manager)
    with pytest.raises(ValidationError) as error:
        services.document_create(
            Quote,
            actor=outsider,
            data={"partner": partner},
            lines=[{"product": product, "quantity": 1, "price": 1}],
        )
    assert "partner" in error.value.message_dict
