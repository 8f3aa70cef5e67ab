"""The marketing reports as Excel workbooks: a title, the period, the rows and the totals.

Figures are written as numbers with a number format (not as text), so the sheet can be summed in Excel.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sdelka.marketing.reports import EventRow, InterestReport, source_type_label

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD.MM.YYYY"
BOLD = Font(bold=True)


def filename(name: str) -> str:
    return f"{name}-{timezone.localdate():%Y-%m-%d}.xlsx"


def _workbook(title: str, *, date_from: date, date_to: date, headers: Sequence[str]):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("Period: %(from)s – %(to)s. Amounts in %(currency)s without VAT.")
            % {
                "from": formats.date_format(date_from, "SHORT_DATE_FORMAT"),
                "to": formats.date_format(date_to, "SHORT_DATE_FORMAT"),
                "currency": settings.SDELKA_BASE_CURRENCY,
            }
        ]
    )
    sheet.append([])
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    return workbook, sheet


def _formats(sheet, row: int, columns: dict[int, str]) -> None:
    for column, number_format in columns.items():
        sheet.cell(row=row, column=column).number_format = number_format


def _finish(workbook, sheet, widths: Sequence[int]) -> bytes:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=5, column=1)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def primary_interest_xlsx(report: InterestReport) -> bytes:
    headers = [
        _("Channel"),
        _("Source type"),
        _("Source"),
        _("New partners"),
        _("Deals"),
        _("Won"),
        _("Conversion"),
        _("Revenue"),
        _("Gross profit"),
        _("Revenue per new client"),
    ]
    workbook, sheet = _workbook(
        _("Primary interest analysis"), date_from=report.date_from, date_to=report.date_to, headers=headers
    )
    number_formats = {7: PERCENT_FORMAT, 8: MONEY_FORMAT, 9: MONEY_FORMAT, 10: MONEY_FORMAT}
    for row in [*report.rows, report.total]:
        is_total = row is report.total
        sheet.append(
            [
                _("Total") if is_total else (row.channel_name or _("No primary interest")),
                "" if is_total else source_type_label(row.key.source_type),
                "" if is_total else row.source_label,
                row.new_partners,
                row.deals,
                row.won,
                row.conversion,
                row.revenue,
                row.gross_profit,
                row.revenue_per_client,
            ]
        )
        _formats(sheet, sheet.max_row, number_formats)
        if is_total:
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
    return _finish(workbook, sheet, [30, 18, 30, 12, 10, 10, 12, 16, 16, 16])


def event_effectiveness_xlsx(rows: list[EventRow], *, date_from: date, date_to: date) -> bytes:
    headers = [
        _("Event"),
        _("Kind"),
        _("Start date"),
        _("End date"),
        _("Participants"),
        _("Attended"),
        _("Deals started"),
        _("Won"),
        _("Revenue"),
        _("Gross profit"),
        _("Expenses"),
        _("New clients"),
        _("Cost per new client"),
        _("ROI"),
    ]
    workbook, sheet = _workbook(
        _("Marketing event effectiveness"), date_from=date_from, date_to=date_to, headers=headers
    )
    number_formats = {
        3: DATE_FORMAT,
        4: DATE_FORMAT,
        9: MONEY_FORMAT,
        10: MONEY_FORMAT,
        11: MONEY_FORMAT,
        13: MONEY_FORMAT,
        14: PERCENT_FORMAT,
    }
    for row in rows:
        sheet.append(
            [
                row.event.name,
                row.event.get_kind_display(),
                row.event.start_date,
                row.event.end_date,
                row.participants,
                row.attended,
                row.deals,
                row.won,
                row.revenue,
                row.gross_profit,
                row.expenses,
                row.new_clients,
                row.cost_per_new_client,
                row.roi,
            ]
        )
        _formats(sheet, sheet.max_row, number_formats)
    return _finish(workbook, sheet, [34, 20, 12, 12, 12, 10, 12, 8, 16, 16, 16, 12, 16, 10])
