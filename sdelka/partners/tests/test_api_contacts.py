"""The contact persons API: /api/v1/contacts/."""

from __future__ import annotations

import pytest

from sdelka.core.api.testing import list_ids, queries_of_get
from sdelka.partners.models import ContactPerson
from sdelka.partners.tests.factories import ContactPersonFactory, PartnerFactory

URL = "/api/v1/contacts/"
FIELDS = {"id", "partner", "name", "position", "phones", "emails", "birthday", "comment"}


@pytest.fixture
def own_partner(manager):
    return PartnerFactory(name="Romashka", manager=manager)


@pytest.fixture
def foreign_partner(outsider):
    return PartnerFactory(name="Their client", manager=outsider)


def test_a_manager_adds_a_contact_person_to_own_partner(manager, own_partner, api_client_for):
    response = api_client_for(manager).post(
        URL,
        {
            "partner": own_partner.pk,
            "name": "Ivan Petrov",
            "position": "Buyer",
            "phones": ["+7 916 000-00-00"],
            "emails": ["ivan@romashka.ru"],
            "birthday": "1980-05-17",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert body["birthday"] == "1980-05-17"
    contact = ContactPerson.objects.get(pk=body["id"])
    assert (contact.partner, contact.phones) == (own_partner, ["+7 916 000-00-00"])


def test_a_contact_cannot_be_added_to_a_foreign_partner(manager, foreign_partner, api_client_for):
    response = api_client_for(manager).post(
        URL, {"partner": foreign_partner.pk, "name": "Spy"}, format="json"
    )

    assert response.status_code == 400
    assert "partner" in response.json()
    assert not ContactPerson.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": "A", "position": "x" * 151}, "position"),
        ({"name": "A", "birthday": "17.05.1980"}, "birthday"),
        ({"name": "A", "birthday": 1980}, "birthday"),
        ({"name": "A", "phones": "+7 916 000-00-00"}, "phones"),
        ({"name": "A", "phones": [["+7 916 000-00-00"]]}, "phones"),
        ({"name": "A", "emails": ["nobody"]}, "emails"),
        ({"name": "A", "emails": [42]}, "emails"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(manager, own_partner, api_client_for, payload, field):
    response = api_client_for(manager).post(URL, {"partner": own_partner.pk, **payload}, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ContactPerson.objects.exists()


def test_a_marketer_reads_contacts_but_may_not_add_them(marketer, own_partner, api_client_for):
    contact = ContactPersonFactory(partner=own_partner)
    client = api_client_for(marketer)

    assert list_ids(client.get(URL)) == [contact.pk]
    assert client.post(URL, {"partner": own_partner.pk, "name": "X"}, format="json").status_code == 403
    assert client.patch(f"{URL}{contact.pk}/", {"name": "X"}, format="json").status_code == 403


def test_a_foreign_contact_is_never_listed_and_not_found_for_every_action(
    manager, own_partner, foreign_partner, api_client_for
):
    ours = ContactPersonFactory(partner=own_partner)
    theirs = ContactPersonFactory(partner=foreign_partner, name="Theirs")
    client = api_client_for(manager)
    url = f"{URL}{theirs.pk}/"

    assert list_ids(client.get(URL)) == [ours.pk]
    assert client.get(url).status_code == 404
    assert client.put(url, {"partner": own_partner.pk, "name": "Mine"}, format="json").status_code == 404
    assert client.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}history/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_the_list_filters_by_partner_searches_orders_and_pages(manager, own_partner, api_client_for):
    other = PartnerFactory(manager=manager)
    ivan = ContactPersonFactory(partner=own_partner, name="Ivan", position="Buyer")
    anna = ContactPersonFactory(partner=other, name="Anna", position="Director")
    boris = ContactPersonFactory(partner=other, name="Boris", position="Accountant")
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"partner": own_partner.pk})) == [ivan.pk]
    assert list_ids(client.get(URL, {"search": "direct"})) == [anna.pk]
    assert list_ids(client.get(URL, {"ordering": "-name"})) == [ivan.pk, boris.pk, anna.pk]
    assert list_ids(client.get(URL, {"page_size": 2, "page": 2})) == [ivan.pk]


def test_an_update_is_kept_in_the_history(manager, own_partner, api_client_for):
    contact = ContactPersonFactory(partner=own_partner, position="Buyer")
    client = api_client_for(manager)

    response = client.patch(f"{URL}{contact.pk}/", {"position": "Director"}, format="json")
    history = client.get(f"{URL}{contact.pk}/history/").json()

    assert response.status_code == 200, response.content
    assert [(c["field"], c["old"], c["new"]) for c in history[0]["changes"]] == [
        ("position", "Buyer", "Director")
    ]
    assert history[0]["user"] == manager.pk


def test_a_refused_update_changes_nothing(manager, own_partner, api_client_for):
    contact = ContactPersonFactory(partner=own_partner, name="Ivan", position="Buyer")

    response = api_client_for(manager).put(
        f"{URL}{contact.pk}/",
        {"partner": own_partner.pk, "name": "Ivan", "position": "Director", "emails": ["bad"]},
        format="json",
    )

    assert response.status_code == 400
    contact.refresh_from_db()
    assert contact.position == "Buyer"


def test_a_manager_deletes_a_contact(manager, own_partner, api_client_for):
    contact = ContactPersonFactory(partner=own_partner)

    assert api_client_for(manager).delete(f"{URL}{contact.pk}/").status_code == 204
    assert not ContactPerson.objects.exists()


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, own_partner, api_client_for):
    client = api_client_for(manager)
    ContactPersonFactory(partner=own_partner)
    queries_for_one = queries_of_get(client, URL)
    ContactPersonFactory.create_batch(49, partner=own_partner)

    assert queries_of_get(client, URL) == queries_for_one


def test_a_date_in_the_history_is_an_iso_date(manager, own_partner, api_client_for):
    contact = ContactPersonFactory(partner=own_partner)
    client = api_client_for(manager)
    client.patch(f"{URL}{contact.pk}/", {"birthday": "1980-05-17"}, format="json")

    history = client.get(f"{URL}{contact.pk}/history/").json()

    assert [(c["field"], c["old"], c["new"]) for c in history[0]["changes"]] == [
        ("birthday", None, "1980-05-17")
    ]
