"""Pages of the documents of deals: list, detail, header form, status, posting, made from one another, files.

Lines edited in place are in ``test_pages_documents_lines.py``; making documents from a deal in
``test_pages_documents_from_deal.py``.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from sdelka.documents import services
from sdelka.documents.choices import QuoteStatus, SalesOrderStatus, SaleStatus
from sdelka.documents.models import PurchaseOrder, Quote, Sale, SalesFact, SalesOrder
from sdelka.documents.tests.factories import ContractFactory, deal_with_goods
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def detail(document, slug):
    return reverse("documents:document_detail", args=[slug, document.pk])


# --- the list -------------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_documents_with_their_totals(manager, outsider, page_client_for):
    mine = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    theirs = services.quote_from_deal(deal_with_goods(manager=outsider), actor=outsider)
    Quote.objects.filter(pk=theirs.pk).update(number="THEIRS-1")

    response = page_client_for(manager).get(reverse("documents:document_list", args=["quotes"]))

    page = response.content.decode()
    assert response.status_code == 200
    assert mine.number in page and "THEIRS-1" not in page
    assert "351.50 RUB" in page  # the total column and the total of the list
    assert 'class="active">Commercial proposals' in page


def test_every_type_has_its_list_and_an_unknown_type_is_404(manager, page_client_for):
    client = page_client_for(manager)
    for slug in ("quotes", "sales-orders", "sales", "purchase-orders"):
        assert client.get(reverse("documents:document_list", args=[slug])).status_code == 200
    assert client.get("/documents/invoices/").status_code == 404


def test_the_list_searches_and_filters(manager, teammate, head, page_client_for):
    deal = deal_with_goods(manager=manager)
    draft = services.quote_from_deal(deal, actor=manager)
    sent = services.quote_from_deal(deal, actor=manager, data={"date": draft.date.replace(year=2020)})
    services.document_set_status(sent, actor=manager, status=QuoteStatus.SENT)
    other = services.quote_from_deal(deal_with_goods(manager=teammate), actor=teammate)
    client = page_client_for(head)
    url = reverse("documents:document_list", args=["quotes"])

    def numbers(**query):
        page = client.get(url, query).content.decode()
        return {doc.number for doc in (draft, sent, other) if f'href="{detail(doc, "quotes")}"' in page}

    assert numbers() == {draft.number, sent.number, other.number}
    assert numbers(status="sent") == {sent.number}
    assert numbers(q=draft.number) == {draft.number}
    assert numbers(partner=other.partner.name) == {other.number}
    assert numbers(manager=teammate.pk) == {other.number}
    assert numbers(deal=deal.number) == {draft.number, sent.number}
    assert numbers(date_to="2020-12-31") == {sent.number}
    assert numbers(date_from="2021-01-01") == {draft.number, other.number}
    # A wrong value is ignored rather than an error.
    assert numbers(date_from="yesterday", manager="x") == {draft.number, sent.number, other.number}


def test_the_list_sorts_by_total(manager, page_client_for):
    small = services.quote_from_deal(deal_with_goods(manager=manager, lines=(("10.00", "1"),)), actor=manager)
    big = services.quote_from_deal(deal_with_goods(manager=manager, lines=(("999.00", "1"),)), actor=manager)
    client = page_client_for(manager)
    url = reverse("documents:document_list", args=["quotes"])

    ascending = client.get(url, {"sort": "amount"}).content.decode()
    descending = client.get(url, {"sort": "-amount"}).content.decode()

    assert ascending.index(small.number) < ascending.index(big.number)
    assert descending.index(big.number) < descending.index(small.number)


def test_the_list_makes_the_same_queries_for_few_and_many_documents(
    manager, page_client_for, django_assert_max_num_queries
):
    deal = deal_with_goods(manager=manager)
    for _ in range(2):
        services.sale_from_deal(deal, actor=manager)
    client = page_client_for(manager)
    url = reverse("documents:document_list", args=["sales"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(3):
        services.sale_from_deal(deal_with_goods(manager=manager), actor=manager)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="badge doc-status') == 5


def test_the_documents_section_lands_on_the_quotes_and_stays_active(manager, page_client_for):
    client = page_client_for(manager)

    response = client.get(reverse("documents:index"))

    assert response.status_code == 302
    assert response.url == reverse("documents:document_list", args=["quotes"])
    page = client.get(reverse("documents:document_list", args=["sales"])).content.decode()
    assert f'href="{reverse("documents:index")}"\n             class=" active"' in page


# --- one document ---------------------------------------------------------------------------------------------


def test_the_detail_shows_the_header_lines_totals_and_actions(manager, page_client_for):
    deal = deal_with_goods(manager=manager)
    contract = ContractFactory(counterparty=deal.counterparty, number="K-77")
    quote = services.quote_from_deal(deal, actor=manager, data={"contract": contract, "comment": "Urgent"})

    page = page_client_for(manager).get(detail(quote, "quotes")).content.decode()

    assert quote.number in page and deal.partner.name in page and deal.counterparty.name in page
    assert "K-77" in page and "Urgent" in page and reverse("deals:deal_detail", args=[deal.pk]) in page
    for line in quote.lines.select_related("product"):
        assert line.product.name in page
    assert "351.50" in page  # the total of the lines
    assert "Mark as sent" in page and "Make a customer order" in page and "Make a sale" in page
    assert reverse("documents:document_edit", args=["quotes", quote.pk]) in page
    assert reverse("documents:document_delete", args=["quotes", quote.pk]) in page
    assert reverse("documents:quote_pdf", args=[quote.pk]) in page
    assert reverse("documents:document_lines_xlsx", args=["quotes", quote.pk]) in page
    assert 'name="add-product"' in page


def test_a_foreign_document_is_404_for_every_page_and_action(manager, outsider, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    client = page_client_for(outsider)
    gets = [
        detail(quote, "quotes"),
        reverse("documents:document_edit", args=["quotes", quote.pk]),
        reverse("documents:document_delete", args=["quotes", quote.pk]),
        reverse("documents:document_lines_xlsx", args=["quotes", quote.pk]),
        reverse("documents:quote_pdf", args=[quote.pk]),
    ]
    posts = [
        (reverse("documents:document_set_status", args=["quotes", quote.pk]), {"status": "sent"}),
        (reverse("documents:document_lines", args=["quotes", quote.pk]), {"remove": "1"}),
        (reverse("documents:document_delete", args=["quotes", quote.pk]), {}),
        (reverse("documents:document_make", args=["quotes", quote.pk, "sales"]), {}),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    # The same id under another type is another document (none here).
    assert client.get(reverse("documents:document_detail", args=["sales", quote.pk])).status_code == 404
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DRAFT and Quote.objects.filter(pk=quote.pk).exists()
    assert not Sale.objects.exists()


def test_a_marketer_sees_the_document_but_no_write_buttons_and_is_refused(manager, marketer, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    client = page_client_for(marketer)

    page = client.get(detail(quote, "quotes")).content.decode()
    listing = client.get(reverse("documents:document_list", args=["quotes"])).content.decode()

    assert quote.number in page and quote.number in listing
    for hidden in (
        "Mark as sent",
        "Make a sale",
        'name="add-product"',
        "/edit/",
        "/delete/",
        "New commercial",
    ):
        assert hidden not in page + listing, hidden
    status = client.post(
        reverse("documents:document_set_status", args=["quotes", quote.pk]), {"status": "sent"}
    )
    lines = client.post(reverse("documents:document_lines", args=["quotes", quote.pk]), {"remove": "1"})
    create = client.get(reverse("documents:document_create", args=["quotes"]))
    assert (status.status_code, lines.status_code, create.status_code) == (403, 403, 403)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DRAFT and quote.lines.count() == 2


def test_the_history_tab_lists_the_changes(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    services.document_set_status(quote, actor=manager, status=QuoteStatus.SENT)
    client = page_client_for(manager)

    page = client.get(detail(quote, "quotes"), {"tab": "history"}).content.decode()
    fragment = client.get(detail(quote, "quotes"), {"tab": "history"}, HTTP_HX_REQUEST="true")

    assert "Sent" in page and "changed" in page
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert 'id="document-tabs"' in fragment.content.decode()


# --- status and posting -----------------------------------------------------------------------------------------


def test_a_status_button_moves_the_document_and_a_wrong_one_is_refused(manager, page_client_for):
    order = services.sales_order_from_deal(deal_with_goods(manager=manager), actor=manager)
    client = page_client_for(manager)
    url = reverse("documents:document_set_status", args=["sales-orders", order.pk])

    refused = client.post(url, {"status": "fulfilled"}, follow=True)
    order.refresh_from_db()
    assert order.status == SalesOrderStatus.DRAFT
    assert "cannot become" in refused.content.decode()

    client.post(url, {"status": "confirmed"})
    order.refresh_from_db()
    assert order.status == SalesOrderStatus.CONFIRMED
    page = client.get(detail(order, "sales-orders")).content.decode()
    assert "Mark as fulfilled" in page and "Back to draft" in page
    # A confirmed order is read-only: no edit, delete or line buttons.
    assert "/edit/" not in page and 'name="add-product"' not in page and "/delete/" not in page
    assert client.get(reverse("documents:document_edit", args=["sales-orders", order.pk])).status_code == 302


def test_posting_and_unposting_a_sale(manager, page_client_for):
    sale = services.sale_from_deal(deal_with_goods(manager=manager), actor=manager)
    client = page_client_for(manager)
    page = client.get(detail(sale, "sales")).content.decode()
    assert reverse("documents:sale_post", args=[sale.pk]) in page
    assert reverse("documents:document_set_status", args=["sales", sale.pk]) not in page

    client.post(reverse("documents:sale_post", args=[sale.pk]))
    sale.refresh_from_db()
    assert sale.status == SaleStatus.POSTED and SalesFact.objects.filter(sale=sale).count() == 2
    page = client.get(detail(sale, "sales")).content.decode()
    assert reverse("documents:sale_unpost", args=[sale.pk]) in page and 'name="add-product"' not in page

    again = client.post(reverse("documents:sale_post", args=[sale.pk]), follow=True)
    assert "posted already" in again.content.decode()

    client.post(reverse("documents:sale_unpost", args=[sale.pk]))
    sale.refresh_from_db()
    assert sale.status == SaleStatus.DRAFT and not SalesFact.objects.filter(sale=sale).exists()
    assert client.get(reverse("documents:sale_post", args=[sale.pk])).status_code == 405


def test_posting_a_sale_without_lines_shows_why(manager, page_client_for):
    sale = services.sale_from_deal(deal_with_goods(manager=manager), actor=manager)
    services.document_set_lines(sale, actor=manager, lines=[])

    response = page_client_for(manager).post(reverse("documents:sale_post", args=[sale.pk]), follow=True)

    assert "Add at least one line first." in response.content.decode()
    sale.refresh_from_db()
    assert sale.status == SaleStatus.DRAFT


# --- made from this ---------------------------------------------------------------------------------------------


def test_the_chain_quote_order_sale_from_the_buttons(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    client = page_client_for(manager)

    response = client.post(reverse("documents:document_make", args=["quotes", quote.pk, "sales-orders"]))
    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url == detail(order, "sales-orders")
    assert order.quote == quote and order.amount_gross == quote.amount_gross

    client.post(reverse("documents:document_make", args=["sales-orders", order.pk, "sales"]))
    sale = Sale.objects.get()
    assert sale.sales_order == order and sale.quote == quote

    sale_page = client.get(detail(sale, "sales")).content.decode()
    quote_page = client.get(detail(quote, "quotes")).content.decode()
    assert detail(order, "sales-orders") in sale_page and detail(quote, "quotes") in sale_page
    assert detail(order, "sales-orders") in quote_page and detail(sale, "sales") in quote_page


def test_nothing_is_made_from_a_rejected_quote_and_no_button_offers_it(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    services.document_set_status(quote, actor=manager, status=QuoteStatus.SENT)
    services.document_set_status(quote, actor=manager, status=QuoteStatus.REJECTED)
    client = page_client_for(manager)

    assert "Make a sale" not in client.get(detail(quote, "quotes")).content.decode()
    response = client.post(
        reverse("documents:document_make", args=["quotes", quote.pk, "sales"]), follow=True
    )

    assert "Nothing can be made" in response.content.decode() and not Sale.objects.exists()


def test_a_supplier_order_from_a_customer_order_asks_for_the_supplier(manager, outsider, page_client_for):
    order = services.sales_order_from_deal(deal_with_goods(manager=manager), actor=manager)
    supplier = PartnerFactory(manager=manager, is_client=False, is_supplier=True, name="Steel Works")
    CounterpartyFactory(partner=supplier)
    PartnerFactory(manager=outsider, is_client=False, is_supplier=True, name="Foreign Supplier")
    client = page_client_for(manager)
    url = reverse("documents:document_make", args=["sales-orders", order.pk, "purchase-orders"])

    form = client.get(url).content.decode()
    assert "Steel Works" in form and "Foreign Supplier" not in form and order.partner.name not in form

    missing = client.post(url, {"supplier": ""})
    assert missing.status_code == 400 and "Choose the supplier." in missing.content.decode()
    assert not PurchaseOrder.objects.exists()

    client.post(url, {"supplier": supplier.pk})
    purchase = PurchaseOrder.objects.get()
    assert purchase.partner == supplier and purchase.sales_order == order
    assert "Make a supplier order" in client.get(detail(order, "sales-orders")).content.decode()


def test_an_impossible_making_is_404(manager, page_client_for):
    sale = services.sale_from_deal(deal_with_goods(manager=manager), actor=manager)

    response = page_client_for(manager).post(
        reverse("documents:document_make", args=["sales", sale.pk, "quotes"])
    )

    assert response.status_code == 404


# --- the header: create, edit, delete ---------------------------------------------------------------------------


def test_creating_a_document_without_a_deal(manager, outsider, page_client_for):
    partner = PartnerFactory(manager=manager, is_client=True)
    counterparty = CounterpartyFactory(partner=partner)
    foreign = CounterpartyFactory(partner=PartnerFactory(manager=outsider))
    client = page_client_for(manager)
    url = reverse("documents:document_create", args=["quotes"])

    form = client.get(url, {"partner": partner.pk}).content.decode()
    assert counterparty.name in form and foreign.name not in form and "Valid until" in form

    data = {
        "date": "2026-03-01",
        "partner": partner.pk,
        "counterparty": counterparty.pk,
        "manager": manager.pk,
        "currency": "RUB",
        "prices_include_vat": "on",
        "valid_until": "2026-02-01",
    }
    bad = client.post(url, data)
    assert bad.status_code == 200 and "cannot expire before its date" in bad.content.decode()
    assert not Quote.objects.exists()

    response = client.post(url, {**data, "valid_until": "2026-03-31"})
    quote = Quote.objects.get()
    assert response.url == detail(quote, "quotes")
    assert (quote.partner, quote.counterparty, quote.deal, quote.number) == (
        partner,
        counterparty,
        None,
        "2026-000001",
    )


def test_a_supplier_order_needs_a_supplier(manager, page_client_for):
    client_partner = PartnerFactory(manager=manager, is_client=True, is_supplier=False)

    response = page_client_for(manager).post(
        reverse("documents:document_create", args=["purchase-orders"]),
        {"date": "2026-03-01", "partner": client_partner.pk, "manager": manager.pk, "currency": "RUB"},
    )

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_editing_a_draft_and_a_contract_of_another_counterparty_is_refused(manager, page_client_for):
    deal = deal_with_goods(manager=manager)
    quote = services.quote_from_deal(deal, actor=manager)
    other = ContractFactory(counterparty=CounterpartyFactory(partner=deal.partner), number="OTHER")
    client = page_client_for(manager)
    url = reverse("documents:document_edit", args=["quotes", quote.pk])
    data = {
        "date": quote.date.isoformat(),
        "partner": deal.partner.pk,
        "counterparty": deal.counterparty.pk,
        "deal": deal.pk,
        "manager": manager.pk,
        "currency": "RUB",
        "prices_include_vat": "on",
        "comment": "Changed",
    }

    bad = client.post(url, {**data, "contract": other.pk})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    quote.refresh_from_db()
    assert quote.contract is None and quote.comment == ""

    good = client.post(url, {**data, "prices_include_vat": ""})
    quote.refresh_from_db()
    assert good.status_code == 302 and quote.comment == "Changed" and not quote.prices_include_vat
    # Prices without VAT now: the VAT is added on top of the same prices.
    assert quote.amount_net == Decimal("351.50") and quote.amount_gross > Decimal("351.50")


def test_deleting_a_draft_after_confirmation(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    client = page_client_for(manager)
    url = reverse("documents:document_delete", args=["quotes", quote.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete “" in confirm.content.decode()
    assert Quote.objects.filter(pk=quote.pk).exists()

    response = client.post(url)
    assert response.url == reverse("documents:document_list", args=["quotes"])
    assert not Quote.objects.filter(pk=quote.pk).exists()


def test_a_document_other_documents_were_made_from_is_not_deleted(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    services.sales_order_from_quote(quote, actor=manager)

    response = page_client_for(manager).post(
        reverse("documents:document_delete", args=["quotes", quote.pk]), follow=True
    )

    assert "delete them first" in response.content.decode()
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_a_posted_sale_is_not_deleted(manager, page_client_for):
    sale = services.sale_from_deal(deal_with_goods(manager=manager), actor=manager)
    services.sale_post(sale, actor=manager)

    response = page_client_for(manager).post(
        reverse("documents:document_delete", args=["sales", sale.pk]), follow=True
    )

    assert "Only a draft can be changed" in response.content.decode()
    assert Sale.objects.filter(pk=sale.pk).exists()


# --- files ------------------------------------------------------------------------------------------------------


def test_the_lines_as_an_excel_file(manager, page_client_for):
    pytest.importorskip("sdelka.documents.exports")
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)

    response = page_client_for(manager).get(
        reverse("documents:document_lines_xlsx", args=["quotes", quote.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="quote-{quote.number}.xlsx"' in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_the_printed_quote_is_a_pdf_shown_inline(manager, page_client_for):
    pytest.importorskip("sdelka.documents.printing")
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)

    response = page_client_for(manager).get(reverse("documents:quote_pdf", args=[quote.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF")
