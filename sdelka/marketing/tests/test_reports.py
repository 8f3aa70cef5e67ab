"""The two marketing reports against a hand-made data set (``report_data``) and hand-computed figures.

Primary interest (manager's scope; 2026-01-01…2026-06-30):
  Exhibitions › Stroyexpo: new P1, P2 → 2; deals D(P1, won), D(P2) → 2, won 1, conversion 0.5;
    revenue 1000 + 200 = 1200, gross profit 400 + 150 = 550; per new client 600.
  Referral › Referrer: new P3 → 1; deals 1, won 0, conversion 0; no sales.
  No primary interest: new P5 → 1; deals D(P4, won), D(P6) → 2, won 1; revenue 100, gross profit 0.
  P7 (another team's) is never counted for the manager.

Stroyexpo (starts 2026-02-10): participants P1 (attended), P4, P6, P7 → 4, attended 1; deals of P1, P4
  from 02-10: 2, both won; revenue 1000 + 999 + 50 = 2049, gross profit 400 + 500 + 30 = 930; expenses
  500; new clients P1, P2 → 2, cost per new client 250; ROI (930 − 500) / 500 = 0.86.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sdelka.marketing import reports
from sdelka.marketing.tests import report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(manager, outsider):
    return report_data.build(manager, outsider)


def _rows(report) -> dict:
    return {(row.channel_name, row.source_label): row for row in report.rows}


def test_primary_interest_figures_per_channel_and_source(manager, data):
    report = reports.primary_interest_report(user=manager, **report_data.PERIOD)

    rows = _rows(report)
    assert list(rows) == [("Exhibitions", "Stroyexpo"), ("Referral", "Referrer"), ("", "")]
    expo = rows[("Exhibitions", "Stroyexpo")]
    assert (expo.new_partners, expo.deals, expo.won) == (2, 2, 1)
    assert expo.conversion == Decimal("0.5")
    assert (expo.revenue, expo.gross_profit) == (Decimal("1200.00"), Decimal("550.00"))
    assert expo.revenue_per_client == Decimal("600.00")
    referral = rows[("Referral", "Referrer")]
    assert (referral.new_partners, referral.deals, referral.won, referral.conversion) == (1, 1, 0, 0)
    assert referral.revenue == 0 and referral.revenue_per_client == Decimal("0.00")
    none = rows[("", "")]
    assert (none.new_partners, none.deals, none.won) == (1, 2, 1)
    assert (none.revenue, none.gross_profit) == (Decimal("100.00"), Decimal("0.00"))


def test_primary_interest_totals(manager, data):
    total = reports.primary_interest_report(user=manager, **report_data.PERIOD).total

    assert (total.new_partners, total.deals, total.won) == (4, 5, 2)
    assert (total.revenue, total.gross_profit) == (Decimal("1300.00"), Decimal("550.00"))
    assert total.conversion == Decimal("0.4")


def test_a_marketer_sees_every_teams_partners(marketer, data):
    rows = _rows(reports.primary_interest_report(user=marketer, **report_data.PERIOD))

    expo = rows[("Exhibitions", "Stroyexpo")]
    assert (expo.new_partners, expo.deals, expo.won, expo.revenue) == (3, 3, 2, Decimal("1900.00"))


def test_the_channel_filter_keeps_that_channel_and_below(manager, data):
    report = reports.primary_interest_report(user=manager, channel=data.referral, **report_data.PERIOD)

    assert [(row.channel_name, row.new_partners) for row in report.rows] == [("Referral", 1)]


def test_the_drill_down_lists_the_rows_partners_with_their_revenue(manager, data):
    key = reports.InterestKey(data.exhibitions.pk, "event", data.expo.pk)

    partners = list(reports.primary_interest_partners(user=manager, key=key, **report_data.PERIOD))

    assert [(p.name, p.revenue, p.gross_profit) for p in partners] == [
        ("P1", Decimal("1000.00"), Decimal("400.00")),
        ("P2", Decimal("200.00"), Decimal("150.00")),
    ]


def test_the_report_is_one_query_per_grouping(manager, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        reports.primary_interest_report(user=manager, **report_data.PERIOD)


def test_event_effectiveness_figures(manager, data):
    rows = {
        row.event.name: row for row in reports.event_effectiveness_report(user=manager, **report_data.PERIOD)
    }

    assert list(rows) == ["Stroyexpo", "Spring promo"]
    expo = rows["Stroyexpo"]
    assert (expo.participants, expo.attended, expo.deals, expo.won) == (4, 1, 2, 2)
    assert (expo.revenue, expo.gross_profit) == (Decimal("2049.00"), Decimal("930.00"))
    assert expo.expenses == Decimal("500.00")
    assert expo.new_clients == 2
    assert expo.cost_per_new_client == Decimal("250.00")
    assert expo.roi == Decimal("0.86")


def test_an_event_without_expenses_has_no_roi(manager, data):
    spring = next(
        row
        for row in reports.event_effectiveness_report(user=manager, **report_data.PERIOD)
        if row.event == data.spring
    )

    assert (spring.participants, spring.deals, spring.revenue, spring.expenses) == (0, 0, 0, 0)
    assert spring.roi is None
    assert spring.cost_per_new_client is None


def test_event_figures_end_with_the_period(manager, data):
    rows = reports.event_effectiveness_report(
        user=manager, date_from=report_data.D(2026, 2, 1), date_to=report_data.D(2026, 2, 28)
    )

    expo = rows[0]
    assert (expo.deals, expo.revenue) == (1, Decimal("50.00"))


def test_the_event_report_is_one_query(manager, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        reports.event_effectiveness_report(user=manager, **report_data.PERIOD)


def test_rows_follow_the_channel_tree_by_name(manager):
    b_top = report_data.AdChannelFactory(name="B top")
    a_top = report_data.AdChannelFactory(name="A top")
    child = report_data.AdChannelFactory(name="A child", parent=b_top)
    for channel in (child, b_top, a_top):
        report_data.created_on(
            report_data.PartnerFactory(manager=manager, primary_interest_channel=channel),
            report_data.D(2026, 2, 1),
        )

    report = reports.primary_interest_report(user=manager, **report_data.PERIOD)

    assert [row.channel_name for row in report.rows] == ["A top", "B top", "A child"]
