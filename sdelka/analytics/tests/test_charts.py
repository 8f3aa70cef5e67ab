"""The chart and table helpers every analytics report shares: chart data for the script, CSV and Excel."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from io import BytesIO, StringIO

from openpyxl import load_workbook

from sdelka.analytics.charts import (
    MONEY,
    MONEY_FORMAT,
    MONTH,
    PERCENT,
    Chart,
    Column,
    ReportTable,
    tables_csv,
    tables_xlsx,
)

TABLE = ReportTable(
    key="months",
    title="By month",
    columns=[
        Column("month", "Month", MONTH),
        Column("revenue", "Revenue", MONEY),
        Column("share", "Share", PERCENT),
    ],
    rows=[
        [datetime.date(2026, 1, 1), Decimal("10.5"), None],
        [datetime.date(2026, 2, 1), Decimal("0.00"), Decimal("12.5")],
    ],
    totals=["Total", Decimal("10.5"), None],
)


def test_a_chart_hands_the_script_numbers_and_keeps_gaps():
    chart = Chart(
        id="chart-x",
        title="X",
        type="bar",
        labels=["a", "b"],
        datasets=[{"label": "Revenue", "data": [Decimal("1.25"), None], "color": "#000"}],
        unit=MONEY,
    )
    assert chart.config == {
        "type": "bar",
        "title": "X",
        "labels": ["a", "b"],
        "datasets": [{"label": "Revenue", "data": [1.25, None], "color": "#000"}],
        "unit": "money",
        "horizontal": False,
        "stacked": False,
    }
    assert chart.data_id == "chart-x-data"


def test_a_horizontal_chart_grows_with_its_bars():
    def height(labels: int) -> int:
        return Chart(
            id="c",
            title="",
            type="bar",
            labels=["x"] * labels,
            datasets=[{"label": "", "data": []}],
            horizontal=True,
        ).height

    assert height(30) > height(10) >= 160


def test_csv_writes_each_table_as_a_block_with_plain_numbers_and_dates():
    second = ReportTable(key="b", title="Second", columns=[Column("name", "Name")], rows=[["Ivanov"]])
    rows = list(csv.reader(StringIO(tables_csv([TABLE, second]))))
    assert rows == [
        ["By month"],
        ["Month", "Revenue", "Share"],
        ["2026-01-01", "10.50", ""],
        ["2026-02-01", "0.00", "12.5"],
        ["Total", "10.50", ""],
        [],
        ["Second"],
        ["Name"],
        ["Ivanov"],
    ]


def test_excel_keeps_numbers_as_numbers_with_their_format():
    sheet = load_workbook(
        BytesIO(tables_xlsx(title="Report", filters=["Period: all"], tables=[TABLE]))
    ).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Report" and values[1][0] == "Filters: Period: all"
    header = values.index(("Month", "Revenue", "Share"))
    assert values[header + 1][:2] == (datetime.datetime(2026, 1, 1), 10.5)
    assert values[header + 3] == ("Total", 10.5, None)
    assert sheet.cell(row=header + 2, column=2).number_format == MONEY_FORMAT
