"""The deal form's selects that follow the client (counterparty, contacts) and the counterparty (contract)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory, DealKindFactory
from sdelka.documents.tests.factories import ContractFactory
from sdelka.partners.tests.factories import ContactPersonFactory, CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db
OPTIONS = reverse("deals:deal_form_options")


def _client_with_records(manager, name):
    partner = PartnerFactory(manager=manager, name=name)
    counterparty = CounterpartyFactory(partner=partner, name=f"{name} LLC")
    contact = ContactPersonFactory(partner=partner, name=f"{name} Contact")
    contract = ContractFactory(counterparty=counterparty, number=f"{name}-1")
    return partner, counterparty, contact, contract


def test_the_options_follow_the_chosen_client(page_client_for, manager):
    acme, _acme_llc, _acme_contact, _ = _client_with_records(manager, "Acme")
    _client_with_records(manager, "Zeta")

    response = page_client_for(manager).get(OPTIONS, {"partner": acme.pk}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and 'id="deal-parties"' in html and "<html" not in html
    assert "Acme LLC" in html and "Acme Contact" in html
    assert "Zeta LLC" not in html and "Zeta Contact" not in html
    assert list(response.context["form"].fields["contract"].queryset) == []


def test_the_contracts_follow_the_chosen_counterparty(page_client_for, manager):
    acme, acme_llc, _, acme_contract = _client_with_records(manager, "Acme")
    other_llc = CounterpartyFactory(partner=acme, name="Acme Two")
    ContractFactory(counterparty=other_llc, number="TWO-9")

    response = page_client_for(manager).get(
        OPTIONS, {"partner": acme.pk, "counterparty": acme_llc.pk, "contract": acme_contract.pk}
    )

    html = response.content.decode()
    assert f'<option value="{acme_contract.pk}" selected>' in html and "TWO-9" not in html
    assert f'<option value="{acme_llc.pk}" selected>' in html


def test_a_choice_of_the_previous_client_is_dropped(page_client_for, manager):
    _, acme_llc, acme_contact, acme_contract = _client_with_records(manager, "Acme")
    zeta, *_ = _client_with_records(manager, "Zeta")

    response = page_client_for(manager).get(
        OPTIONS,
        {
            "partner": zeta.pk,
            "counterparty": acme_llc.pk,
            "contract": acme_contract.pk,
            "contacts": acme_contact.pk,
        },
    )

    html = response.content.decode()
    assert "Acme" not in html and " selected>" not in html


def test_the_options_of_a_client_the_user_does_not_see_are_not_given(page_client_for, manager, outsider):
    hidden, *_ = _client_with_records(outsider, "Hidden")

    html = page_client_for(manager).get(OPTIONS, {"partner": hidden.pk}).content.decode()

    assert "Hidden" not in html


def test_the_options_need_a_role_that_writes_deals_and_a_deal_the_user_sees(
    page_client_for, marketer, manager, outsider
):
    assert page_client_for(marketer).get(OPTIONS).status_code == 403
    foreign = DealFactory(manager=outsider)
    assert page_client_for(manager).get(OPTIONS, {"deal": foreign.pk}).status_code == 404


def test_the_options_of_a_deal_keep_its_own_client_for_a_collaborator(page_client_for, teammate, outsider):
    partner, counterparty, _, _contract = _client_with_records(outsider, "Theirs")
    deal = DealFactory(manager=outsider, partner=partner, counterparty=counterparty)
    deal.collaborators.add(teammate)

    html = page_client_for(teammate).get(OPTIONS, {"deal": deal.pk, "partner": partner.pk}).content.decode()

    assert "Theirs LLC" in html


def test_the_form_selects_reload_through_htmx(page_client_for, manager):
    deal = DealFactory(manager=manager)
    client = page_client_for(manager)

    new_form = client.get(reverse("deals:deal_create")).content.decode()
    edit_form = client.get(reverse("deals:deal_edit", args=[deal.pk])).content.decode()

    assert f'hx-get="{OPTIONS}"' in new_form and 'hx-target="#deal-parties"' in new_form
    assert f'hx-get="{OPTIONS}?deal={deal.pk}"' in edit_form
    assert 'name="contract"' in edit_form


def test_a_deal_is_created_with_a_contract(page_client_for, manager):
    partner, counterparty, contact, contract = _client_with_records(manager, "Acme")

    response = page_client_for(manager).post(
        reverse("deals:deal_create"),
        {
            "name": "With contract",
            "partner": partner.pk,
            "counterparty": counterparty.pk,
            "contract": contract.pk,
            "contacts": [contact.pk],
            "kind": DealKindFactory().pk,
            "manager": manager.pk,
            "expected_amount": "10",
            "currency": "RUB",
        },
    )

    assert response.status_code == 302
    deal = Deal.objects.get(name="With contract")
    assert (deal.contract, deal.counterparty, list(deal.contacts.all())) == (
        contract,
        counterparty,
        [contact],
    )


def test_a_contract_of_another_counterparty_is_refused_beside_the_field(page_client_for, manager):
    partner, counterparty, _, _ = _client_with_records(manager, "Acme")
    _, _, _, foreign_contract = _client_with_records(manager, "Zeta")
    deal = DealFactory(manager=manager, partner=partner, counterparty=counterparty)

    response = page_client_for(manager).post(
        reverse("deals:deal_edit", args=[deal.pk]),
        {
            "name": deal.name,
            "partner": partner.pk,
            "counterparty": counterparty.pk,
            "contract": foreign_contract.pk,
            "manager": manager.pk,
            "expected_amount": "0",
            "currency": "RUB",
            "version": deal.version,
        },
    )

    assert response.status_code == 200 and "contract" in response.context["form"].errors
    deal.refresh_from_db()
    assert deal.contract is None and deal.version == 1


def test_a_contract_is_saved_on_an_edit_and_shown_on_the_main_tab(page_client_for, manager):
    partner, counterparty, _, contract = _client_with_records(manager, "Acme")
    deal = DealFactory(manager=manager, partner=partner, counterparty=counterparty)
    client = page_client_for(manager)

    response = client.post(
        reverse("deals:deal_edit", args=[deal.pk]),
        {
            "name": deal.name,
            "partner": partner.pk,
            "counterparty": counterparty.pk,
            "contract": contract.pk,
            "manager": manager.pk,
            "expected_amount": "0",
            "currency": "RUB",
            "version": deal.version,
        },
        follow=True,
    )

    deal.refresh_from_db()
    assert deal.contract == contract
    assert "Acme-1" in response.content.decode()
