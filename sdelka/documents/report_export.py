"""The deal financial results report as an Excel workbook: a title, the filters, the rows and their totals.

Amounts are written as numbers with a number format (not as text), so the sheet can be summed and sorted
in Excel; the totals row carries the database's totals, the same figures the page shows.
"""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sdelka.documents.reports import MONEY_COLUMNS, DealFinancialReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
BOLD = Font(bold=True)


def money_headers() -> dict[str, str]:
    return {
        "revenue": _("Revenue"),
        "cost": _("Cost of goods sold"),
        "gross_profit": _("Gross profit"),
        "expenses": _("Expenses"),
        "result": _("Financial result"),
    }


def deal_financial_results_filename() -> str:
    return f"deal-financial-results-{timezone.localdate():%Y-%m-%d}.xlsx"


def deal_financial_results_xlsx(report: DealFinancialReport, *, filters_summary: list[str]) -> bytes:
    """The whole report (every row, not a page) as the bytes of an .xlsx file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Financial results")[:31]
    currency = settings.SDELKA_BASE_CURRENCY
    sheet.append([_("Deal financial results")])
    sheet["A1"].font = Font(bold=True, size=14)
    filters_text = "; ".join(filters_summary) if filters_summary else _("none")
    sheet.append([_("Filters: %(filters)s") % {"filters": filters_text}])
    sheet.append(
        [
            _("Amounts in %(currency)s without VAT. Made on %(when)s.")
            % {
                "currency": currency,
                "when": formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
            }
        ]
    )
    sheet.append([])
    headers = [
        _("Number"),
        _("Deal"),
        _("Client"),
        _("Manager"),
        _("Deal kind"),
        _("Status"),
        _("Start date"),
        _("Actual close date"),
        *money_headers().values(),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    first_money_column = len(headers) - len(MONEY_COLUMNS) + 1

    for deal in report.deals.iterator(chunk_size=2000):
        status = deal.get_status_display()
        if deal.closed:
            status = _("%(status)s, closed") % {"status": status}
        sheet.append(
            [
                deal.number,
                deal.name,
                deal.partner.name,
                str(deal.manager),
                deal.kind.name,
                status,
                deal.start_date,
                deal.actual_close_date,
                *(getattr(deal, annotation) for annotation in MONEY_COLUMNS.values()),
            ]
        )
        row = sheet.max_row
        for column in (7, 8):
            sheet.cell(row=row, column=column).number_format = DATE_FORMAT
        for column in range(first_money_column, len(headers) + 1):
            sheet.cell(row=row, column=column).number_format = MONEY_FORMAT

    sheet.append([_("Total"), *[None] * (first_money_column - 2), *report.totals.values()])
    total_row = sheet.max_row
    for cell in sheet[total_row]:
        cell.font = BOLD
    for column in range(first_money_column, len(headers) + 1):
        sheet.cell(row=total_row, column=column).number_format = MONEY_FORMAT

    widths = [14, 36, 30, 22, 20, 18, 12, 12] + [16] * len(MONEY_COLUMNS)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{max(total_row - 1, header_row)}"

    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
