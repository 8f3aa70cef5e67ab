"""The partner groups API: /api/v1/partner-groups/."""

from __future__ import annotations

import pytest

from sdelka.core.api.testing import list_ids, queries_of_get
from sdelka.partners.models import PartnerGroup
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

URL = "/api/v1/partner-groups/"
FIELDS = {"id", "name", "parent", "path", "depth", "item_count", "total_count"}


def test_a_head_creates_a_group_and_a_subgroup(head, api_client_for):
    client = api_client_for(head)

    top = client.post(URL, {"name": "Wholesale"}, format="json")
    sub = client.post(URL, {"name": "Moscow", "parent": top.json()["id"]}, format="json")

    assert top.status_code == 201, top.content
    assert set(top.json()) == FIELDS
    assert sub.status_code == 201, sub.content
    body = sub.json()
    assert body["parent"] == top.json()["id"]
    assert body["path"] == f"/{top.json()['id']}/{body['id']}/"
    assert (body["depth"], body["item_count"], body["total_count"]) == (1, 0, 0)


def test_a_manager_may_read_groups_but_not_create_them(manager, api_client_for):
    group = PartnerGroupFactory(name="Wholesale")
    client = api_client_for(manager)

    assert list_ids(client.get(URL)) == [group.pk]
    assert client.post(URL, {"name": "Retail"}, format="json").status_code == 403
    assert client.patch(f"{URL}{group.pk}/", {"name": "Retail"}, format="json").status_code == 403
    assert client.delete(f"{URL}{group.pk}/").status_code == 403
    assert PartnerGroup.objects.get().name == "Wholesale"


def test_counts_include_only_the_partners_the_caller_sees(manager, outsider, api_client_for):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)
    PartnerFactory(group=wholesale, manager=manager)
    PartnerFactory(group=moscow, manager=manager)
    PartnerFactory(group=moscow, manager=None)
    PartnerFactory(group=moscow, manager=outsider)

    rows = {row["id"]: row for row in api_client_for(manager).get(URL).json()["results"]}

    assert (rows[wholesale.pk]["item_count"], rows[wholesale.pk]["total_count"]) == (1, 3)
    assert (rows[moscow.pk]["item_count"], rows[moscow.pk]["total_count"]) == (2, 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"name": 5}, "name"),
        ({"name": "A", "parent": 999999}, "parent"),
        ({"name": "A", "parent": "top"}, "parent"),
        ({"name": "Wholesale"}, "name"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(head, api_client_for, payload, field):
    PartnerGroupFactory(name="Wholesale")

    response = api_client_for(head).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert PartnerGroup.objects.count() == 1


def test_a_group_moves_with_its_subgroups(head, api_client_for):
    wholesale = PartnerGroupFactory(name="Wholesale")
    retail = PartnerGroupFactory(name="Retail")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)
    street = PartnerGroupFactory(name="Tverskaya", parent=moscow)

    response = api_client_for(head).patch(f"{URL}{moscow.pk}/", {"parent": retail.pk}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["path"] == f"/{retail.pk}/{moscow.pk}/"
    street.refresh_from_db()
    assert street.path == f"/{retail.pk}/{moscow.pk}/{street.pk}/"


def test_a_move_into_its_own_subgroup_is_refused_and_nothing_changes(head, api_client_for):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)

    response = api_client_for(head).patch(
        f"{URL}{wholesale.pk}/", {"name": "Renamed", "parent": moscow.pk}, format="json"
    )

    assert response.status_code == 400
    assert "parent" in response.json()
    wholesale.refresh_from_db()
    assert (wholesale.name, wholesale.parent, wholesale.path) == ("Wholesale", None, f"/{wholesale.pk}/")


def test_a_group_renamed_and_moved_to_the_top(head, api_client_for):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)

    response = api_client_for(head).put(
        f"{URL}{moscow.pk}/", {"name": "Moscow region", "parent": None}, format="json"
    )

    assert response.status_code == 200, response.content
    moscow.refresh_from_db()
    assert (moscow.name, moscow.parent, moscow.path) == ("Moscow region", None, f"/{moscow.pk}/")


def test_the_history_shows_a_rename(head, api_client_for):
    group = PartnerGroupFactory(name="Wholesale")
    client = api_client_for(head)
    client.patch(f"{URL}{group.pk}/", {"name": "Wholesale clients"}, format="json")

    history = client.get(f"{URL}{group.pk}/history/").json()

    assert [(c["field"], c["old"], c["new"]) for c in history[0]["changes"]] == [
        ("name", "Wholesale", "Wholesale clients")
    ]
    assert history[0]["user"] == head.pk


def test_a_group_with_partners_is_kept_and_an_empty_one_deleted(head, api_client_for):
    used = PartnerGroupFactory(name="Used")
    empty = PartnerGroupFactory(name="Empty")
    PartnerFactory(group=used)
    client = api_client_for(head)

    refused = client.delete(f"{URL}{used.pk}/")
    deleted = client.delete(f"{URL}{empty.pk}/")

    assert refused.status_code == 400
    assert deleted.status_code == 204
    assert list(PartnerGroup.objects.values_list("name", flat=True)) == ["Used"]


def test_a_missing_group_is_not_found_for_every_action(head, api_client_for):
    client = api_client_for(head)
    url = f"{URL}999999/"

    assert client.get(url).status_code == 404
    assert client.put(url, {"name": "A"}, format="json").status_code == 404
    assert client.patch(url, {"name": "A"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}history/").status_code == 404


def test_the_list_filters_by_parent_searches_and_orders(manager, api_client_for):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)
    tver = PartnerGroupFactory(name="Tver", parent=wholesale)
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"parent": wholesale.pk, "ordering": "name"})) == [moscow.pk, tver.pk]
    assert list_ids(client.get(URL, {"search": "tve"})) == [tver.pk]
    assert list_ids(client.get(URL, {"ordering": "-name"})) == [wholesale.pk, tver.pk, moscow.pk]
    assert list_ids(client.get(URL, {"ordering": "name", "page_size": 1, "page": 2})) == [tver.pk]


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, api_client_for):
    client = api_client_for(manager)
    top = PartnerGroupFactory(name="G0")
    PartnerFactory(group=top, manager=manager)
    queries_for_one = queries_of_get(client, URL)
    for n in range(1, 50):
        group = PartnerGroupFactory(name=f"G{n}", parent=top)
        PartnerFactory(group=group, manager=manager)

    assert queries_of_get(client, URL) == queries_for_one
