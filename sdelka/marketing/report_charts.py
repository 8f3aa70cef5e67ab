"""The charts above the marketing reports (drawn by the analytics' chart script; the numbers are the table
under them)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from sdelka.analytics.charts import MONEY, Chart


def primary_interest_chart(report) -> Chart:
    """New partners and revenue per channel (the rows of one channel's sources added up)."""
    new_partners: dict[str, int] = defaultdict(int)
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for row in report.rows:
        name = row.channel_name or _("No primary interest")
        new_partners[name] += row.new_partners
        revenue[name] += row.revenue
    labels = sorted(revenue, key=lambda name: (-revenue[name], name))
    return Chart(
        id="chart-primary-interest",
        title=_("Revenue by channel of primary interest, %(currency)s")
        % {"currency": settings.SDELKA_BASE_CURRENCY},
        type="bar",
        labels=labels,
        datasets=[{"label": _("Revenue"), "data": [revenue[name] for name in labels]}],
        unit=MONEY,
        horizontal=True,
        table="primary-interest-table",
    )


def event_effectiveness_chart(rows) -> Chart:
    """Expenses against the gross profit each event brought."""
    labels = [row.event.name for row in rows]
    return Chart(
        id="chart-event-effectiveness",
        title=_("Gross profit and expenses by event, %(currency)s")
        % {"currency": settings.SDELKA_BASE_CURRENCY},
        type="bar",
        labels=labels,
        datasets=[
            {"label": _("Gross profit"), "data": [row.gross_profit for row in rows]},
            {"label": _("Expenses"), "data": [row.expenses for row in rows]},
        ],
        unit=MONEY,
        horizontal=True,
        table="event-effectiveness-table",
    )
