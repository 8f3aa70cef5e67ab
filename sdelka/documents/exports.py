"""Excel exports of documents: the lines of a quote, customer order, sale or supplier order (openpyxl).

Cells hold numbers and dates, not text, so the workbook can be summed and sorted; their number formats
show quantities with 3 decimals and money with 2. Labels are in the active language (the page's).
The totals row repeats the document's stored totals, which are the sums of its rounded lines.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sdelka.documents.choices import DocumentType
from sdelka.documents.models import Document
from sdelka.documents.selectors import document_lines

__all__ = ["MONEY_FORMAT", "PERCENT_FORMAT", "QUANTITY_FORMAT", "document_lines_xlsx"]

QUANTITY_FORMAT = "#,##0.000"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
#: Excel's sheet names are at most 31 characters
SHEET_NAME_LENGTH = 31

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _columns() -> list[tuple[str, int, str | None]]:
    """(heading, width in characters, number format) of each column of the lines table."""
    return [
        (_("No."), 5, None),
        (_("SKU"), 14, None),
        (_("Product"), 44, None),
        (_("Unit"), 8, None),
        (_("Quantity"), 12, QUANTITY_FORMAT),
        (_("Price"), 14, MONEY_FORMAT),
        (_("Discount, %"), 11, PERCENT_FORMAT),
        (_("Discount"), 13, MONEY_FORMAT),
        (_("VAT rate"), 11, None),
        (_("Amount without VAT"), 16, MONEY_FORMAT),
        (_("VAT"), 13, MONEY_FORMAT),
        (_("Total"), 16, MONEY_FORMAT),
    ]


def _date_format() -> str:
    return "DD.MM.YYYY" if translation.get_language() == "ru" else "YYYY-MM-DD"


def _header(document: Document) -> list[tuple[str, object, str | None]]:
    """(label, value, number format) of the rows above the table."""
    partner_label = _("Supplier") if document.document_type == DocumentType.PURCHASE_ORDER else _("Client")
    counterparty = document.counterparty
    return [
        (_("Document"), str(DocumentType(document.document_type).label), None),
        (_("Number"), document.number, None),
        (_("Date"), document.date, _date_format()),
        (partner_label, document.partner.name, None),
        (_("Counterparty"), (counterparty.full_name or counterparty.name) if counterparty else "", None),
        (_("Currency"), document.currency, None),
    ]


def document_lines_xlsx(document: Document) -> bytes:
    """The document's header and lines as an .xlsx workbook of one sheet named after the document number.

    Works for every document type (``DOCUMENT_MODELS``). Costs one query for the lines (with products)
    plus the header's relations when the document was not read with them.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = document.number[:SHEET_NAME_LENGTH]

    sheet.cell(row=1, column=1, value=str(document)).font = TITLE
    row = 3
    for label, value, number_format in _header(document):
        sheet.cell(row=row, column=1, value=label).font = BOLD
        cell = sheet.cell(row=row, column=3, value=value)
        if number_format:
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="left")
        row += 1

    row += 1
    columns = _columns()
    header_row = row
    for index, (heading, width, _format) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=heading)
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width

    for number, line in enumerate(document_lines(document), start=1):
        row += 1
        values = [
            number,
            line.product.sku,
            line.product.name,
            line.product.get_unit_display(),
            line.quantity,
            line.price,
            line.discount_percent,
            line.amount_discount,
            line.get_vat_rate_display(),
            line.amount_net,
            line.amount_vat,
            line.amount_gross,
        ]
        for index, (value, (_heading, _width, number_format)) in enumerate(
            zip(values, columns, strict=True), start=1
        ):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.border = BOX
            if number_format:
                cell.number_format = number_format
            elif index == 3:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    row += 1
    sheet.cell(row=row, column=3, value=_("Total")).font = BOLD
    for index, value in ((10, document.amount_net), (11, document.amount_vat), (12, document.amount_gross)):
        cell = sheet.cell(row=row, column=index, value=value)
        cell.font, cell.border, cell.number_format = BOLD, BOX, MONEY_FORMAT

    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0

    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
