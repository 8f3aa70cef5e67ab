"""Contract pages: list, register from the counterparty page, edit with history, foreign ones 404."""

import pytest
from django.urls import reverse

from sdelka.documents.models import Contract
from sdelka.documents.tests.factories import ContractFactory
from sdelka.partners.tests.factories import CounterpartyFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_only_contracts_of_the_users_partners(manager, outsider, page_client_for):
    ContractFactory(counterparty__partner__manager=manager, number="MINE-1")
    ContractFactory(counterparty__partner__manager=outsider, number="THEIRS-1")

    page = page_client_for(manager).get(reverse("documents:contract_list")).content.decode()

    assert "MINE-1" in page and "THEIRS-1" not in page


def test_the_list_filters_by_status(manager, page_client_for):
    ContractFactory(counterparty__partner__manager=manager, number="ACT-1", status="active")
    ContractFactory(counterparty__partner__manager=manager, number="CLS-1", status="closed")

    page = (
        page_client_for(manager)
        .get(reverse("documents:contract_list"), {"status": "closed"})
        .content.decode()
    )

    assert "CLS-1" in page and "ACT-1" not in page


def test_registering_a_contract_from_the_counterparty_page(manager, page_client_for):
    counterparty = CounterpartyFactory(partner__manager=manager)
    client = page_client_for(manager)

    counterparty_page = client.get(
        reverse("partners:counterparty_edit", args=[counterparty.pk])
    ).content.decode()
    assert f"{reverse('documents:contract_create')}?counterparty={counterparty.pk}" in counterparty_page

    bad = client.post(
        reverse("documents:contract_create"),
        {
            "counterparty": counterparty.pk,
            "number": "5",
            "date": "2026-02-01",
            "valid_from": "2026-03-01",
            "valid_to": "2026-02-01",
            "status": "active",
            "currency": "RUB",
        },
    )
    assert bad.status_code == 200
    assert "cannot end before it starts" in bad.content.decode()
    assert not Contract.objects.exists()

    good = client.post(
        reverse("documents:contract_create"),
        {
            "counterparty": counterparty.pk,
            "number": "5",
            "date": "2026-02-01",
            "status": "active",
            "currency": "RUB",
        },
    )
    contract = Contract.objects.get()
    assert good.status_code == 302 and good.url == reverse("documents:contract_detail", args=[contract.pk])
    assert "5" in client.get(reverse("partners:counterparty_edit", args=[counterparty.pk])).content.decode()


def test_editing_shows_the_change_in_the_history(manager, page_client_for):
    contract = ContractFactory(counterparty__partner__manager=manager, subject="Supply")
    client = page_client_for(manager)

    client.post(
        reverse("documents:contract_edit", args=[contract.pk]),
        {
            "counterparty": contract.counterparty_id,
            "number": contract.number,
            "date": "2026-01-15",
            "status": "active",
            "currency": "RUB",
            "subject": "Supply and installation",
        },
    )

    page = client.get(reverse("documents:contract_detail", args=[contract.pk])).content.decode()
    assert "Supply and installation" in page
    assert '<span class="old">Supply</span>' in page


def test_a_foreign_contract_answers_404_on_every_page(manager, outsider, page_client_for):
    contract = ContractFactory(counterparty__partner__manager=outsider)
    client = page_client_for(manager)

    for name in ("documents:contract_detail", "documents:contract_edit", "documents:contract_delete"):
        assert client.get(reverse(name, args=[contract.pk])).status_code == 404
    assert client.post(reverse("documents:contract_delete", args=[contract.pk])).status_code == 404
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_a_marketer_cannot_register_contracts(marketer, page_client_for):
    assert page_client_for(marketer).get(reverse("documents:contract_create")).status_code == 403
