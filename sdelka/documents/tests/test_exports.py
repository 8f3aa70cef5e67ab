"""Excel export of a document's lines: ``sdelka.documents.exports.document_lines_xlsx``."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.documents import services
from sdelka.documents.exports import MONEY_FORMAT, QUANTITY_FORMAT, document_lines_xlsx
from sdelka.documents.models import PurchaseOrder, Quote, Sale, SalesOrder
from sdelka.documents.tests.factories import deal_with_goods
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HEADINGS = [
    "No.",
    "SKU",
    "Product",
    "Unit",
    "Quantity",
    "Price",
    "Discount, %",
    "Discount",
    "VAT rate",
    "Amount without VAT",
    "VAT",
    "Total",
]


def _quote(manager):
    deal = deal_with_goods(manager=manager, lines=(("1200.00", "2.5"), ("99.99", "3")))
    quote = services.quote_from_deal(deal, actor=manager)
    first, second = quote.lines.order_by("id")
    return services.document_set_lines(
        quote,
        actor=manager,
        lines=[
            {"product": first.product, "quantity": first.quantity, "price": first.price},
            {
                "product": second.product,
                "quantity": second.quantity,
                "price": second.price,
                "discount_percent": Decimal("7.5"),
            },
        ],
    )


def _sales_order(manager):
    return services.sales_order_from_quote(_quote(manager), actor=manager)


def _sale(manager):
    return services.sale_from_sales_order(_sales_order(manager), actor=manager)


def _purchase_order(manager):
    deal = deal_with_goods(manager=manager)
    supplier = PartnerFactory(name="Поставщик", manager=manager, is_client=False, is_supplier=True)
    CounterpartyFactory(partner=supplier, name="АО «Поставщик»")
    return services.purchase_order_from_deal(deal, actor=manager, supplier=supplier)


MAKERS = {Quote: _quote, SalesOrder: _sales_order, Sale: _sale, PurchaseOrder: _purchase_order}


def _open(document):
    workbook = load_workbook(io.BytesIO(document_lines_xlsx(document)))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def _find_row(sheet, first_value) -> int:
    for row in sheet.iter_rows():
        if row[0].value == first_value:
            return row[0].row
    raise AssertionError(f"no row starts with {first_value!r}")


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.mark.parametrize("model", MAKERS)
def test_the_lines_and_totals_are_the_documents(model, manager):
    document = MAKERS[model](manager)
    assert isinstance(document, model)
    lines = list(document.lines.select_related("product").order_by("id"))

    sheet = _open(document)

    assert sheet.title == document.number
    heading_row = _find_row(sheet, "No.")
    assert [cell.value for cell in sheet[heading_row]] == HEADINGS
    rows = list(sheet.iter_rows(min_row=heading_row + 1, max_row=heading_row + len(lines), values_only=True))
    assert [
        (number, sku, name, Decimal(str(quantity)), _money(price), _money(discount), _money(gross))
        for number, sku, name, _unit, quantity, price, _pct, discount, _rate, _net, _vat, gross in rows
    ] == [
        (
            index,
            line.product.sku,
            line.product.name,
            line.quantity,
            line.price,
            line.amount_discount,
            line.amount_gross,
        )
        for index, line in enumerate(lines, start=1)
    ]
    totals = [cell.value for cell in sheet[heading_row + len(lines) + 1]]
    assert totals[2] == "Total"
    assert [_money(value) for value in totals[9:12]] == [
        document.amount_net,
        document.amount_vat,
        document.amount_gross,
    ]
    assert sum(_money(row[11]) for row in rows) == document.amount_gross


def test_the_header_names_the_document_and_its_parties(manager):
    document = _purchase_order(manager)

    sheet = _open(document)

    header = {row[0]: row[2] for row in sheet.iter_rows(min_row=3, max_row=8, values_only=True)}
    assert header["Document"] == "Supplier order"
    assert header["Number"] == document.number
    assert header["Date"].date() == document.date
    assert header["Supplier"] == "Поставщик"
    assert header["Counterparty"] == "АО «Поставщик»"
    assert header["Currency"] == "RUB"


def test_numbers_are_numbers_with_their_formats_and_the_columns_have_widths(manager):
    document = _quote(manager)

    sheet = _open(document)

    first_line = _find_row(sheet, "No.") + 1
    quantity, price, discount, gross = (sheet.cell(row=first_line, column=c) for c in (5, 6, 8, 12))
    assert quantity.value == 2.5 and quantity.number_format == QUANTITY_FORMAT
    assert price.value == 1200 and price.number_format == MONEY_FORMAT
    assert discount.number_format == MONEY_FORMAT and gross.number_format == MONEY_FORMAT
    assert sheet.cell(row=first_line + 2, column=12).number_format == MONEY_FORMAT  # the total
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width > 0


@pytest.mark.parametrize(("language", "date_format"), [("ru", "DD.MM.YYYY"), ("en", "YYYY-MM-DD")])
def test_the_date_is_a_date_shown_as_the_language_writes_it(manager, language, date_format):
    from django.utils import translation

    document = _quote(manager)
    with translation.override(language):
        sheet = _open(document)

    date_cell = next(row[2] for row in sheet.iter_rows(min_row=3, max_row=8) if row[2].is_date)
    assert date_cell.value.date() == document.date
    assert date_cell.number_format == date_format


def test_exporting_costs_the_same_queries_for_two_lines_and_for_thirty(manager):
    small = _quote(manager)
    products = [ProductFactory(price=Decimal("10.00")) for _ in range(30)]
    large = services.document_create(
        Quote,
        actor=manager,
        data={"partner": small.partner, "counterparty": small.counterparty},
        lines=[
            {"product": product, "quantity": Decimal("1"), "price": product.price} for product in products
        ],
    )

    counts = []
    for document in (small, large):
        fresh = Quote.objects.get(pk=document.pk)
        with CaptureQueriesContext(connection) as captured:
            document_lines_xlsx(fresh)
        counts.append(len(captured))

    assert counts[0] == counts[1] <= 3
