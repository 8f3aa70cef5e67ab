"""Making a document from a deal's page: created and opened, or refused with the reason on the deal's page."""

import pytest
from django.urls import reverse

from sdelka.documents.models import PurchaseOrder, Quote, Sale, SalesOrder
from sdelka.documents.tests.factories import deal_with_goods
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def from_deal(deal, slug):
    return reverse("documents:document_from_deal", args=[deal.pk, slug])


@pytest.mark.parametrize(
    ("slug", "model"), [("quotes", Quote), ("sales-orders", SalesOrder), ("sales", Sale)]
)
def test_a_document_is_made_from_the_deal_and_opened(manager, page_client_for, slug, model):
    deal = deal_with_goods(manager=manager)

    response = page_client_for(manager).post(from_deal(deal, slug))

    document = model.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:document_detail", args=[slug, document.pk])
    assert document.deal == deal and document.lines.count() == 2


def test_a_get_makes_nothing(manager, page_client_for):
    deal = deal_with_goods(manager=manager)

    response = page_client_for(manager).get(from_deal(deal, "quotes"))

    assert response.status_code == 405 and not Quote.objects.exists()


def test_a_deal_without_goods_shows_why_on_the_deal_page(manager, page_client_for):
    deal = deal_with_goods(manager=manager, lines=())

    response = page_client_for(manager).post(from_deal(deal, "quotes"))

    assert response.status_code == 302 and response.url == reverse("deals:deal_detail", args=[deal.pk])
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("Add the goods of interest" in message for message in messages)
    assert not Quote.objects.exists()


def test_a_closed_deal_makes_no_documents(manager, page_client_for):
    deal = deal_with_goods(manager=manager, closed=True)

    response = page_client_for(manager).post(from_deal(deal, "sales"))

    assert response.url == reverse("deals:deal_detail", args=[deal.pk])
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("closed" in message for message in messages)
    assert not Sale.objects.exists()


def test_a_foreign_deal_is_404_and_a_marketer_is_refused(manager, outsider, marketer, page_client_for):
    deal = deal_with_goods(manager=manager)

    foreign = page_client_for(outsider).post(from_deal(deal, "quotes"))
    refused = page_client_for(marketer).post(from_deal(deal, "quotes"))

    assert (foreign.status_code, refused.status_code) == (404, 403)
    assert not Quote.objects.exists()


def test_a_supplier_order_from_the_deal_asks_for_a_supplier_of_the_users(manager, outsider, page_client_for):
    deal = deal_with_goods(manager=manager)
    supplier = PartnerFactory(manager=manager, is_client=False, is_supplier=True, name="Steel Works")
    CounterpartyFactory(partner=supplier)
    PartnerFactory(manager=outsider, is_client=False, is_supplier=True, name="Foreign Supplier")
    client = page_client_for(manager)
    url = from_deal(deal, "purchase-orders")

    form = client.get(url).content.decode()
    assert "Steel Works" in form and "Foreign Supplier" not in form and deal.partner.name not in form

    missing = client.post(url, {"supplier": ""})
    assert missing.status_code == 400 and "Choose the supplier." in missing.content.decode()
    not_a_supplier = client.post(url, {"supplier": deal.partner.pk})
    assert not_a_supplier.status_code == 400 and "Select a valid choice" in not_a_supplier.content.decode()
    assert not PurchaseOrder.objects.exists()

    response = client.post(url, {"supplier": supplier.pk})
    purchase = PurchaseOrder.objects.get()
    assert response.url == reverse("documents:document_detail", args=["purchase-orders", purchase.pk])
    assert purchase.partner == supplier and purchase.deal == deal
