"""The counterparties API: /api/v1/counterparties/."""

from __future__ import annotations

import pytest

from sdelka.core.api.testing import list_ids, queries_of_get
from sdelka.partners.models import Counterparty
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

URL = "/api/v1/counterparties/"
VALID_INN = "7707083893"
OTHER_VALID_INN = "7736207543"
WRONG_CHECKSUM_INN = "7707083894"

FIELDS = {
    "id",
    "partner",
    "name",
    "full_name",
    "legal_form",
    "country",
    "inn",
    "kpp",
    "ogrn",
    "bin",
    "tax_number",
    "legal_address",
    "bank_name",
    "bik",
    "bank_account",
    "correspondent_account",
}


@pytest.fixture
def own_partner(manager):
    return PartnerFactory(name="Romashka", manager=manager)


@pytest.fixture
def foreign_partner(outsider):
    return PartnerFactory(name="Their client", manager=outsider)


def test_a_manager_adds_a_counterparty_to_own_partner(manager, own_partner, api_client_for):
    response = api_client_for(manager).post(
        URL,
        {"partner": own_partner.pk, "name": "Romashka LLC", "inn": VALID_INN, "kpp": "773601001"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert "allow_duplicate" not in body
    assert body["country"] == "RU"
    counterparty = Counterparty.objects.get(pk=body["id"])
    assert (counterparty.partner, counterparty.inn) == (own_partner, VALID_INN)


def test_an_inn_with_a_wrong_checksum_is_refused(manager, own_partner, api_client_for):
    response = api_client_for(manager).post(
        URL, {"partner": own_partner.pk, "name": "Romashka LLC", "inn": WRONG_CHECKSUM_INN}, format="json"
    )

    assert response.status_code == 400
    assert "inn" in response.json()
    assert not Counterparty.objects.exists()


def test_a_foreign_partner_is_not_found_as_the_counterpartys_partner(
    manager, foreign_partner, api_client_for
):
    response = api_client_for(manager).post(
        URL, {"partner": foreign_partner.pk, "name": "Mine now"}, format="json"
    )

    assert response.status_code == 400
    assert "partner" in response.json()
    assert not Counterparty.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X"}, "partner"),
        ({"name": ""}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": "X", "country": "US"}, "country"),
        ({"name": "X", "legal_form": "guild"}, "legal_form"),
        ({"name": "X", "inn": "1" * 13}, "inn"),
        ({"name": "X", "inn": 7707083893}, "inn"),
        ({"name": "X", "kpp": "77360100"}, "kpp"),
        ({"name": "X", "country": "KZ", "inn": VALID_INN}, "inn"),
        ({"name": "X", "country": "KZ", "bin": "123456789012"}, "bin"),
        ({"name": "X", "legal_form": "sole_trader", "inn": VALID_INN}, "inn"),
        ({"name": "X", "bank_account": "40702810900000000001"}, "bik"),
        ({"name": "X", "allow_duplicate": "perhaps"}, "allow_duplicate"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(manager, own_partner, api_client_for, payload, field):
    payload = {"partner": own_partner.pk, **payload} if field != "partner" else payload

    response = api_client_for(manager).post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Counterparty.objects.exists()


def test_a_duplicate_inn_names_only_what_the_caller_may_know(
    manager, own_partner, foreign_partner, api_client_for
):
    theirs = CounterpartyFactory(partner=foreign_partner, name="Their LLC", inn=VALID_INN)
    ours = CounterpartyFactory(partner=own_partner, name="Our LLC", inn=VALID_INN)

    response = api_client_for(manager).post(
        URL, {"partner": own_partner.pk, "name": "Third", "inn": VALID_INN}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert "inn" in body
    by_id = {item["id"]: item for item in body["duplicates"]}
    assert by_id[theirs.pk] == {"id": theirs.pk, "name": "Their LLC"}
    assert by_id[ours.pk] == {"id": ours.pk, "name": "Our LLC", "partner": own_partner.pk}
    assert Counterparty.objects.count() == 2


def test_a_duplicate_is_created_when_the_caller_confirms(manager, own_partner, api_client_for):
    CounterpartyFactory(partner=own_partner, inn=VALID_INN)

    response = api_client_for(manager).post(
        URL,
        {"partner": own_partner.pk, "name": "Second", "inn": VALID_INN, "allow_duplicate": True},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Counterparty.objects.filter(inn=VALID_INN).count() == 2


def test_a_marketer_may_read_but_not_create_counterparties(marketer, own_partner, api_client_for):
    counterparty = CounterpartyFactory(partner=own_partner)
    client = api_client_for(marketer)

    assert list_ids(client.get(URL)) == [counterparty.pk]
    assert client.post(URL, {"partner": own_partner.pk, "name": "X"}, format="json").status_code == 403
    assert client.delete(f"{URL}{counterparty.pk}/").status_code == 403


def test_a_foreign_counterparty_is_never_listed_and_not_found_for_every_action(
    manager, own_partner, foreign_partner, api_client_for
):
    ours = CounterpartyFactory(partner=own_partner)
    theirs = CounterpartyFactory(partner=foreign_partner, name="Theirs")
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


def test_the_list_filters_searches_orders_and_pages(manager, own_partner, api_client_for):
    other_partner = PartnerFactory(manager=manager)
    romashka = CounterpartyFactory(partner=own_partner, name="Romashka", inn=VALID_INN)
    lilia = CounterpartyFactory(partner=other_partner, name="Lilia", inn=OTHER_VALID_INN)
    kz = CounterpartyFactory(partner=other_partner, name="Astana", country="KZ", legal_form="llp")
    client = api_client_for(manager)

    assert list_ids(client.get(URL, {"partner": own_partner.pk})) == [romashka.pk]
    assert list_ids(client.get(URL, {"country": "KZ"})) == [kz.pk]
    assert list_ids(client.get(URL, {"inn": OTHER_VALID_INN})) == [lilia.pk]
    assert list_ids(client.get(URL, {"search": "omash"})) == [romashka.pk]
    assert list_ids(client.get(URL, {"ordering": "-name"})) == [romashka.pk, lilia.pk, kz.pk]
    assert list_ids(client.get(URL, {"page_size": 1, "page": 2})) == [lilia.pk]


def test_filtering_by_a_foreign_partner_is_refused(manager, foreign_partner, api_client_for):
    response = api_client_for(manager).get(URL, {"partner": foreign_partner.pk})

    assert response.status_code == 400
    assert "partner" in response.json()


def test_an_update_checks_the_tax_id_and_keeps_the_record_on_error(manager, own_partner, api_client_for):
    counterparty = CounterpartyFactory(partner=own_partner, name="Romashka", inn=VALID_INN)
    client = api_client_for(manager)
    url = f"{URL}{counterparty.pk}/"

    refused = client.patch(url, {"name": "Renamed", "inn": WRONG_CHECKSUM_INN}, format="json")
    changed = client.patch(url, {"inn": OTHER_VALID_INN}, format="json")

    assert refused.status_code == 400
    assert "inn" in refused.json()
    assert changed.status_code == 200, changed.content
    counterparty.refresh_from_db()
    assert (counterparty.name, counterparty.inn) == ("Romashka", OTHER_VALID_INN)


def test_a_counterparty_cannot_be_moved_to_a_foreign_partner(
    manager, own_partner, foreign_partner, api_client_for
):
    counterparty = CounterpartyFactory(partner=own_partner)

    response = api_client_for(manager).patch(
        f"{URL}{counterparty.pk}/", {"partner": foreign_partner.pk}, format="json"
    )

    assert response.status_code == 400
    assert "partner" in response.json()
    counterparty.refresh_from_db()
    assert counterparty.partner == own_partner


def test_the_history_shows_the_changed_inn(manager, own_partner, api_client_for):
    client = api_client_for(manager)
    created = client.post(
        URL, {"partner": own_partner.pk, "name": "Romashka", "inn": VALID_INN}, format="json"
    )
    url = f"{URL}{created.json()['id']}/"
    client.patch(url, {"inn": OTHER_VALID_INN}, format="json")

    newest = client.get(f"{url}history/").json()[0]

    assert newest["change_type"] == "~"
    assert [(c["field"], c["old"], c["new"]) for c in newest["changes"]] == [
        ("inn", VALID_INN, OTHER_VALID_INN)
    ]


def test_a_manager_deletes_a_counterparty(manager, own_partner, api_client_for):
    counterparty = CounterpartyFactory(partner=own_partner)

    response = api_client_for(manager).delete(f"{URL}{counterparty.pk}/")

    assert response.status_code == 204
    assert not Counterparty.objects.exists()


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, own_partner, api_client_for):
    client = api_client_for(manager)
    CounterpartyFactory(partner=own_partner)
    queries_for_one = queries_of_get(client, URL)
    CounterpartyFactory.create_batch(49, partner=own_partner)

    assert queries_of_get(client, URL) == queries_for_one
