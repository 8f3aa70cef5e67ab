"""Tables and charts of the analytics reports, and the Excel and CSV files made of the same tables.

A report's figures are turned once into :class:`ReportTable` objects (title, typed columns, rows, totals);
the page shows them under their charts, the Excel workbook and the CSV file write exactly those rows, so the
three can never disagree. A :class:`Chart` is what ``static/analytics/charts.js`` draws from a JSON script
tag (``{{ chart.config|json_script:chart.id }}``); every chart on a page is drawn from a table shown beside it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv"
MONEY_FORMAT = "#,##0.00;[Red]-#,##0.00"
NUMBER_FORMATS = {"int": "0", "money": MONEY_FORMAT, "percent": "0.0", "days": "0.0", "date": "DD.MM.YYYY"}
BOLD = Font(bold=True)

TEXT, INT, MONEY, PERCENT, DAYS, DATE, MONTH = "text", "int", "money", "percent", "days", "date", "month"
#: a number shown as it is (a column mixing counts and percentages)
NUMBER = "number"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    #: how the value is shown and written: text, int, money, percent, days, number, date or month
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (INT, MONEY, PERCENT, DAYS, NUMBER)


@dataclass
class ReportTable:
    key: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    totals: list | None = None
    #: what an empty table says
    empty: str = ""

    def cells(self) -> list[list[tuple[Column, object]]]:
        """The rows paired with their columns, for templates."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    def total_cells(self) -> list[tuple[Column, object]] | None:
        return list(zip(self.columns, self.totals, strict=True)) if self.totals is not None else None


@dataclass
class Chart:
    """A bar or line chart over ``labels``; each dataset is ``{"label", "data"}`` plus optional
    ``"type"`` (a line over bars) and ``"stack"``. ``unit`` tells the script how to format the values."""

    id: str
    title: str
    type: str
    labels: list[str]
    datasets: list[dict]
    unit: str = INT
    horizontal: bool = False
    stacked: bool = False
    #: the id of the table the chart's numbers are in
    table: str = ""

    @property
    def data_id(self) -> str:
        """The id of the JSON script tag the canvas reads."""
        return f"{self.id}-data"

    @property
    def height(self) -> int:
        """Pixels: a horizontal chart grows with its bars, so long lists of names stay readable."""
        if self.horizontal:
            bars = 1 if self.stacked else len(self.datasets)
            return max(160, 50 + len(self.labels) * (14 + 12 * bars))
        return 280

    @property
    def config(self) -> dict:
        datasets = [
            {**dataset, "data": [None if value is None else float(value) for value in dataset["data"]]}
            for dataset in self.datasets
        ]
        return {
            "type": self.type,
            "title": self.title,
            "labels": [str(label) for label in self.labels],
            "datasets": datasets,
            "unit": self.unit,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
        }


def month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _plain(value):
    """A value as a spreadsheet keeps it: numbers as numbers, dates as dates, anything else as text."""
    if value is None or isinstance(value, int | float | Decimal | date | datetime):
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        return value
    return str(value)


def tables_xlsx(*, title: str, filters: list[str], tables: list[ReportTable]) -> bytes:
    """One sheet: the title, the filters, then every table under its own heading, with numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Filters: %(filters)s") % {"filters": "; ".join(filters) if filters else _("none")}])
    sheet.append(
        [
            _("Made on %(when)s.")
            % {"when": formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")}
        ]
    )
    widths: dict[int, int] = {}
    for table in tables:
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([column.label for column in table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        body = [*table.rows, *([table.totals] if table.totals is not None else [])]
        for index, row in enumerate(body):
            sheet.append([_plain(value) for value in row])
            line = sheet.max_row
            for number, column in enumerate(table.columns, start=1):
                if column.kind in NUMBER_FORMATS:
                    sheet.cell(row=line, column=number).number_format = NUMBER_FORMATS[column.kind]
                if column.kind == MONTH:
                    sheet.cell(row=line, column=number).number_format = "MMMM YYYY"
            if table.totals is not None and index == len(body) - 1:
                for cell in sheet[line]:
                    cell.font = BOLD
        for number, column in enumerate(table.columns, start=1):
            wide = 34 if column.kind == TEXT else 14
            widths[number] = max(widths.get(number, 0), wide)
    for number, width in widths.items():
        sheet.column_dimensions[get_column_letter(number)].width = width
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _csv_value(value, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == MONEY and isinstance(value, int | float | Decimal):
        return f"{Decimal(value):.2f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def tables_csv(tables: list[ReportTable]) -> str:
    """Every table as a block: its title on a line, the header, the rows (and totals), a blank line between.

    Numbers are written with a decimal point and dates as ``YYYY-MM-DD``, the way programs read them.
    """
    output = StringIO()
    writer = csv.writer(output, lineterminator="\n")
    for number, table in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([column.label for column in table.columns])
        for row in [*table.rows, *([table.totals] if table.totals is not None else [])]:
            writer.writerow(
                [_csv_value(value, column) for value, column in zip(row, table.columns, strict=True)]
            )
    return output.getvalue()
