"""A classification report as CSV or as an Excel workbook: every row of the period, not a page."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sdelka.analytics.choices import Criterion, PeriodType, Stage, Subject
from sdelka.analytics.selectors.classification_reports import ClassificationReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv"
COLUMNS = ("subject_id", "name", "value", "share", "cumulative_share", "abc", "cv", "xyz", "stage", "cell")


def classification_filename(report: ClassificationReport, extension: str) -> str:
    return (
        f"classification-{report.subject}-{report.criterion}-{report.period.type}-"
        f"{report.period.start:%Y-%m-%d}.{extension}"
    )


def _headers() -> list[str]:
    return [
        _("Id"),
        _("Name"),
        _("Value"),
        _("Share, %"),
        _("Cumulative share, %"),
        _("ABC"),
        _("Variation coefficient, %"),
        _("XYZ"),
        _("Relationship stage"),
        _("Cell"),
    ]


def _values(row) -> list:
    def rounded(number):
        return None if number is None else round(number, 2)

    return [
        row.subject_id,
        row.name,
        row.value,
        rounded(row.share),
        rounded(row.cumulative_share),
        row.abc,
        rounded(row.cv),
        row.xyz,
        str(Stage(row.stage).label) if row.stage else "",
        row.cell,
    ]


def classification_csv(report: ClassificationReport, *, codes: bool = False) -> str:
    """CSV with a header row; ``codes`` writes the API's column names and stage codes (for programs)."""
    output = StringIO()
    writer = csv.writer(output)
    writer.writerow(COLUMNS if codes else _headers())
    for row in report.rows:
        values = _values(row)
        if codes:
            values[8] = row.stage
        writer.writerow(["" if value is None else value for value in values])
    return output.getvalue()


def classification_xlsx(report: ClassificationReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Classification")[:31]
    sheet.append(
        [
            _("ABC/XYZ classification: %(subject)s by %(criterion)s, %(period_type)s %(period)s")
            % {
                "subject": Subject(report.subject).label.lower(),
                "criterion": Criterion(report.criterion).label.lower(),
                "period_type": PeriodType(report.period.type).label.lower(),
                "period": report.period.label(),
            }
        ]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(_headers())
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    header_row = sheet.max_row
    for row in report.rows:
        sheet.append(_values(row))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for letter, width in zip("ABCDEFGHIJ", (10, 40, 16, 10, 12, 6, 12, 6, 16, 6), strict=True):
        sheet.column_dimensions[letter].width = width
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def classification_dynamics_xlsx(periods, rows) -> bytes:
    """The class dynamics as a workbook: a subject a row, its ABC/XYZ class in each period a column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Class dynamics")[:31]
    sheet.append([_("Class dynamics")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([_("Id"), _("Name"), *[period.label() for period in periods], _("Dropped from A")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        classes = [f"{found.abc}{found.xyz}" if found is not None else "" for found in row.classes]
        sheet.append([row.subject_id, row.name, *classes, _("yes") if row.dropped_from_a else ""])
    sheet.column_dimensions["B"].width = 40
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
