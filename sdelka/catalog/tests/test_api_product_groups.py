"""The product groups API: /api/v1/product-groups/."""

from __future__ import annotations

import pytest

from sdelka.catalog.models import ProductGroup
from sdelka.catalog.tests.factories import ProductFactory, ProductGroupFactory
from sdelka.core.api.testing import list_ids, queries_of_get

URL = "/api/v1/product-groups/"
FIELDS = {"id", "name", "parent", "path", "depth", "item_count", "total_count"}


def test_a_head_creates_a_subgroup(head, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")

    response = api_client_for(head).post(URL, {"name": "Centrifugal", "parent": pumps.pk}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert (body["parent"], body["depth"], body["path"]) == (pumps.pk, 1, f"/{pumps.pk}/{body['id']}/")


def test_a_manager_may_read_groups_but_not_change_them(manager, api_client_for):
    group = ProductGroupFactory(name="Pumps")
    client = api_client_for(manager)

    assert list_ids(client.get(URL)) == [group.pk]
    assert client.post(URL, {"name": "Valves"}, format="json").status_code == 403
    assert client.put(f"{URL}{group.pk}/", {"name": "Valves"}, format="json").status_code == 403
    assert client.delete(f"{URL}{group.pk}/").status_code == 403


def test_counts_are_own_and_with_subgroups(manager, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")
    centrifugal = ProductGroupFactory(name="Centrifugal", parent=pumps)
    ProductFactory(group=pumps)
    ProductFactory.create_batch(2, group=centrifugal)

    rows = {row["id"]: row for row in api_client_for(manager).get(URL).json()["results"]}

    assert (rows[pumps.pk]["item_count"], rows[pumps.pk]["total_count"]) == (1, 3)
    assert (rows[centrifugal.pk]["item_count"], rows[centrifugal.pk]["total_count"]) == (2, 2)


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 151}, "name"), ({"name": "A", "parent": 999999}, "parent")],
)
def test_bad_input_is_refused_with_the_field_named(head, api_client_for, payload, field):
    response = api_client_for(head).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ProductGroup.objects.exists()


def test_a_move_into_its_own_subgroup_is_refused(head, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")
    centrifugal = ProductGroupFactory(name="Centrifugal", parent=pumps)

    response = api_client_for(head).patch(f"{URL}{pumps.pk}/", {"parent": centrifugal.pk}, format="json")

    assert response.status_code == 400
    assert "parent" in response.json()
    pumps.refresh_from_db()
    assert pumps.parent is None


def test_a_group_is_moved_and_renamed_with_history(head, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")
    valves = ProductGroupFactory(name="Valves")
    client = api_client_for(head)

    response = client.patch(f"{URL}{valves.pk}/", {"name": "Pump valves", "parent": pumps.pk}, format="json")
    history = client.get(f"{URL}{valves.pk}/history/").json()

    assert response.status_code == 200, response.content
    assert response.json()["path"] == f"/{pumps.pk}/{valves.pk}/"
    changed = {
        c["field"]: (c["old"], c["new"])
        for entry in history
        for c in entry["changes"]
        if entry["change_type"] == "~"
    }
    assert changed == {"name": ("Valves", "Pump valves"), "parent": (None, "Pumps")}


def test_a_group_with_products_is_kept(head, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")
    ProductFactory(group=pumps)

    response = api_client_for(head).delete(f"{URL}{pumps.pk}/")

    assert response.status_code == 400
    assert ProductGroup.objects.exists()


def test_a_missing_group_is_not_found_for_every_action(head, api_client_for):
    client = api_client_for(head)
    url = f"{URL}999999/"

    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "A"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}history/").status_code == 404


def test_the_list_filters_searches_and_orders(manager, api_client_for):
    pumps = ProductGroupFactory(name="Pumps")
    valves = ProductGroupFactory(name="Valves")
    inner = ProductGroupFactory(name="Inner", parent=pumps)
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"parent": pumps.pk})) == [inner.pk]
    assert list_ids(client.get(URL, {"search": "valv"})) == [valves.pk]
    assert list_ids(client.get(URL, {"ordering": "-name"})) == [valves.pk, pumps.pk, inner.pk]


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, api_client_for):
    client = api_client_for(manager)
    ProductFactory(group=ProductGroupFactory(name="G0"))
    queries_for_one = queries_of_get(client, URL)
    for n in range(1, 50):
        ProductFactory(group=ProductGroupFactory(name=f"G{n}"))

    assert queries_of_get(client, URL) == queries_for_one
