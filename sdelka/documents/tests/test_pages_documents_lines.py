"""The lines of a draft, edited in place on its page: add, change, remove; bad input keeps the lines as they were."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.documents import services
from sdelka.documents.tests.factories import deal_with_goods

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def lines_of(document):
    return [
        (line.product_id, line.quantity, line.price, line.discount_percent, line.vat_rate)
        for line in document.lines.order_by("id")
    ]


def lines_url(document, slug="quotes"):
    return reverse("documents:document_lines", args=[slug, document.pk])


def test_adding_a_line_takes_the_products_price_and_vat_rate(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    product = ProductFactory(name="Pump X", price=Decimal("1200.00"), vat_rate="10")

    response = page_client_for(manager).post(
        lines_url(quote), {"add-product": product.pk, "add-quantity": "2", "add-price": ""}, **HTMX
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and 'id="document-lines"' in page and "Pump X" in page
    assert "The line is added." in page
    quote.refresh_from_db()
    added = quote.lines.order_by("id").last()
    assert (added.product, added.quantity, added.price, added.vat_rate) == (
        product,
        Decimal("2"),
        Decimal("1200.00"),
        "10",
    )
    assert quote.amount_gross == Decimal("351.50") + Decimal("2400.00")
    assert "2,751.50" in page  # the new total, in the fragment


def test_the_default_price_of_a_supplier_order_is_the_cost_price(manager, page_client_for):
    from sdelka.partners.tests.factories import PartnerFactory

    deal = deal_with_goods(manager=manager)
    supplier = PartnerFactory(manager=manager, is_client=False, is_supplier=True)
    purchase = services.purchase_order_from_deal(deal, actor=manager, supplier=supplier)
    product = ProductFactory(price=Decimal("1200.00"), cost_price=Decimal("800.00"), vat_rate="20")

    page_client_for(manager).post(
        lines_url(purchase, "purchase-orders"), {"add-product": product.pk, "add-quantity": "1"}
    )

    assert purchase.lines.order_by("id").last().price == Decimal("800.00")


def test_changing_a_line_in_place(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    first, second = quote.lines.order_by("id")
    client = page_client_for(manager)

    form = client.get(lines_url(quote), {"edit": first.pk}, **HTMX).content.decode()
    assert 'name="edit-quantity"' in form and 'form="line-form-edit"' in form
    assert 'value="100.00"' in form

    response = client.post(
        lines_url(quote),
        {
            "line": first.pk,
            "edit-product": first.product_id,
            "edit-quantity": "5",
            "edit-price": "90",
            "edit-discount_percent": "10",
            "edit-vat_rate": "22",
        },
        **HTMX,
    )

    assert response.status_code == 200 and "The line is saved." in response.content.decode()
    assert lines_of(quote) == [
        (first.product_id, Decimal("5"), Decimal("90"), Decimal("10"), "22"),
        (second.product_id, second.quantity, second.price, second.discount_percent, second.vat_rate),
    ]
    quote.refresh_from_db()
    assert quote.amount_gross == Decimal("405.00") + Decimal("151.50")


def test_without_htmx_the_page_opens_the_line_and_saving_redirects(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    first = quote.lines.order_by("id").first()
    client = page_client_for(manager)
    detail_url = reverse("documents:document_detail", args=["quotes", quote.pk])

    page = client.get(detail_url, {"edit": first.pk}).content.decode()
    assert 'name="edit-quantity"' in page

    response = client.post(
        lines_url(quote),
        {"line": first.pk, "edit-product": first.product_id, "edit-quantity": "7", "edit-price": "100"},
    )

    assert response.status_code == 302 and response.url == detail_url
    assert quote.lines.order_by("id").first().quantity == Decimal("7")


def test_removing_a_line(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    first, second = quote.lines.order_by("id")

    response = page_client_for(manager).post(lines_url(quote), {"remove": first.pk}, **HTMX)

    assert response.status_code == 200 and "The line is removed." in response.content.decode()
    assert [line.product_id for line in quote.lines.all()] == [second.product_id]
    quote.refresh_from_db()
    assert quote.amount_gross == Decimal("151.50")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"edit-quantity": "0", "edit-price": "10"}, "the quantity cannot be zero"),
        ({"edit-quantity": "-1", "edit-price": "10"}, "only a sale may return goods"),
        ({"edit-quantity": "abc", "edit-price": "10"}, "Enter a number."),
        ({"edit-quantity": "1", "edit-price": "-5"}, "greater than or equal to 0"),
        (
            {"edit-quantity": "1", "edit-price": "10", "edit-discount_percent": "150"},
            "less than or equal to 100",
        ),
        ({"edit-quantity": "1", "edit-price": "10", "edit-vat_rate": "99"}, "Select a valid choice"),
    ],
)
def test_a_wrong_line_is_refused_next_to_it_and_nothing_changes(manager, page_client_for, data, message):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    first = quote.lines.order_by("id").first()
    before = lines_of(quote)

    response = page_client_for(manager).post(
        lines_url(quote), {"line": first.pk, "edit-product": first.product_id, **data}, **HTMX
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # The message is on the line being edited, whose inputs keep what was typed.
    assert page.index('class="line-editing"') < page.index(message)
    assert lines_of(quote) == before
    quote.refresh_from_db()
    assert quote.amount_gross == Decimal("351.50")


def test_a_wrong_new_line_keeps_the_add_form_with_its_message(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    before = lines_of(quote)

    response = page_client_for(manager).post(lines_url(quote), {"add-product": "", "add-quantity": "1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "<html" in page and "This field is required." in page  # the whole page, without htmx
    assert lines_of(quote) == before


def test_a_stale_line_is_reported(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    before = lines_of(quote)

    response = page_client_for(manager).post(lines_url(quote), {"remove": "999999"}, **HTMX)

    assert response.status_code == 400 and "The line was not found" in response.content.decode()
    assert lines_of(quote) == before


def test_the_lines_of_a_document_that_is_not_a_draft_cannot_change(manager, page_client_for):
    quote = services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)
    services.document_set_status(quote, actor=manager, status="sent")
    first = quote.lines.order_by("id").first()
    before = lines_of(quote)
    client = page_client_for(manager)

    page = client.get(reverse("documents:document_detail", args=["quotes", quote.pk])).content.decode()
    response = client.post(lines_url(quote), {"remove": first.pk}, **HTMX)

    assert 'name="add-product"' not in page and "Only a draft can be changed." in page
    assert response.status_code == 400 and "Only a draft can be changed" in response.content.decode()
    assert lines_of(quote) == before


def test_a_sale_may_return_goods_with_a_negative_quantity(manager, page_client_for):
    sale = services.sale_from_deal(deal_with_goods(manager=manager), actor=manager)
    product = ProductFactory(price=Decimal("100.00"), vat_rate="22")

    page_client_for(manager).post(
        lines_url(sale, "sales"), {"add-product": product.pk, "add-quantity": "-1", "add-price": "100"}
    )

    sale.refresh_from_db()
    assert sale.amount_gross == Decimal("351.50") - Decimal("100.00")
