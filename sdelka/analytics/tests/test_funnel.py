"""The sales funnel's figures on the hand-made story of ``dashboard_data`` (expected numbers worked out there)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdelka.analytics.selectors.dashboard_period import Period
from sdelka.analytics.selectors.funnel import sales_funnel
from sdelka.analytics.tests.dashboard_data import Q1_END, Q1_START, d, history_deal, sales_story

pytestmark = pytest.mark.django_db

Q1 = Period(Q1_START, Q1_END)


@pytest.fixture
def story(manager, teammate, outsider):
    return sales_story(manager=manager, teammate=teammate, outsider=outsider)


def _by_name(report):
    return {stage.name: stage for stage in report.stages}


def test_it_counts_the_deals_that_reached_each_stage_and_the_conversions(manager, story):
    report = sales_funnel(user=manager, kind=story.kind, period=Q1)

    assert (report.deals, report.in_progress, report.won, report.lost) == (5, 3, 1, 1)
    assert [stage.reached for stage in report.stages] == [5, 3, 2, 0]
    # D skipped stage 2 by hand: it still counts as having passed it, so the funnel only narrows.
    assert [stage.conversion for stage in report.stages] == [
        Decimal("100.0"),
        Decimal("60.0"),
        Decimal("66.7"),
        Decimal("0.0"),
    ]
    assert [stage.conversion_from_start for stage in report.stages][:3] == [
        Decimal("100.0"),
        Decimal("60.0"),
        Decimal("40.0"),
    ]
    assert report.win_rate == Decimal("50.0")
    assert report.conversion_to_won == Decimal("20.0")


def test_it_averages_the_completed_stays_in_each_stage(manager, story):
    stages = _by_name(sales_funnel(user=manager, kind=story.kind, period=Q1))

    # stage 1: A 4, B 2, D 4 days (C and H are still there); stage 2: A 10, B 6; stage 3: A 5 (D still there)
    assert (stages["Primary contact"].average_days, stages["Primary contact"].stays) == (Decimal("3.3"), 3)
    assert (stages["Commercial proposal"].average_days, stages["Commercial proposal"].stays) == (
        Decimal("8.0"),
        2,
    )
    assert (stages["Negotiation"].average_days, stages["Negotiation"].stays) == (Decimal("5.0"), 1)
    assert (stages["Fulfilment"].average_days, stages["Fulfilment"].stays) == (None, 0)


def test_it_sums_the_pipeline_per_currency_and_weights_it_by_probability(manager, story):
    report = sales_funnel(user=manager, kind=story.kind, period=Q1)

    assert [
        (row.stage, row.currency, row.deals, row.amount, row.weighted_amount) for row in report.pipeline
    ] == [
        ("Primary contact", "KZT", 1, Decimal("500.00"), Decimal("50.00")),
        ("Primary contact", "RUB", 1, Decimal("1000.00"), Decimal("100.00")),
        ("Negotiation", "RUB", 1, Decimal("2000.00"), Decimal("1200.00")),
    ]
    assert (report.pipeline_amount, report.weighted_amount) == (Decimal("3000.00"), Decimal("1300.00"))
    stages = _by_name(report)
    assert (stages["Primary contact"].in_progress, stages["Primary contact"].amount) == (
        2,
        Decimal("1000.00"),
    )
    assert [row.currency for row in report.other_currencies] == ["KZT"]


def test_a_head_sees_the_team_and_the_lost_reasons_break_down(head, story):
    report = sales_funnel(user=head, kind=story.kind, period=Q1)

    assert (report.deals, report.lost) == (6, 2)
    assert [(row.name, row.deals, row.share) for row in report.lost_reasons] == [
        ("Price", 1, Decimal("50.0")),
        ("Timing", 1, Decimal("50.0")),
    ]
    assert _by_name(report)["Primary contact"].average_days == Decimal("3.0")


def test_a_manager_never_counts_another_managers_deals(manager, teammate, story):
    assert sales_funnel(user=manager, kind=story.kind, period=Q1, manager=teammate).deals == 0
    assert sales_funnel(user=manager, kind=story.kind, period=Q1).lost_reasons[0].name == "Price"


def test_an_administrator_sees_everyone_and_can_look_at_one_manager(admin_user, outsider, story):
    assert sales_funnel(user=admin_user, kind=story.kind, period=Q1).deals == 7
    one = sales_funnel(user=admin_user, kind=story.kind, period=Q1, manager=outsider)
    assert (one.deals, one.won, one.win_rate) == (1, 1, Decimal("100.0"))


def test_the_period_selects_the_deals_by_their_start_date(manager, story):
    december = Period(d(12, 1, 2025), d(12, 31, 2025))
    report = sales_funnel(user=manager, kind=story.kind, period=december)
    assert (report.deals, report.won) == (1, 1)


def test_an_empty_funnel_has_no_conversions(manager, story):
    report = sales_funnel(user=manager, kind=story.kind, period=Period(d(6, 1), d(6, 30)))
    assert report.deals == 0
    assert all(stage.conversion is None and stage.reached == 0 for stage in report.stages)
    assert report.win_rate is None and report.pipeline == [] and report.lost_reasons == []


def test_the_number_of_queries_does_not_grow_with_the_deals(manager, story):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            sales_funnel(user=manager, kind=story.kind, period=Q1)
        return len(captured)

    few = queries()
    for day in range(1, 25):
        history_deal(story.kind, manager, d(1, day), [(1, d(1, day + 2)), (3, d(1, day + 5))])
    assert queries() == few <= 6
