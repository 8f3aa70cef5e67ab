"""The users API: /api/v1/users/ (everyone reads, administrators write, nobody deletes)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.accounts.tests.factories import UserFactory
from sdelka.core.api.testing import list_ids, queries_of_get

URL = "/api/v1/users/"
FIELDS = {
    "id",
    "username",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "role",
    "team",
    "is_active",
}


def test_every_role_lists_users_to_choose_a_manager(marketer, manager, outsider, api_client_for):
    response = api_client_for(marketer).get(URL, {"page_size": 100})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert {manager.pk, outsider.pk, marketer.pk} <= {row["id"] for row in rows}
    assert set(rows[0]) == FIELDS


def test_an_administrator_creates_a_user_who_can_then_log_in(admin_user, team_north, api_client_for):
    response = api_client_for(admin_user).post(
        URL,
        {
            "username": "vera",
            "password": "a-long-secret-77",
            "role": "head",
            "team": team_north.pk,
            "first_name": "Vera",
            "phone": "+7 900 000-00-00",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert "password" not in body
    vera = User.objects.get(username="vera")
    assert (vera.role, vera.team, vera.phone) == (Role.HEAD, team_north, "+7 900 000-00-00")
    login = APIClient().post("/api/v1/auth/token/", {"username": "vera", "password": "a-long-secret-77"})
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "vera"}, "password"),
        ({"username": "vera", "password": "123"}, "password"),
        ({"username": "manager", "password": "a-long-secret-77"}, "username"),
        ({"username": "bad name!", "password": "a-long-secret-77"}, "username"),
        ({"username": "vera", "password": "a-long-secret-77", "role": "king"}, "role"),
        ({"username": "vera", "password": "a-long-secret-77", "team": 999999}, "team"),
        ({"username": "vera", "password": "a-long-secret-77", "email": "nope"}, "email"),
        ({"username": "vera", "password": "a-long-secret-77", "phone": "x" * 41}, "phone"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(admin_user, manager, api_client_for, payload, field):
    response = api_client_for(admin_user).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not User.objects.filter(username="vera").exists()


def test_only_an_administrator_creates_or_changes_users(head, manager, api_client_for):
    client = api_client_for(head)

    created = client.post(URL, {"username": "vera", "password": "a-long-secret-77"}, format="json")
    changed = client.patch(f"{URL}{manager.pk}/", {"role": "admin"}, format="json")

    assert (created.status_code, changed.status_code) == (403, 403)
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER


def test_an_administrator_deactivates_a_user_instead_of_deleting(admin_user, manager, api_client_for):
    client = api_client_for(admin_user)

    deleted = client.delete(f"{URL}{manager.pk}/")
    deactivated = client.patch(f"{URL}{manager.pk}/", {"is_active": False}, format="json")

    assert deleted.status_code == 405
    assert deactivated.status_code == 200, deactivated.content
    manager.refresh_from_db()
    assert manager.is_active is False


def test_an_administrator_changes_a_role_and_password(admin_user, manager, api_client_for):
    response = api_client_for(admin_user).patch(
        f"{URL}{manager.pk}/", {"role": "head", "password": "another-secret-88"}, format="json"
    )

    assert response.status_code == 200, response.content
    manager.refresh_from_db()
    assert manager.role == Role.HEAD
    assert manager.check_password("another-secret-88")


def test_a_weak_new_password_changes_nothing(admin_user, manager, api_client_for):
    response = api_client_for(admin_user).patch(
        f"{URL}{manager.pk}/", {"first_name": "Changed", "password": "123"}, format="json"
    )

    assert response.status_code == 400
    assert "password" in response.json()
    manager.refresh_from_db()
    assert manager.first_name != "Changed"


def test_the_list_filters_searches_orders_and_pages(admin_user, manager, outsider, marketer, api_client_for):
    client = api_client_for(admin_user)

    assert list_ids(client.get(URL, {"role": "marketer"})) == [marketer.pk]
    assert list_ids(client.get(URL, {"team": outsider.team_id})) == [outsider.pk]
    assert list_ids(client.get(URL, {"search": "outsid"})) == [outsider.pk]
    ordered = list_ids(client.get(URL, {"ordering": "username"}))
    assert ordered == sorted(ordered, key=lambda pk: User.objects.get(pk=pk).username)
    assert len(list_ids(client.get(URL, {"page_size": 2}))) == 2


def test_a_missing_user_is_not_found(admin_user, api_client_for):
    client = api_client_for(admin_user)

    assert client.get(f"{URL}999999/").status_code == 404
    assert client.patch(f"{URL}999999/", {"first_name": "X"}, format="json").status_code == 404


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(admin_user, team_north, api_client_for):
    client = api_client_for(admin_user)
    queries_for_one = queries_of_get(client, URL)
    UserFactory.create_batch(49, team=team_north)

    assert queries_of_get(client, URL) == queries_for_one
