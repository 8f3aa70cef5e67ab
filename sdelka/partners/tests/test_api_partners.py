"""The partners API: /api/v1/partners/."""

from __future__ import annotations

import pytest

from sdelka.core.api.testing import list_ids, queries_of_get
from sdelka.partners.models import Partner, Tag
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory, PartnerGroupFactory

URL = "/api/v1/partners/"

FIELDS = {
    "id",
    "name",
    "kind",
    "is_client",
    "is_supplier",
    "is_competitor",
    "is_other",
    "group",
    "manager",
    "phones",
    "emails",
    "address",
    "region",
    "website",
    "comment",
    "tags",
    "primary_interest_channel",
    "primary_interest_source",
    "created_at",
    "updated_at",
}


def detail(partner) -> str:
    return f"{URL}{partner.pk}/"


@pytest.fixture
def foreign_partner(outsider):
    return PartnerFactory(name="Their client", manager=outsider)


# --- create -------------------------------------------------------------------------------------------


def test_a_manager_creates_a_partner_and_becomes_its_manager(manager, api_client_for):
    client = api_client_for(manager)

    response = client.post(
        URL,
        {
            "name": "Romashka",
            "is_supplier": True,
            "phones": ["+7 495 123-45-67"],
            "emails": ["info@romashka.ru"],
            "tags": ["VIP", "tender"],
            "region": "Moscow",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    partner = Partner.objects.get(pk=body["id"])
    assert partner.manager == manager
    assert body["manager"] == manager.pk
    assert body["phones"] == ["+7 495 123-45-67"]
    assert body["emails"] == ["info@romashka.ru"]
    assert body["tags"] == ["VIP", "tender"]
    assert sorted(partner.tags.values_list("name", flat=True)) == ["VIP", "tender"]
    assert partner.history.first().history_user == manager


def test_a_head_gives_a_new_partner_to_a_team_member(head, teammate, api_client_for):
    response = api_client_for(head).post(URL, {"name": "Lilia", "manager": teammate.pk}, format="json")

    assert response.status_code == 201, response.content
    assert Partner.objects.get(pk=response.json()["id"]).manager == teammate


def test_a_manager_cannot_give_a_partner_to_another_team(manager, outsider, api_client_for):
    response = api_client_for(manager).post(URL, {"name": "Lilia", "manager": outsider.pk}, format="json")

    assert response.status_code == 400
    assert "manager" in response.json()
    assert not Partner.objects.exists()


def test_a_marketer_may_not_create_partners(marketer, api_client_for):
    response = api_client_for(marketer).post(URL, {"name": "Lilia"}, format="json")

    assert response.status_code == 403
    assert not Partner.objects.exists()


def test_an_anonymous_caller_is_asked_to_authenticate(db, client):
    response = client.get(URL)

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": 123}, "name"),
        ({"name": "A", "kind": "robot"}, "kind"),
        ({"name": "A", "is_client": "maybe"}, "is_client"),
        ({"name": "A", "is_client": False}, "is_client"),
        ({"name": "A", "phones": "+7 495 123-45-67"}, "phones"),
        ({"name": "A", "phones": [12345678]}, "phones"),
        ({"name": "A", "phones": ["call me"]}, "phones"),
        ({"name": "A", "phones": ["+7 495 123-45-67"] * 21}, "phones"),
        ({"name": "A", "emails": ["not an address"]}, "emails"),
        ({"name": "A", "emails": {"a": "b"}}, "emails"),
        ({"name": "A", "tags": ["x" * 51]}, "tags"),
        ({"name": "A", "tags": [None]}, "tags"),
        ({"name": "A", "group": 999999}, "group"),
        ({"name": "A", "group": "abc"}, "group"),
        ({"name": "A", "group": 10**30}, "group"),
        ({"name": "A", "manager": 999999}, "manager"),
        ({"name": "A", "website": "not a url"}, "website"),
        ({"name": "A", "address": "x" * 501}, "address"),
        ({"name": "A", "region": "x" * 151}, "region"),
        ({"name": "A\x00B"}, "name"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(
    manager, api_client_for, payload, field
):
    response = api_client_for(manager).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Partner.objects.exists()
    assert not Tag.objects.exists()


def test_broken_json_is_a_bad_request(manager, api_client_for):
    response = api_client_for(manager).post(URL, '{"name": "A",', content_type="application/json")

    assert response.status_code == 400
    assert not Partner.objects.exists()


def test_a_list_instead_of_an_object_is_a_bad_request(manager, api_client_for):
    response = api_client_for(manager).post(URL, [{"name": "A"}], format="json")

    assert response.status_code == 400
    assert not Partner.objects.exists()


# --- read ---------------------------------------------------------------------------------------------


def test_a_manager_lists_own_and_unassigned_partners_but_not_another_teams(
    manager, teammate, foreign_partner, api_client_for
):
    own = PartnerFactory(name="A own", manager=manager)
    unassigned = PartnerFactory(name="B nobody's", manager=None)
    PartnerFactory(name="C teammate's", manager=teammate)

    response = api_client_for(manager).get(URL)

    assert list_ids(response) == [own.pk, unassigned.pk]
    assert response.json()["count"] == 2


def test_a_head_sees_the_teams_partners(head, manager, foreign_partner, api_client_for):
    team = PartnerFactory(name="Team's", manager=manager)

    assert list_ids(api_client_for(head).get(URL)) == [team.pk]


@pytest.mark.parametrize("role", ["manager", "head"])
def test_a_foreign_partner_is_not_found_for_every_action(role, request, foreign_partner, api_client_for):
    # Even deleting, which a manager may not do at all: a 403 would tell that the partner exists.
    client = api_client_for(request.getfixturevalue(role))
    url = detail(foreign_partner)

    assert client.get(url).status_code == 404
    assert client.put(url, {"name": "Mine"}, format="json").status_code == 404
    assert client.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}history/").status_code == 404
    foreign_partner.refresh_from_db()
    assert foreign_partner.name == "Their client"


def test_an_id_that_is_not_a_number_is_not_found(manager, api_client_for):
    client = api_client_for(manager)

    assert client.get(f"{URL}abc/").status_code == 404
    assert client.get(f"{URL}{10**30}/").status_code == 404


def test_the_group_filter_includes_subgroups_unless_told_not_to(manager, api_client_for):
    wholesale = PartnerGroupFactory(name="Wholesale")
    moscow = PartnerGroupFactory(name="Moscow", parent=wholesale)
    top = PartnerFactory(name="A top", group=wholesale)
    inner = PartnerFactory(name="B inner", group=moscow)
    PartnerFactory(name="C elsewhere")
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"group": wholesale.pk})) == [top.pk, inner.pk]
    assert list_ids(client.get(URL, {"group": wholesale.pk, "include_subgroups": "true"})) == [
        top.pk,
        inner.pk,
    ]
    assert list_ids(client.get(URL, {"group": wholesale.pk, "include_subgroups": "false"})) == [top.pk]


def test_the_list_filters_by_relation_manager_tag_and_region(manager, api_client_for):
    supplier = PartnerFactory(name="Supplier", is_supplier=True, manager=manager, region="Tver")
    client_only = PartnerFactory(name="Client", manager=None)
    supplier.tags.add(Tag.objects.create(name="VIP"))
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"is_supplier": "true"})) == [supplier.pk]
    assert list_ids(client.get(URL, {"manager": manager.pk})) == [supplier.pk]
    assert list_ids(client.get(URL, {"unassigned": "true"})) == [client_only.pk]
    assert list_ids(client.get(URL, {"tag": "vip"})) == [supplier.pk]
    assert list_ids(client.get(URL, {"region": "tve"})) == [supplier.pk]


def test_the_page_search_q_finds_partners_by_counterparty_inn(manager, api_client_for):
    found = PartnerFactory(name="Romashka")
    CounterpartyFactory(partner=found, inn="7707083893")
    PartnerFactory(name="Lilia")

    assert list_ids(api_client_for(manager).get(URL, {"q": "7707083893"})) == [found.pk]


def test_search_finds_partners_by_name(manager, api_client_for):
    romashka = PartnerFactory(name="Romashka")
    PartnerFactory(name="Lilia")

    assert list_ids(api_client_for(manager).get(URL, {"search": "omash"})) == [romashka.pk]


def test_ordering_sorts_the_list(manager, api_client_for):
    b = PartnerFactory(name="B")
    a = PartnerFactory(name="A")
    c = PartnerFactory(name="C")
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"ordering": "-name"})) == [c.pk, b.pk, a.pk]
    assert list_ids(client.get(URL, {"ordering": "name"})) == [a.pk, b.pk, c.pk]


def test_the_list_is_paginated(manager, api_client_for):
    partners = [PartnerFactory(name=f"P{n}") for n in range(5)]
    client = api_client_for(manager)

    first = client.get(URL, {"page_size": 2})
    third = client.get(URL, {"page_size": 2, "page": 3})

    assert first.json()["count"] == 5
    assert list_ids(first) == [partners[0].pk, partners[1].pk]
    assert first.json()["next"]
    assert list_ids(third) == [partners[4].pk]
    assert client.get(URL, {"page": 9}).status_code == 404


def test_a_bad_filter_value_is_a_bad_request(manager, api_client_for):
    response = api_client_for(manager).get(URL, {"group": "abc"})

    assert response.status_code == 400
    assert "group" in response.json()


def test_the_list_costs_the_same_queries_for_one_and_for_fifty_partners(manager, api_client_for):
    client = api_client_for(manager)
    group = PartnerGroupFactory(name="G")
    vip, tender = Tag.objects.create(name="VIP"), Tag.objects.create(name="tender")

    def add(n):
        for i in range(n):
            partner = PartnerFactory(name=f"P{i}", manager=manager, group=group)
            partner.tags.add(vip, tender)

    add(1)
    queries_for_one = queries_of_get(client, URL)
    add(49)
    queries_for_fifty = queries_of_get(client, URL)

    assert queries_for_fifty == queries_for_one
    assert len(client.get(URL).json()["results"]) == 50


# --- update and delete --------------------------------------------------------------------------------


def test_a_manager_changes_a_partner_with_patch_and_put(manager, api_client_for):
    partner = PartnerFactory(name="Romashka", manager=manager)
    client = api_client_for(manager)

    patched = client.patch(detail(partner), {"region": "Tver", "tags": ["new"]}, format="json")
    put = client.put(detail(partner), {"name": "Romashka LLC", "is_supplier": True}, format="json")

    assert patched.status_code == 200, patched.content
    assert patched.json()["tags"] == ["new"]
    assert put.status_code == 200, put.content
    partner.refresh_from_db()
    assert (partner.name, partner.region, partner.is_supplier) == ("Romashka LLC", "Tver", True)


def test_a_refused_update_changes_nothing(manager, api_client_for):
    partner = PartnerFactory(name="Romashka", manager=manager, region="Tver")
    partner.tags.add(Tag.objects.create(name="VIP"))

    response = api_client_for(manager).patch(
        detail(partner), {"region": "Moscow", "tags": ["other"], "phones": ["nope"]}, format="json"
    )

    assert response.status_code == 400
    assert "phones" in response.json()
    partner.refresh_from_db()
    assert partner.region == "Tver"
    assert list(partner.tags.values_list("name", flat=True)) == ["VIP"]


def test_the_history_shows_who_changed_which_field(manager, api_client_for):
    client = api_client_for(manager)
    partner_id = client.post(URL, {"name": "Romashka", "region": "Tver"}, format="json").json()["id"]
    client.patch(f"{URL}{partner_id}/", {"region": "Moscow"}, format="json")

    response = client.get(f"{URL}{partner_id}/history/")

    assert response.status_code == 200
    newest, created = response.json()
    assert set(newest) == {"id", "at", "user", "user_name", "change_type", "change_label", "changes"}
    assert newest["change_type"] == "~"
    assert newest["user"] == manager.pk
    assert newest["changes"] == [
        {"field": "region", "label": newest["changes"][0]["label"], "old": "Tver", "new": "Moscow"}
    ]
    assert created["change_type"] == "+"


def test_a_manager_may_not_delete_partners_but_a_head_may(manager, head, api_client_for):
    partner = PartnerFactory(manager=manager)

    refused = api_client_for(manager).delete(detail(partner))
    deleted = api_client_for(head).delete(detail(partner))

    assert refused.status_code == 403
    assert deleted.status_code == 204
    assert not Partner.objects.exists()


# --- move to group ------------------------------------------------------------------------------------


def test_partners_are_moved_to_a_group_and_out_of_it(manager, api_client_for):
    group = PartnerGroupFactory(name="Wholesale")
    first, second = PartnerFactory(manager=manager), PartnerFactory(manager=manager)
    client = api_client_for(manager)

    moved = client.post(
        f"{URL}move-to-group/", {"partners": [first.pk, second.pk], "group": group.pk}, format="json"
    )
    out = client.post(f"{URL}move-to-group/", {"partners": [first.pk], "group": None}, format="json")

    assert moved.status_code == 200, moved.content
    assert moved.json() == {"moved": 2}
    assert out.json() == {"moved": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.group, second.group) == (None, group)


def test_moving_a_foreign_partner_is_refused_and_moves_nothing(manager, foreign_partner, api_client_for):
    group = PartnerGroupFactory(name="Wholesale")
    own = PartnerFactory(manager=manager)

    response = api_client_for(manager).post(
        f"{URL}move-to-group/", {"partners": [own.pk, foreign_partner.pk], "group": group.pk}, format="json"
    )

    assert response.status_code == 400
    assert "partners" in response.json()
    own.refresh_from_db()
    assert own.group is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"partners": [], "group": None}, "partners"),
        ({"partners": "1", "group": None}, "partners"),
        ({"partners": [10**30], "group": None}, "partners"),
        ({"group": None}, "partners"),
        ({"partners": [1], "group": 999999}, "group"),
    ],
)
def test_a_bad_move_request_is_refused(manager, api_client_for, payload, field):
    response = api_client_for(manager).post(f"{URL}move-to-group/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_a_marketer_may_not_move_partners(marketer, api_client_for):
    partner = PartnerFactory()

    response = api_client_for(marketer).post(
        f"{URL}move-to-group/", {"partners": [partner.pk], "group": None}, format="json"
    )

    assert response.status_code == 403
