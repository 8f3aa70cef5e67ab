"""The funnel, the manager screen and the KPI dashboard as tables and charts (see ``charts``).

Each report gives its tables (the page, Excel and CSV show them) and its charts (drawn from the same rows).
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sdelka.analytics.charts import (
    DATE,
    DAYS,
    INT,
    MONEY,
    MONTH,
    NUMBER,
    PERCENT,
    Chart,
    Column,
    ReportTable,
    month_label,
)
from sdelka.analytics.selectors.dashboard import Dashboard
from sdelka.analytics.selectors.funnel import FunnelReport
from sdelka.analytics.selectors.managers import ManagerReport, ManagerRow

# The colours of the outcomes, the same as the status badges of deals.
WON, LOST, IN_PROGRESS = "#12a150", "#d64545", "#2f6fde"


def _money_label(label: str, currency: str) -> str:
    return f"{label}, {currency}"


# --- the funnel --------------------------------------------------------------------------------------------


def funnel_tables(report: FunnelReport) -> list[ReportTable]:
    currency = report.currency
    stages = ReportTable(
        key="stages",
        title=_("Funnel by stage"),
        columns=[
            Column("stage", _("Stage")),
            Column("probability", _("Probability, %"), INT),
            Column("reached", _("Deals reached"), INT),
            Column("conversion", _("From the previous stage, %"), PERCENT),
            Column("conversion_from_start", _("From the first stage, %"), PERCENT),
            Column("average_days", _("Days in stage, average"), DAYS),
            Column("in_progress", _("In progress now"), INT),
            Column("amount", _money_label(_("Pipeline"), currency), MONEY),
            Column("weighted_amount", _money_label(_("Weighted pipeline"), currency), MONEY),
        ],
        rows=[
            [
                stage.name,
                stage.probability,
                stage.reached,
                stage.conversion,
                stage.conversion_from_start,
                stage.average_days,
                stage.in_progress,
                stage.amount,
                stage.weighted_amount,
            ]
            for stage in report.stages
        ],
        totals=[
            _("Total"),
            None,
            report.deals,
            None,
            None,
            None,
            report.in_progress,
            report.pipeline_amount,
            report.weighted_amount,
        ],
        empty=_("The deal kind has no stages."),
    )
    outcome = ReportTable(
        key="outcome",
        title=_("Outcome"),
        columns=[Column("figure", _("Figure")), Column("value", _("Value"), NUMBER)],
        rows=[
            [_("Deals started in the period"), report.deals],
            [_("In progress"), report.in_progress],
            [pgettext("deals", "Won"), report.won],
            [pgettext("deals", "Lost"), report.lost],
            [_("Win rate (won of won and lost), %"), report.win_rate],
            [_("Conversion to won (of all started), %"), report.conversion_to_won],
        ],
    )
    reasons = ReportTable(
        key="lost_reasons",
        title=_("Lost reasons"),
        columns=[
            Column("reason", _("Lost reason")),
            Column("deals", _("Deals"), INT),
            Column("share", _("Share, %"), PERCENT),
        ],
        rows=[[row.name, row.deals, row.share] for row in report.lost_reasons],
        empty=_("No deals were lost."),
    )
    pipeline = ReportTable(
        key="pipeline",
        title=_("Pipeline by currency"),
        columns=[
            Column("stage", _("Stage")),
            Column("currency", _("Currency")),
            Column("deals", _("Deals"), INT),
            Column("amount", _("Amount"), MONEY),
            Column("weighted_amount", _("Weighted amount"), MONEY),
        ],
        rows=[
            [row.stage, row.currency, row.deals, row.amount, row.weighted_amount] for row in report.pipeline
        ],
        empty=_("No deals in progress."),
    )
    return [stages, outcome, reasons, pipeline]


def funnel_charts(report: FunnelReport) -> list[Chart]:
    names = [stage.name for stage in report.stages]
    return [
        Chart(
            id="chart-funnel",
            title=_("Deals reached each stage"),
            type="bar",
            labels=[*names, pgettext("deals", "Won")],
            datasets=[
                {"label": _("Deals"), "data": [stage.reached for stage in report.stages] + [report.won]}
            ],
            horizontal=True,
            table="table-stages",
        ),
        Chart(
            id="chart-pipeline",
            title=_("Pipeline by stage, %(currency)s") % {"currency": report.currency},
            type="bar",
            labels=names,
            datasets=[
                {"label": _("Pipeline"), "data": [stage.amount for stage in report.stages]},
                {"label": _("Weighted pipeline"), "data": [stage.weighted_amount for stage in report.stages]},
            ],
            unit=MONEY,
            table="table-stages",
        ),
        Chart(
            id="chart-lost-reasons",
            title=_("Lost reasons"),
            type="bar",
            labels=[row.name for row in report.lost_reasons],
            datasets=[{"label": _("Deals"), "data": [row.deals for row in report.lost_reasons]}],
            horizontal=True,
            table="table-lost_reasons",
        ),
    ]


# --- managers ----------------------------------------------------------------------------------------------


def manager_columns(currency: str) -> list[Column]:
    return [
        Column("name", _("Manager")),
        Column("in_progress", _("In progress"), INT),
        Column("won", pgettext("deals", "Won"), INT),
        Column("lost", pgettext("deals", "Lost"), INT),
        Column("win_rate", _("Win rate, %"), PERCENT),
        Column("revenue", _money_label(_("Revenue"), currency), MONEY),
        Column("gross_profit", _money_label(_("Gross profit"), currency), MONEY),
        Column("average_deal", _money_label(_("Average deal"), currency), MONEY),
        Column("average_cycle_days", _("Average cycle, days"), DAYS),
        Column("interactions", _("Interactions"), INT),
        Column("overdue_tasks", _("Overdue tasks"), INT),
        Column("claims", _("Claims"), INT),
    ]


def _manager_values(row: ManagerRow, columns: list[Column]) -> list:
    return [getattr(row, column.key) for column in columns]


def managers_tables(report: ManagerReport, currency: str) -> list[ReportTable]:
    columns = manager_columns(currency)
    totals = _manager_values(report.totals, columns)
    totals[0] = _("Total")
    return [
        ReportTable(
            key="managers",
            title=_("Manager performance"),
            columns=columns,
            rows=[_manager_values(row, columns) for row in report.rows],
            totals=totals,
            empty=_("No managers to show."),
        )
    ]


def managers_charts(report: ManagerReport, currency: str) -> list[Chart]:
    names = [row.name for row in report.rows]
    return [
        Chart(
            id="chart-managers-revenue",
            title=_("Revenue and gross profit, %(currency)s") % {"currency": currency},
            type="bar",
            labels=names,
            datasets=[
                {"label": _("Revenue"), "data": [row.revenue for row in report.rows]},
                {"label": _("Gross profit"), "data": [row.gross_profit for row in report.rows]},
            ],
            unit=MONEY,
            horizontal=True,
            table="table-managers",
        ),
        Chart(
            id="chart-managers-deals",
            title=_("Deals"),
            type="bar",
            labels=names,
            datasets=[
                {
                    "label": pgettext("deals", "Won"),
                    "data": [row.won for row in report.rows],
                    "stack": "deals",
                    "color": WON,
                },
                {
                    "label": pgettext("deals", "Lost"),
                    "data": [row.lost for row in report.rows],
                    "stack": "deals",
                    "color": LOST,
                },
                {
                    "label": _("In progress"),
                    "data": [row.in_progress for row in report.rows],
                    "stack": "deals",
                    "color": IN_PROGRESS,
                },
            ],
            horizontal=True,
            stacked=True,
            table="table-managers",
        ),
        Chart(
            id="chart-managers-win-rate",
            title=_("Win rate, %"),
            type="bar",
            labels=names,
            datasets=[{"label": _("Win rate, %"), "data": [row.win_rate for row in report.rows]}],
            unit=PERCENT,
            horizontal=True,
            table="table-managers",
        ),
    ]


# --- the KPI dashboard -------------------------------------------------------------------------------------


def dashboard_tables(board: Dashboard) -> list[ReportTable]:
    currency = board.currency
    months = ReportTable(
        key="months",
        title=_("Revenue and gross profit by month"),
        columns=[
            Column("month", _("Month"), MONTH),
            Column("revenue", _money_label(_("Revenue"), currency), MONEY),
            Column("gross_profit", _money_label(_("Gross profit"), currency), MONEY),
            Column("new_clients", _("New clients"), INT),
        ],
        rows=[[row.month, row.revenue, row.gross_profit, row.new_clients] for row in board.months],
        totals=[_("Total"), board.revenue, board.gross_profit, board.new_clients],
    )
    pipeline = ReportTable(
        key="pipeline",
        title=_("Pipeline by stage"),
        columns=[
            Column("kind", _("Deal kind")),
            Column("stage", _("Stage")),
            Column("currency", _("Currency")),
            Column("deals", _("Deals"), INT),
            Column("amount", _("Amount"), MONEY),
            Column("weighted_amount", _("Weighted amount"), MONEY),
        ],
        rows=[
            [row.kind, row.stage, row.currency, row.deals, row.amount, row.weighted_amount]
            for row in board.pipeline
        ],
        empty=_("No deals in progress."),
    )
    clients = ReportTable(
        key="top_clients",
        title=_("Top clients"),
        columns=[
            Column("client", _("Client")),
            Column("revenue", _money_label(_("Revenue"), currency), MONEY),
            Column("gross_profit", _money_label(_("Gross profit"), currency), MONEY),
            Column("share", _("Share of revenue, %"), PERCENT),
        ],
        rows=[[row.name, row.revenue, row.gross_profit, row.share] for row in board.top_clients],
        empty=_("No sales in the period."),
    )
    overdue = ReportTable(
        key="overdue",
        title=_("Overdue tasks"),
        columns=[Column("assignee", _("Assignee")), Column("tasks", _("Overdue tasks"), INT)],
        rows=[[row.name, row.tasks] for row in board.overdue_by_assignee],
        totals=[_("Total"), board.overdue_total] if board.overdue_by_assignee else None,
        empty=_("No overdue tasks."),
    )
    oldest = ReportTable(
        key="overdue_tasks",
        title=_("Most overdue tasks"),
        columns=[
            Column("title", _("Task")),
            Column("assignee", _("Assignee")),
            Column("due_at", _("Due"), DATE),
        ],
        rows=[[task.title, task.assignee, task.due_at] for task in board.overdue_tasks],
        empty=_("No overdue tasks."),
    )
    abc = ReportTable(
        key="abc",
        title=_("Revenue by ABC class of clients"),
        columns=[
            Column("abc", _("ABC class")),
            Column("clients", _("Clients"), INT),
            Column("revenue", _money_label(_("Revenue"), currency), MONEY),
            Column("share", _("Share of revenue, %"), PERCENT),
        ],
        rows=[
            [row.abc or _("not classified"), row.clients, row.revenue, row.share] for row in board.abc_shares
        ],
        empty=_("No classified sales yet: classes appear once a quarter has been classified."),
    )
    return [months, pipeline, clients, abc, overdue, oldest]


def _pipeline_label(row) -> str:
    return f"{row.kind} · {row.stage}"


def dashboard_charts(board: Dashboard) -> list[Chart]:
    base = [row for row in board.pipeline if row.currency == board.currency]
    return [
        Chart(
            id="chart-months",
            title=_("Revenue and gross profit by month, %(currency)s") % {"currency": board.currency},
            type="bar",
            labels=[month_label(row.month) for row in board.months],
            datasets=[
                {"label": _("Revenue"), "data": [row.revenue for row in board.months]},
                {
                    "label": _("Gross profit"),
                    "data": [row.gross_profit for row in board.months],
                    "type": "line",
                },
            ],
            unit=MONEY,
            table="table-months",
        ),
        Chart(
            id="chart-new-clients",
            title=_("New clients by month"),
            type="bar",
            labels=[month_label(row.month) for row in board.months],
            datasets=[{"label": _("New clients"), "data": [row.new_clients for row in board.months]}],
            table="table-months",
        ),
        Chart(
            id="chart-pipeline",
            title=_("Pipeline by stage, %(currency)s") % {"currency": board.currency},
            type="bar",
            labels=[_pipeline_label(row) for row in base],
            datasets=[
                {"label": _("Amount"), "data": [row.amount for row in base]},
                {"label": _("Weighted amount"), "data": [row.weighted_amount for row in base]},
            ],
            unit=MONEY,
            horizontal=True,
            table="table-pipeline",
        ),
        Chart(
            id="chart-top-clients",
            title=_("Top clients by revenue, %(currency)s") % {"currency": board.currency},
            type="bar",
            labels=[row.name for row in board.top_clients],
            datasets=[{"label": _("Revenue"), "data": [row.revenue for row in board.top_clients]}],
            unit=MONEY,
            horizontal=True,
            table="table-top_clients",
        ),
        Chart(
            id="chart-abc",
            title=_("Revenue by ABC class of clients, %(currency)s") % {"currency": board.currency},
            type="bar",
            labels=[row.abc or str(_("not classified")) for row in board.abc_shares],
            datasets=[{"label": _("Revenue"), "data": [row.revenue for row in board.abc_shares]}],
            unit=MONEY,
            table="table-abc",
        ),
        Chart(
            id="chart-overdue",
            title=_("Overdue tasks by assignee"),
            type="bar",
            labels=[row.name for row in board.overdue_by_assignee],
            datasets=[
                {"label": _("Overdue tasks"), "data": [row.tasks for row in board.overdue_by_assignee]}
            ],
            horizontal=True,
            table="table-overdue",
        ),
    ]


def date_range_label(period) -> str:
    start = formats.date_format(period.start, "SHORT_DATE_FORMAT")
    end = formats.date_format(period.end, "SHORT_DATE_FORMAT")
    return f"{start} – {end}"
