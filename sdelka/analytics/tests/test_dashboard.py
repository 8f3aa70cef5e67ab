"""The KPI dashboard: its panels for me / my team / the company on the hand-made story of ``dashboard_data``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdelka.analytics.selectors.dashboard import DashboardScope, dashboard_scopes, kpi_dashboard
from sdelka.analytics.selectors.dashboard_period import Period, default_period
from sdelka.analytics.tests.dashboard_data import (
    Q1_END,
    Q1_START,
    activity_story,
    d,
    fact,
    history_deal,
    sales_story,
)
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

Q1 = Period(Q1_START, Q1_END)
ME, TEAM, COMPANY = DashboardScope.ME, DashboardScope.TEAM, DashboardScope.COMPANY


@pytest.fixture
def story(manager, teammate, outsider):
    activity_story(manager=manager, teammate=teammate, outsider=outsider)
    return sales_story(manager=manager, teammate=teammate, outsider=outsider)


def test_the_scopes_offered_follow_the_role(manager, head, marketer, admin_user):
    assert dashboard_scopes(manager) == [ME]
    assert dashboard_scopes(head) == [ME, TEAM]
    assert dashboard_scopes(admin_user) == [ME, COMPANY]
    assert dashboard_scopes(marketer) == [ME, COMPANY]


def test_a_scope_not_offered_is_refused(manager):
    with pytest.raises(ValueError):
        kpi_dashboard(user=manager, scope=TEAM, period=Q1)


def test_my_revenue_and_gross_profit_by_month(manager, story):
    board = kpi_dashboard(user=manager, scope=ME, period=Q1)

    assert [(row.month, row.revenue, row.gross_profit) for row in board.months] == [
        (d(1, 1), Decimal("0.00"), Decimal("0.00")),
        (d(2, 1), Decimal("1000.00"), Decimal("400.00")),
        (d(3, 1), Decimal("500.00"), Decimal("200.00")),
    ]
    assert (board.revenue, board.gross_profit) == (Decimal("1500.00"), Decimal("600.00"))


def test_new_clients_are_those_whose_first_sale_is_in_the_period(manager, story):
    board = kpi_dashboard(user=manager, scope=ME, period=Q1)
    # A's client first bought in February; the old client bought in December already.
    assert [row.new_clients for row in board.months] == [0, 1, 0]
    PartnerFactory(manager=manager)  # a client who never bought is not new either
    assert kpi_dashboard(user=manager, scope=ME, period=Q1).new_clients == 1


def test_top_clients_with_their_share(manager, story):
    board = kpi_dashboard(user=manager, scope=ME, period=Q1)
    assert [(row.name, row.revenue, row.share) for row in board.top_clients] == [
        (story.deals["A"].partner.name, Decimal("1000.00"), Decimal("66.7")),
        ("Old client", Decimal("500.00"), Decimal("33.3")),
    ]


def test_the_pipeline_by_stage_in_each_currency(manager, story):
    board = kpi_dashboard(user=manager, scope=ME, period=Q1)
    assert [
        (row.stage, row.currency, row.deals, row.amount, row.weighted_amount) for row in board.pipeline
    ] == [
        ("Primary contact", "KZT", 1, Decimal("500.00"), Decimal("50.00")),
        ("Primary contact", "RUB", 1, Decimal("1000.00"), Decimal("100.00")),
        ("Negotiation", "RUB", 1, Decimal("2000.00"), Decimal("1200.00")),
    ]
    assert (board.pipeline_amount, board.weighted_amount) == (Decimal("3000.00"), Decimal("1300.00"))


def test_overdue_tasks_count_and_list(manager, story):
    board = kpi_dashboard(user=manager, scope=ME, period=Q1)
    assert board.overdue_total == 1
    assert [task.title for task in board.overdue_tasks] == ["Call back"]


def test_my_team_adds_the_teammates_and_never_an_outsider(head, story):
    board = kpi_dashboard(user=head, scope=TEAM, period=Q1)
    assert board.revenue == Decimal("5500.00")
    assert board.top_clients[0].name == "Team client"
    assert board.overdue_total == 2
    assert sum(row.new_clients for row in board.months) == 2  # A's client and the team client


def test_the_company_for_an_administrator(admin_user, story):
    board = kpi_dashboard(user=admin_user, scope=COMPANY, period=Q1)
    assert board.revenue == Decimal("12500.00")
    assert board.months[0].revenue == Decimal("7000.00")
    assert board.overdue_total == 3
    assert board.top_clients[0].share == Decimal("56.0")


def test_the_default_period_is_the_last_twelve_months():
    period = default_period(d(3, 15))
    assert (period.start, period.end) == (d(4, 1, 2025), d(3, 15))
    assert len(period.months()) == 12


def test_the_number_of_queries_does_not_grow_with_the_records(admin_user, manager, story):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            kpi_dashboard(user=admin_user, scope=COMPANY, period=Q1)
        return len(captured)

    few = queries()
    for day in range(1, 20):
        deal = history_deal(story.kind, manager, d(1, day), [(1, d(1, day + 1))])
        fact(partner=deal.partner, manager=manager, day=d(2, day), revenue="10", cost="1", deal=deal)
    assert queries() == few <= 10


def test_revenue_by_abc_class_follows_the_stored_classes_of_clients(admin_user, story):
    from collections import defaultdict

    from sdelka.analytics.models import ClassificationResult
    from sdelka.analytics.periods import Period as ClassPeriod
    from sdelka.analytics.services.aggregates import sales_aggregates_refresh
    from sdelka.analytics.services.classification import classification_store
    from sdelka.documents.models import SalesFact

    assert kpi_dashboard(user=admin_user, scope=COMPANY, period=Q1).abc_shares == []  # nothing classified yet
    sales_aggregates_refresh(months=[d(1, 1), d(2, 1), d(3, 1)])
    stored = classification_store(
        subject="clients", criterion="revenue", period=ClassPeriod("quarter", d(1, 1))
    )

    board = kpi_dashboard(user=admin_user, scope=COMPANY, period=Q1)

    assert board.abc_basis == stored
    classes = dict(ClassificationResult.objects.filter(period=stored).values_list("subject_id", "abc"))
    expected = defaultdict(Decimal)
    for partner_id, revenue in SalesFact.objects.filter(date__range=(Q1.start, Q1.end)).values_list(
        "partner_id", "revenue"
    ):
        expected[classes.get(partner_id, "")] += revenue
    assert {row.abc: row.revenue for row in board.abc_shares} == {k: v for k, v in expected.items() if v or k}
    assert sum(row.revenue for row in board.abc_shares) == board.revenue
    assert board.abc_shares[0].abc == "A"
