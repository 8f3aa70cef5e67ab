"""``/api/v1/analytics/classification/`` and ``/api/v1/analytics/settings/``: rows, parameter errors, scope,
pagination, files, and the settings' permission and validation."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sdelka.analytics.models import ClassificationSettings
from sdelka.analytics.periods import Period, last_closed
from sdelka.analytics.services.classification import classification_store
from sdelka.analytics.tests.classification_data import sell
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/analytics/classification/"
SETTINGS_URL = "/api/v1/analytics/settings/"
QUERY = {"subject": "clients", "criterion": "revenue", "period_type": "year", "period_start": "2025-01-01"}


@pytest.fixture
def sales(manager, teammate, outsider):
    """Manager's big and small client, the teammate's client, the outsider's client; all in 2025."""
    mine = PartnerFactory(name="Mine big", manager=manager)
    small = PartnerFactory(name="Mine small", manager=manager)
    team = PartnerFactory(name="Teammate's", manager=teammate)
    foreign = PartnerFactory(name="Outsider's", manager=outsider)
    sell(mine, date(2025, 2, 1), (None, "700"))
    sell(small, date(2025, 2, 1), (None, "300"))
    sell(team, date(2025, 2, 1), (None, "1000"))
    sell(foreign, date(2025, 2, 1), (None, "8000"))
    return mine, small, team, foreign


def test_it_answers_every_row_of_the_period(api_client_for, admin_user, sales):
    response = api_client_for(admin_user).get(URL, QUERY)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 4 and body["stored"] is False
    first = body["results"][0]
    assert first["name"] == "Outsider's"
    assert set(first) == {
        "subject_id",
        "name",
        "value",
        "share",
        "cumulative_share",
        "abc",
        "cv",
        "xyz",
        "stage",
        "cell",
    }
    assert (first["value"], first["abc"], first["xyz"], first["cell"], first["stage"]) == (
        "8000.00",
        "A",
        "Z",
        "AZ",
        "one_time",
    )
    assert first["share"] == pytest.approx(80)


def test_a_manager_counts_only_the_partners_in_their_scope(api_client_for, manager, head, sales):
    rows = api_client_for(manager).get(URL, QUERY).json()["results"]
    assert [(row["name"], row["abc"]) for row in rows] == [
        ("Mine big", "A"),
        ("Mine small", "A"),
    ]  # 70 % before it
    assert rows[0]["share"] == pytest.approx(70)
    team = api_client_for(head).get(URL, QUERY).json()["results"]
    assert [row["name"] for row in team] == ["Teammate's", "Mine big", "Mine small"]
    products = api_client_for(manager).get(URL, {**QUERY, "subject": "products"}).json()
    assert products["count"] == 2  # only the products sold to the manager's clients


def test_a_manager_never_reads_the_company_wide_stored_rows(api_client_for, manager, admin_user, sales):
    classification_store(subject="clients", criterion="revenue", period=Period("year", date(2025, 1, 1)))
    assert api_client_for(admin_user).get(URL, QUERY).json()["stored"] is True
    body = api_client_for(manager).get(URL, QUERY).json()
    assert body["stored"] is False and body["count"] == 2


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"subject": "suppliers"}, "subject", "not one of the available choices"),
        ({"criterion": "margin"}, "criterion", "not one of the available choices"),
        ({"period_type": "week"}, "period_type", "not one of the available choices"),
        ({"period_start": "2025-13-01"}, "period_start", "YYYY-MM-DD"),
        ({"period_start": ""}, "period_start", "first day of the period"),
        ({"period_start": "2025-02-01"}, "period_start", "is not the first day of a year"),
        ({"period_type": "quarter", "period_start": "2025-02-01"}, "period_start", "first day of a quarter"),
        ({"subject": ""}, "subject", "required"),
    ],
)
def test_a_wrong_parameter_is_a_400_naming_it(api_client_for, admin_user, params, field, message):
    response = api_client_for(admin_user).get(URL, {**QUERY, **params})
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_an_open_period_is_refused(api_client_for, admin_user):
    current = last_closed("quarter", timezone.localdate()).following()
    response = api_client_for(admin_user).get(
        URL, {**QUERY, "period_type": "quarter", "period_start": current.start.isoformat()}
    )
    assert response.status_code == 400
    assert "not closed yet" in response.json()["period_start"][0]


def test_pages_go_up_to_50_000_rows(api_client_for, admin_user, sales):
    client = api_client_for(admin_user)
    body = client.get(URL, {**QUERY, "page_size": 3}).json()
    assert len(body["results"]) == 3 and body["next"]
    assert len(client.get(URL, {**QUERY, "page_size": 50_000}).json()["results"]) == 4
    assert client.get(URL, {**QUERY, "page_size": 3, "page": 2}).json()["results"][0]["name"] == "Mine small"


def test_csv_and_xlsx_carry_every_row(api_client_for, admin_user, sales):
    client = api_client_for(admin_user)
    response = client.get(URL, {**QUERY, "format": "csv", "page_size": 1})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == ["Outsider's", "Teammate's", "Mine big", "Mine small"]
    assert rows[0]["abc"] == "A" and rows[0]["stage"] == "one_time"
    response = client.get(URL, {**QUERY, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [sheet.cell(row=r, column=2).value for r in range(4, 8)]
    assert names == ["Outsider's", "Teammate's", "Mine big", "Mine small"]


def test_errors_are_json_even_when_a_file_was_asked(api_client_for, admin_user):
    response = api_client_for(admin_user).get(URL, {**QUERY, "period_type": "decade", "format": "xlsx"})
    assert response.status_code == 400
    assert "period_type" in response.json()


def test_anonymous_callers_are_refused(client):
    assert client.get(URL, QUERY).status_code in (401, 403)


def test_everyone_reads_the_settings_with_the_default_cell_names(api_client_for, manager):
    body = api_client_for(manager).get(SETTINGS_URL).json()
    assert (body["abc_a"], body["abc_b"], body["xyz_x"], body["xyz_y"]) == (
        "80.00",
        "95.00",
        "10.00",
        "25.00",
    )
    assert body["criterion"] == "revenue"
    assert body["cell_names"]["AX"] == "Cash cows" and body["cell_names"]["CZ"] == "Question marks"
    assert body["cell_names"]["BY"] == ""


def test_administrators_replace_the_settings(api_client_for, admin_user):
    payload = {
        "abc_a": "70",
        "abc_b": "90",
        "xyz_x": "15",
        "xyz_y": "30",
        "criterion": "gross_profit",
        "name_by": "Middle",
        "name_ax": "",
    }
    response = api_client_for(admin_user).put(SETTINGS_URL, payload, format="json")
    assert response.status_code == 200, response.content
    stored = ClassificationSettings.objects.get()
    assert (stored.abc_a, stored.abc_b, stored.criterion, stored.name_by) == (
        Decimal("70"),
        Decimal("90"),
        "gross_profit",
        "Middle",
    )
    assert response.json()["cell_names"]["BY"] == "Middle"
    assert response.json()["cell_names"]["AX"] == "Cash cows"
    assert stored.history.count() == 1


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"abc_a": "95", "abc_b": "80"}, "abc_b", "above the A boundary"),
        ({"abc_a": "80", "abc_b": "80"}, "abc_b", "above the A boundary"),
        ({"abc_b": "101"}, "abc_b", "less than or equal to 100"),
        ({"xyz_x": "-1"}, "xyz_x", "greater than or equal to 0"),
        ({"xyz_x": "30", "xyz_y": "25"}, "xyz_y", "above the X boundary"),
        ({"abc_a": "0"}, "abc_a", "above 0%"),
        ({"criterion": "margin"}, "criterion", "not a valid choice"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_stored(api_client_for, admin_user, payload, field, message):
    body = {"abc_a": "80", "abc_b": "95", "xyz_x": "10", "xyz_y": "25", "criterion": "revenue", **payload}
    response = api_client_for(admin_user).put(SETTINGS_URL, body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not ClassificationSettings.objects.exists()


def test_only_administrators_change_the_settings(api_client_for, manager, head, marketer):
    for user in (manager, head, marketer):
        response = api_client_for(user).put(SETTINGS_URL, {"abc_a": "70"}, format="json")
        assert response.status_code == 403
    assert not ClassificationSettings.objects.exists()
