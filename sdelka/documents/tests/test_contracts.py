"""Contracts with counterparties: rules of the service, and the API through the partner's scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.documents import services
from sdelka.documents.models import Contract
from sdelka.documents.tests.factories import ContractFactory
from sdelka.partners.tests.factories import CounterpartyFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/contracts/"


@pytest.fixture
def counterparty(manager):
    return CounterpartyFactory(partner__manager=manager)


def test_a_manager_registers_a_contract_with_their_counterparty(manager, counterparty):
    contract = services.contract_create(
        actor=manager,
        data={
            "counterparty": counterparty,
            "number": " 15/26 ",
            "date": datetime.date(2026, 3, 1),
            "valid_from": datetime.date(2026, 3, 1),
            "valid_to": datetime.date(2026, 12, 31),
            "status": "active",
            "amount_limit": Decimal("1500000.00"),
        },
    )

    assert contract.number == "15/26"
    assert contract.is_valid_on(datetime.date(2026, 6, 1))
    assert not contract.is_valid_on(datetime.date(2027, 1, 1))
    assert contract.history.get().history_user == manager


def test_a_contract_cannot_end_before_it_starts(manager, counterparty):
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            actor=manager,
            data={
                "counterparty": counterparty,
                "number": "1",
                "date": datetime.date(2026, 3, 1),
                "valid_from": datetime.date(2026, 3, 1),
                "valid_to": datetime.date(2026, 2, 1),
            },
        )
    assert "valid_to" in error.value.message_dict
    assert not Contract.objects.exists()


def test_a_number_is_unique_per_counterparty(manager, counterparty):
    ContractFactory(counterparty=counterparty, number="7")
    other = CounterpartyFactory(partner=counterparty.partner)

    with pytest.raises(ValidationError) as error:
        services.contract_create(
            actor=manager,
            data={"counterparty": counterparty, "number": "7", "date": datetime.date(2026, 1, 1)},
        )
    assert "number" in error.value.message_dict
    services.contract_create(
        actor=manager, data={"counterparty": other, "number": "7", "date": datetime.date(2026, 1, 1)}
    )


def test_no_contract_for_a_counterparty_outside_the_scope(manager, outsider):
    foreign = CounterpartyFactory(partner__manager=outsider)
    with pytest.raises(ValidationError) as error:
        services.contract_create(
            actor=manager, data={"counterparty": foreign, "number": "1", "date": datetime.date(2026, 1, 1)}
        )
    assert "counterparty" in error.value.message_dict


def test_a_marketer_does_not_register_contracts(marketer, counterparty):
    with pytest.raises(PermissionDenied):
        services.contract_create(
            actor=marketer,
            data={"counterparty": counterparty, "number": "1", "date": datetime.date(2026, 1, 1)},
        )


def test_the_api_creates_lists_and_filters_contracts(manager, counterparty, api_client_for):
    client = api_client_for(manager)

    created = client.post(
        URL,
        {
            "counterparty": counterparty.pk,
            "number": "A-1",
            "date": "2026-02-01",
            "status": "active",
            "amount_limit": "1000.50",
        },
        format="json",
    )
    ContractFactory(counterparty=counterparty, number="B-2", status="closed")

    assert created.status_code == 201, created.content
    assert created.json()["amount_limit"] == "1000.50"
    active = client.get(URL, {"status": "active"}).json()
    assert [row["number"] for row in active["results"]] == ["A-1"]
    by_partner = client.get(URL, {"partner": counterparty.partner_id}).json()
    assert by_partner["count"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"number": "X", "date": "2026-13-01"}, "date"),
        ({"number": "", "date": "2026-01-01"}, "number"),
        ({"number": "X", "date": "2026-01-01", "amount_limit": "-5"}, "amount_limit"),
        ({"number": "X", "date": "2026-01-01", "currency": "XXX"}, "currency"),
        ({"number": "X" * 51, "date": "2026-01-01"}, "number"),
        (
            {"number": "X", "date": "2026-01-01", "valid_from": "2026-05-01", "valid_to": "2026-04-01"},
            "valid_to",
        ),
    ],
)
def test_bad_input_is_400_with_the_field_and_nothing_stored(
    manager, counterparty, api_client_for, body, field
):
    response = api_client_for(manager).post(URL, {"counterparty": counterparty.pk, **body}, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Contract.objects.exists()


def test_a_foreign_contract_is_not_found_for_every_action(manager, outsider, api_client_for):
    contract = ContractFactory(counterparty__partner__manager=outsider)
    client = api_client_for(manager)
    url = f"{URL}{contract.pk}/"

    statuses = [
        client.get(url).status_code,
        client.patch(url, {"comment": "x"}, format="json").status_code,
        client.delete(url).status_code,
        client.get(f"{url}history/").status_code,
    ]

    assert statuses == [404] * 4
    assert client.get(URL).json()["count"] == 0
    foreign_counterparty = client.post(
        URL, {"counterparty": contract.counterparty_id, "number": "Z", "date": "2026-01-01"}, format="json"
    )
    assert foreign_counterparty.status_code == 400 and "counterparty" in foreign_counterparty.json()


def test_a_manager_cannot_delete_a_contract_but_a_head_can(manager, head, counterparty, api_client_for):
    contract = ContractFactory(counterparty=counterparty)

    assert api_client_for(manager).delete(f"{URL}{contract.pk}/").status_code == 403
    assert api_client_for(head).delete(f"{URL}{contract.pk}/").status_code == 204


def test_the_list_costs_the_same_queries_for_one_and_for_fifty(manager, counterparty, api_client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client_for(manager)
    ContractFactory(counterparty=counterparty)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(49):
        ContractFactory(counterparty=CounterpartyFactory(partner__manager=manager))
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(URL).json()["count"] == 50

    assert len(one) == len(fifty)
