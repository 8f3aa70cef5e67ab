"""Manager performance on one screen: the figures per manager on the hand-made story of ``dashboard_data``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdelka.analytics.selectors.dashboard_period import Period
from sdelka.analytics.selectors.managers import manager_performance
from sdelka.analytics.tests.dashboard_data import (
    Q1_END,
    Q1_START,
    activity_story,
    d,
    fact,
    history_deal,
    sales_story,
)

pytestmark = pytest.mark.django_db

Q1 = Period(Q1_START, Q1_END)


@pytest.fixture
def story(manager, teammate, outsider):
    activity_story(manager=manager, teammate=teammate, outsider=outsider)
    return sales_story(manager=manager, teammate=teammate, outsider=outsider)


def _rows(report):
    return {row.name: row for row in report.rows}


def test_it_computes_every_figure_of_a_manager(manager, story):
    report = manager_performance(user=manager, period=Q1)

    assert [row.id for row in report.rows] == [manager.pk]
    row = report.rows[0]
    assert (row.in_progress, row.won, row.lost, row.win_rate) == (3, 1, 1, Decimal("50.0"))
    assert (row.revenue, row.gross_profit) == (Decimal("1500.00"), Decimal("600.00"))
    # only A's sale belongs to a deal: 1 000 over one deal
    assert row.average_deal == Decimal("1000.00")
    assert row.average_cycle_days == Decimal("19.0")  # A: 10 → 29 January
    assert (row.interactions, row.overdue_tasks, row.claims) == (2, 1, 1)


def test_a_head_sees_the_team_and_nobody_else(head, manager, teammate, story):
    rows = _rows(manager_performance(user=head, period=Q1))

    assert set(rows) == {str(head), str(manager), str(teammate)}
    mate = rows[str(teammate)]
    assert (mate.lost, mate.win_rate, mate.revenue, mate.overdue_tasks) == (
        1,
        Decimal("0.0"),
        Decimal("4000.00"),
        1,
    )
    assert (mate.average_deal, mate.average_cycle_days) == (None, None)


def test_an_administrator_sees_every_seller_and_the_totals(admin_user, outsider, story):
    report = manager_performance(user=admin_user, period=Q1)
    rows = _rows(report)

    assert rows[str(outsider)].won == 1 and rows[str(outsider)].revenue == Decimal("7000.00")
    assert (report.totals.won, report.totals.lost, report.totals.revenue) == (2, 2, Decimal("12500.00"))
    assert report.totals.win_rate == Decimal("50.0")
    # A in 19 days, F in 15 days
    assert report.totals.average_cycle_days == Decimal("17.0")
    assert report.totals.average_deal == Decimal("4000.00")  # (1 000 + 7 000) over deals A and F
    assert (report.totals.overdue_tasks, report.totals.claims) == (3, 2)


def test_it_sorts_by_any_column_with_empty_figures_last(admin_user, manager, teammate, outsider, head, story):
    by_revenue = manager_performance(user=admin_user, period=Q1)
    assert by_revenue.sort == "-revenue"
    assert [row.id for row in by_revenue.rows][:3] == [outsider.pk, teammate.pk, manager.pk]

    by_cycle = manager_performance(user=admin_user, period=Q1, sort="average_cycle_days")
    assert [row.id for row in by_cycle.rows][:2] == [outsider.pk, manager.pk]
    assert all(row.average_cycle_days is None for row in by_cycle.rows[2:])

    assert manager_performance(user=admin_user, period=Q1, sort="password").sort == "-revenue"


def test_the_period_decides_which_wins_and_sales_count(manager, story):
    december = manager_performance(user=manager, period=Period(d(12, 1, 2025), d(12, 31, 2025))).rows[0]
    assert (december.won, december.revenue, december.interactions) == (1, Decimal("999.00"), 1)
    # deals started after December are not in progress in it
    assert december.in_progress == 0


def test_the_number_of_queries_does_not_grow_with_the_records(admin_user, manager, story):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            manager_performance(user=admin_user, period=Q1)
        return len(captured)

    few = queries()
    for day in range(1, 20):
        deal = history_deal(story.kind, manager, d(1, day), [(1, d(1, day + 1))])
        fact(partner=deal.partner, manager=manager, day=d(2, day), revenue="10", cost="1", deal=deal)
    assert queries() == few <= 7


def test_a_deal_is_decided_on_the_local_day_of_its_last_change_to_its_status(manager):
    import datetime

    from sdelka.deals.choices import DealEventKind, DealStatus
    from sdelka.deals.models import DealEvent
    from sdelka.deals.tests.factories import DealFactory

    def won_deal(start, *changes, close=None):
        deal = DealFactory(manager=manager, start_date=start)
        type(deal).objects.filter(pk=deal.pk).update(status=DealStatus.WON, actual_close_date=close)
        for moment, status in changes:
            DealEvent.objects.create(
                deal=deal, at=moment, kind=DealEventKind.STATUS_CHANGED, to_status=status
            )
        return deal

    utc = datetime.UTC
    # 23:30 UTC on 31 March is 1 April in Moscow: an April win.
    won_deal(d(3, 1), (datetime.datetime(2026, 3, 31, 23, 30, tzinfo=utc), DealStatus.WON))
    # Won in March, reopened, won again in April: the last win decides.
    won_deal(
        d(3, 2),
        (datetime.datetime(2026, 3, 10, 9, tzinfo=utc), DealStatus.WON),
        (datetime.datetime(2026, 3, 12, 9, tzinfo=utc), DealStatus.IN_PROGRESS),
        (datetime.datetime(2026, 4, 2, 9, tzinfo=utc), DealStatus.WON),
    )
    # No event: its close date.
    won_deal(d(3, 3), close=d(3, 20))

    march = _rows(manager_performance(user=manager, period=Period(d(3, 1), d(3, 31))))[str(manager)]
    april = _rows(manager_performance(user=manager, period=Period(d(4, 1), d(4, 30))))[str(manager)]

    assert (march.won, april.won) == (1, 2)
    assert march.average_cycle_days == Decimal("17.0")  # 3 → 20 March
    assert april.average_cycle_days == Decimal("31.0")  # 1 March → 1 April, 2 March → 2 April
