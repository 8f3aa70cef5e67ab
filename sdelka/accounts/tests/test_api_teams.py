"""The teams API: /api/v1/teams/ (everyone reads, administrators write)."""

from __future__ import annotations

import pytest

from sdelka.accounts.models import Team
from sdelka.accounts.tests.factories import TeamFactory
from sdelka.core.api.testing import list_ids, queries_of_get

URL = "/api/v1/teams/"


def test_everyone_lists_the_teams(manager, team_north, team_south, api_client_for):
    response = api_client_for(manager).get(URL)

    assert list_ids(response) == [team_north.pk, team_south.pk]
    assert set(response.json()["results"][0]) == {"id", "name", "head"}


def test_an_administrator_creates_a_team_with_a_head(admin_user, head, api_client_for):
    response = api_client_for(admin_user).post(URL, {"name": "East", "head": head.pk}, format="json")

    assert response.status_code == 201, response.content
    assert Team.objects.get(name="East").head == head


def test_an_administrator_changes_the_head(admin_user, head, team_south, api_client_for):
    response = api_client_for(admin_user).patch(f"{URL}{team_south.pk}/", {"head": head.pk}, format="json")

    assert response.status_code == 200, response.content
    team_south.refresh_from_db()
    assert team_south.head == head


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "North"}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"name": "East", "head": 999999}, "head"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(admin_user, team_north, api_client_for, payload, field):
    response = api_client_for(admin_user).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Team.objects.count() == 1


def test_only_a_head_of_sales_can_lead_a_team(admin_user, manager, team_south, api_client_for):
    response = api_client_for(admin_user).patch(f"{URL}{team_south.pk}/", {"head": manager.pk}, format="json")

    assert response.status_code == 400
    assert "head" in response.json()
    team_south.refresh_from_db()
    assert team_south.head is None


def test_a_head_may_not_create_or_change_teams(head, team_north, api_client_for):
    client = api_client_for(head)

    assert client.post(URL, {"name": "East"}, format="json").status_code == 403
    assert client.patch(f"{URL}{team_north.pk}/", {"head": None}, format="json").status_code == 403
    team_north.refresh_from_db()
    assert team_north.head == head


def test_a_team_with_members_is_not_deleted(admin_user, team_north, manager, api_client_for):
    response = api_client_for(admin_user).delete(f"{URL}{team_north.pk}/")

    assert response.status_code == 400
    assert "members" in response.json()["non_field_errors"][0]
    assert Team.objects.filter(pk=team_north.pk).exists()


def test_an_empty_team_is_deleted_by_an_administrator(admin_user, manager, team_south, api_client_for):
    assert api_client_for(manager).delete(f"{URL}{team_south.pk}/").status_code == 403
    assert api_client_for(admin_user).delete(f"{URL}{team_south.pk}/").status_code == 204
    assert not Team.objects.filter(pk=team_south.pk).exists()


def test_an_administrator_renames_a_team_but_not_onto_another_name(
    admin_user, team_north, team_south, api_client_for
):
    client = api_client_for(admin_user)

    assert client.patch(f"{URL}{team_north.pk}/", {"name": "Север"}, format="json").status_code == 200
    clash = client.patch(f"{URL}{team_north.pk}/", {"name": "south"}, format="json")

    assert clash.status_code == 400 and "name" in clash.json()
    team_north.refresh_from_db()
    assert team_north.name == "Север"


def test_creating_a_team_with_a_taken_name_is_refused(admin_user, team_north, api_client_for):
    response = api_client_for(admin_user).post(URL, {"name": "NORTH"}, format="json")

    assert response.status_code == 400 and "name" in response.json()
    assert Team.objects.count() == 1


def test_the_list_searches_and_orders(manager, team_north, team_south, api_client_for):
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"search": "sou"})) == [team_south.pk]
    assert list_ids(client.get(URL, {"ordering": "-name"})) == [team_south.pk, team_north.pk]


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, api_client_for):
    client = api_client_for(manager)
    queries_for_one = queries_of_get(client, URL)
    TeamFactory.create_batch(49)

    assert queries_of_get(client, URL) == queries_for_one
