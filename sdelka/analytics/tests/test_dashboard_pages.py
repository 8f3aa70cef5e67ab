"""The analytics pages: the index, the funnel, the manager screen and the KPI dashboard, their filters,
htmx fragments, scoping and Excel/CSV exports."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sdelka.analytics.charts import MONEY_FORMAT, XLSX_CONTENT_TYPE
from sdelka.analytics.tests.dashboard_data import activity_story, sales_story

pytestmark = pytest.mark.django_db

Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


@pytest.fixture
def story(manager, teammate, outsider):
    activity_story(manager=manager, teammate=teammate, outsider=outsider)
    return sales_story(manager=manager, teammate=teammate, outsider=outsider)


def _sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(BytesIO(response.content)).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def _row(rows: list[tuple], first: str) -> tuple:
    return next(row for row in rows if row and row[0] == first)


def test_the_index_links_every_report(page_client_for, manager):
    response = page_client_for(manager).get(reverse("analytics:index"))
    assert response.status_code == 200
    for name in (
        "analytics:dashboard",
        "analytics:funnel",
        "analytics:managers",
        "reports:deal_financial_results",
        "claims:claim_report",
    ):
        assert f'href="{reverse(name)}"'.encode() in response.content


def test_the_funnel_page_shows_the_figures_and_its_chart_data(page_client_for, manager, story):
    response = page_client_for(manager).get(reverse("analytics:funnel"), {"kind": story.kind.pk, **Q1})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kpi="deals">5<' in html
    assert 'data-chart="chart-funnel-data"' in html and 'id="chart-funnel-data"' in html
    assert 'id="table-stages"' in html and "66.7" in html
    assert '<script src="/static/vendor/chartjs/chart.umd.min.js" defer>' in html


def test_an_htmx_request_gets_only_the_report(page_client_for, manager, story):
    response = page_client_for(manager).get(
        reverse("analytics:funnel"), {"kind": story.kind.pk, **Q1}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="report">') and "<html" not in html
    assert 'id="chart-funnel-data"' in html


def test_wrong_filters_are_told_and_nothing_is_computed(page_client_for, manager, story):
    client = page_client_for(manager)
    response = client.get(
        reverse("analytics:funnel"), {"kind": "999999", "date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The report was not made" in html and "The end of the period is before its start." in html
    assert "Select a valid choice" in html and "data-kpi" not in html
    assert client.get(reverse("analytics:managers"), {"date_from": "yesterday"}).status_code == 400
    assert client.get(reverse("analytics:dashboard"), {"scope": "company"}).status_code == 400


def test_a_manager_cannot_filter_the_funnel_by_another_manager(page_client_for, manager, outsider, story):
    response = page_client_for(manager).get(reverse("analytics:funnel"), {"manager": outsider.pk, **Q1})
    assert response.status_code == 400


def test_the_funnel_excel_has_the_stage_rows_as_numbers(page_client_for, manager, story):
    response = page_client_for(manager).get(reverse("analytics:funnel_export"), {"kind": story.kind.pk, **Q1})
    rows = _sheet_rows(response)
    assert rows[0][0] == "Sales funnel"
    assert "Deal kind: Supply" in rows[1][0]
    assert _row(rows, "Primary contact")[:8] == ("Primary contact", 10, 5, 100, 100, 3.3, 2, 1000)
    assert _row(rows, "Price") == ("Price", 1, 100, None, None, None, None, None, None)
    sheet = load_workbook(BytesIO(response.content)).active
    money_cell = next(row for row in sheet.iter_rows() if row[0].value == "Primary contact")[7]
    assert money_cell.number_format == MONEY_FORMAT


def test_the_manager_screen_lists_only_the_team_and_sorts(
    page_client_for, head, manager, teammate, outsider, story
):
    client = page_client_for(head)
    response = client.get(reverse("analytics:managers"), {**Q1, "sort": "-lost"})
    html = response.content.decode()
    assert response.status_code == 200
    assert str(outsider) not in html
    assert html.index(f'data-manager="{teammate}"') < html.index(f'data-manager="{head}"')
    assert 'id="chart-managers-revenue-data"' in html

    rows = _sheet_rows(client.get(reverse("analytics:managers_export"), {**Q1, "sort": "-lost"}))
    names = [row[0] for row in rows[rows.index(_row(rows, "Manager")) + 1 :]]
    assert names[-1] == "Total" and set(names[:-1]) == {str(head), str(manager), str(teammate)}
    assert _row(rows, str(manager))[:8] == (str(manager), 3, 1, 1, 50, 1500, 600, 1000)


def test_the_manager_screen_of_a_manager_is_their_own_row(page_client_for, manager, teammate, story):
    html = page_client_for(manager).get(reverse("analytics:managers"), Q1).content.decode()
    assert f'data-manager="{manager}"' in html and str(teammate) not in html


def test_the_dashboard_offers_the_scopes_of_the_role(page_client_for, manager, head, admin_user, story):
    manager_html = page_client_for(manager).get(reverse("analytics:dashboard"), Q1).content.decode()
    assert 'value="team"' not in manager_html and 'value="company"' not in manager_html
    assert 'data-kpi="revenue">1,500.00<' in manager_html

    head_html = page_client_for(head).get(reverse("analytics:dashboard"), Q1).content.decode()
    assert 'value="team"' in head_html and 'data-scope="team"' in head_html
    assert 'data-kpi="revenue">5,500.00<' in head_html

    admin_html = page_client_for(admin_user).get(reverse("analytics:dashboard"), Q1).content.decode()
    assert 'data-scope="company"' in admin_html and 'data-kpi="revenue">12,500.00<' in admin_html
    for chart in ("months", "pipeline", "new-clients", "top-clients", "overdue"):
        assert f'id="chart-{chart}-data"' in admin_html


def test_the_dashboard_csv_has_every_panel(page_client_for, manager, story):
    response = page_client_for(manager).get(reverse("analytics:dashboard_export"), {**Q1, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert (
        ["Revenue and gross profit by month"] in rows
        and ["Top clients"] in rows
        and ["Overdue tasks"] in rows
    )
    assert ["2026-02-01", "1000.00", "400.00", "1"] in rows
    assert ["Total", "1500.00", "600.00", "1"] in rows


def test_pages_need_a_login(client):
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_without_a_kind_the_funnel_shows_the_kind_with_the_most_deals_and_its_period(
    page_client_for, manager, story
):
    from sdelka.deals.tests.factories import DealKindFactory

    DealKindFactory(name="A first kind by name")
    response = page_client_for(manager).get(reverse("analytics:funnel"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{story.kind.pk}" selected>Supply</option>' in html
    assert 'name="date_from" value="' in html  # the default period is shown in the filters


@pytest.mark.parametrize("name", ["analytics:funnel", "analytics:managers", "analytics:dashboard"])
def test_a_page_takes_a_fixed_number_of_queries(
    page_client_for, admin_user, manager, story, name, django_assert_max_num_queries
):
    from sdelka.analytics.tests.dashboard_data import d, fact, history_deal

    client = page_client_for(admin_user)
    params = {"kind": story.kind.pk, **Q1} if name == "analytics:funnel" else Q1
    client.get(reverse(name), params)  # sessions and the like are read once
    for day in range(1, 15):
        deal = history_deal(story.kind, manager, d(1, day), [(1, d(1, day + 1))])
        fact(partner=deal.partner, manager=manager, day=d(2, day), revenue="10", cost="1", deal=deal)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(name), params).status_code == 200
