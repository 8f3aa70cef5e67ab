"""The individuals API: /api/v1/individuals/."""

from __future__ import annotations

import pytest

from sdelka.core.api.testing import list_ids, queries_of_get
from sdelka.partners.models import Individual
from sdelka.partners.tests.factories import IndividualFactory

URL = "/api/v1/individuals/"
FIELDS = {"id", "name", "gender", "birthday", "inn", "phones", "emails", "address", "comment"}
PERSONAL_INN = "500100732259"


def test_any_role_records_an_individual(marketer, api_client_for):
    response = api_client_for(marketer).post(
        URL,
        {"name": "Anna Ivanova", "gender": "female", "inn": PERSONAL_INN, "emails": ["anna@example.com"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert set(response.json()) == FIELDS
    assert Individual.objects.get().inn == PERSONAL_INN


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "A", "gender": "other"}, "gender"),
        ({"name": "A", "inn": "7707083893"}, "inn"),
        ({"name": "A", "inn": "500100732258"}, "inn"),
        ({"name": "A", "inn": "5" * 13}, "inn"),
        ({"name": "A", "birthday": "yesterday"}, "birthday"),
        ({"name": "A", "address": "x" * 501}, "address"),
        ({"name": "A", "phones": [None]}, "phones"),
        ({"name": "A", "emails": "anna@example.com"}, "emails"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(manager, api_client_for, payload, field):
    response = api_client_for(manager).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Individual.objects.exists()


def test_the_list_filters_searches_orders_and_pages(manager, api_client_for):
    anna = IndividualFactory(name="Anna", gender="female")
    boris = IndividualFactory(name="Boris", gender="male")
    vera = IndividualFactory(name="Vera", gender="female", inn=PERSONAL_INN)
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"gender": "male"})) == [boris.pk]
    assert list_ids(client.get(URL, {"search": PERSONAL_INN})) == [vera.pk]
    assert list_ids(client.get(URL, {"ordering": "-name"})) == [vera.pk, boris.pk, anna.pk]
    assert list_ids(client.get(URL, {"page_size": 2, "page": 2})) == [vera.pk]


def test_an_update_is_kept_in_the_history(manager, api_client_for):
    individual = IndividualFactory(name="Anna", address="Tver")
    client = api_client_for(manager)

    response = client.put(f"{URL}{individual.pk}/", {"name": "Anna", "address": "Moscow"}, format="json")
    history = client.get(f"{URL}{individual.pk}/history/").json()

    assert response.status_code == 200, response.content
    assert [(c["field"], c["old"], c["new"]) for c in history[0]["changes"]] == [
        ("address", "Tver", "Moscow")
    ]


def test_a_refused_update_changes_nothing(manager, api_client_for):
    individual = IndividualFactory(name="Anna", address="Tver")

    response = api_client_for(manager).patch(
        f"{URL}{individual.pk}/", {"address": "Moscow", "inn": "123"}, format="json"
    )

    assert response.status_code == 400
    assert "inn" in response.json()
    individual.refresh_from_db()
    assert individual.address == "Tver"


def test_a_manager_may_not_delete_an_individual_but_a_head_may(manager, head, api_client_for):
    individual = IndividualFactory()
    url = f"{URL}{individual.pk}/"

    assert api_client_for(manager).delete(url).status_code == 403
    assert api_client_for(head).delete(url).status_code == 204
    assert not Individual.objects.exists()


def test_a_missing_individual_is_not_found_for_every_action(head, api_client_for):
    client = api_client_for(head)
    url = f"{URL}999999/"

    assert client.get(url).status_code == 404
    assert client.put(url, {"name": "A"}, format="json").status_code == 404
    assert client.patch(url, {"name": "A"}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(f"{url}history/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, api_client_for):
    client = api_client_for(manager)
    IndividualFactory()
    queries_for_one = queries_of_get(client, URL)
    IndividualFactory.create_batch(49)

    assert queries_of_get(client, URL) == queries_for_one
