"""The funnel, manager and dashboard endpoints: figures, scoping, files and parameter errors."""

from __future__ import annotations

import csv
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from sdelka.analytics.charts import XLSX_CONTENT_TYPE
from sdelka.analytics.tests.dashboard_data import activity_story, sales_story

pytestmark = pytest.mark.django_db

FUNNEL, MANAGERS, DASHBOARD = (
    "/api/v1/analytics/funnel/",
    "/api/v1/analytics/managers/",
    "/api/v1/analytics/dashboard/",
)
Q1 = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


@pytest.fixture
def story(manager, teammate, outsider):
    activity_story(manager=manager, teammate=teammate, outsider=outsider)
    return sales_story(manager=manager, teammate=teammate, outsider=outsider)


def test_the_funnel_answers_its_figures(api_client_for, manager, story):
    response = api_client_for(manager).get(FUNNEL, {"kind": story.kind.pk, **Q1})
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == {"id": story.kind.pk, "name": "Supply"}
    assert data["period"] == {"date_from": "2026-01-01", "date_to": "2026-03-31"}
    assert (data["deals"], data["won"], data["lost"], data["win_rate"]) == (5, 1, 1, "50.0")
    assert [stage["reached"] for stage in data["stages"]] == [5, 3, 2, 0]
    assert data["stages"][1]["average_days"] == "8.0"
    assert (data["pipeline_amount"], data["weighted_amount"]) == ("3000.00", "1300.00")
    assert data["lost_reasons"] == [
        {"id": data["lost_reasons"][0]["id"], "name": "Price", "deals": 1, "share": "100.0"}
    ]


def test_the_manager_screen_answers_the_rows_the_caller_covers(
    api_client_for, head, manager, teammate, story
):
    data = api_client_for(head).get(MANAGERS, {**Q1, "sort": "name"}).json()
    names = [row["name"] for row in data["results"]]
    assert names == sorted(names, key=str.lower)
    assert {row["id"] for row in data["results"]} == {head.pk, manager.pk, teammate.pk}
    assert data["totals"]["revenue"] == "5500.00" and data["currency"] == "RUB" and data["sort"] == "name"
    mine = api_client_for(manager).get(MANAGERS, Q1).json()
    assert [row["id"] for row in mine["results"]] == [manager.pk]
    assert mine["results"][0]["average_cycle_days"] == "19.0"


def test_the_dashboard_answers_the_scope_of_the_role(api_client_for, manager, admin_user, story):
    mine = api_client_for(manager).get(DASHBOARD, Q1).json()
    assert (mine["scope"], mine["revenue"], mine["new_clients"], mine["overdue_total"]) == (
        "me",
        "1500.00",
        1,
        1,
    )
    assert [row["revenue"] for row in mine["months"]] == ["0.00", "1000.00", "500.00"]
    company = api_client_for(admin_user).get(DASHBOARD, Q1).json()
    assert (company["scope"], company["revenue"]) == ("company", "12500.00")


@pytest.mark.parametrize(
    ("url", "params", "parameter"),
    [
        (FUNNEL, {"kind": "x"}, "kind"),
        (FUNNEL, {"manager": "0"}, "manager"),
        (FUNNEL, {"date_from": "2026-13-01"}, "date_from"),
        (FUNNEL, {"date_from": "2026-03-01", "date_to": "2026-01-01"}, "date_to"),
        (MANAGERS, {"sort": "salary"}, "sort"),
        (MANAGERS, {"date_from": "1990-01-01", "date_to": "2026-01-01"}, "date_from"),
        (DASHBOARD, {"scope": "team"}, "scope"),
        (DASHBOARD, {"scope": "everyone"}, "scope"),
        (DASHBOARD, {"format": "pdf"}, "format"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it(api_client_for, manager, url, params, parameter):
    response = api_client_for(manager).get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_a_wrong_parameter_is_told_in_json_even_when_a_file_was_asked_for(api_client_for, manager):
    response = api_client_for(manager).get(MANAGERS, {"sort": "salary", "format": "xlsx"})
    assert response.status_code == 400 and "sort" in response.json()


def test_a_manager_cannot_see_another_managers_funnel(api_client_for, manager, outsider, story):
    response = api_client_for(manager).get(FUNNEL, {"manager": outsider.pk})
    assert response.status_code == 400 and "manager" in response.json()


def test_the_files_carry_the_tables(api_client_for, manager, story):
    client = api_client_for(manager)
    response = client.get(MANAGERS, {**Q1, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert 'filename="manager-performance-' in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(row[0] == str(manager) and row[5] == 1500 for row in rows)

    response = client.get(FUNNEL, {"kind": story.kind.pk, **Q1, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(StringIO(response.content.decode())))
    assert ["Lost reasons"] in rows and ["Price", "1", "100.0"] in rows


def test_the_endpoints_need_authentication(client):
    assert client.get(DASHBOARD).status_code in (401, 403)
