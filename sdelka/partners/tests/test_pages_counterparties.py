"""Counterparties on the partner's page: validation next to the fields, the duplicate guard, editing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sdelka.partners.models import Counterparty
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
VALID_INN, OTHER_VALID_INN, WRONG_INN = "7707083893", "7736207543", "7707083894"


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def form_data(**overrides) -> dict:
    data = {"name": "Romashka LLC", "legal_form": "llc", "country": "RU", "inn": VALID_INN}
    data.update(overrides)
    return data


def create_url(partner) -> str:
    return reverse("partners:counterparty_create", args=[partner.pk])


def test_add_a_counterparty_with_htmx_returns_the_tab(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(create_url(partner), form_data(kpp="773601001"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="partner-tabs"' in html and "<html" not in html
    assert "Counterparty “Romashka LLC” added." in html
    counterparty = partner.counterparties.get()
    assert (counterparty.inn, counterparty.kpp) == (VALID_INN, "773601001")


def test_add_without_htmx_redirects_to_the_tab(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(create_url(partner), form_data())

    assert response.status_code == 302
    assert response["Location"].endswith(f"/partners/{partner.pk}/?tab=counterparties")


def test_a_wrong_inn_shows_the_message_next_to_the_field_and_stores_nothing(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(create_url(partner), form_data(inn=WRONG_INN), **HTMX)

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'id="field-inn".*?<div class="error">INN checksum is wrong: check the digits.</div>', html, re.S
    )
    assert not Counterparty.objects.exists()


def test_a_wrong_inn_without_htmx_rerenders_the_partner_page(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(create_url(partner), form_data(inn=WRONG_INN))

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert "INN checksum is wrong" in response.content.decode()
    assert not Counterparty.objects.exists()


def test_kazakh_fields_on_a_russian_counterparty_are_refused(page_client_for, manager):
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(create_url(partner), form_data(bin="123"), **HTMX)

    assert re.search(r'id="field-bin".*?BIN/IIN is for Kazakhstan', response.content.decode(), re.S)
    assert not Counterparty.objects.exists()


def test_duplicate_inn_warns_then_create_anyway_works(page_client_for, manager):
    partner = PartnerFactory(manager=manager)
    existing = CounterpartyFactory(partner=PartnerFactory(name="Sister", manager=manager), inn=VALID_INN)
    client = page_client_for(manager)

    warned = client.post(create_url(partner), form_data(), **HTMX)

    html = warned.content.decode()
    assert warned.status_code == 400
    assert "A counterparty with this tax id is already on file" in html
    assert f'href="/partners/{existing.partner_id}/?tab=counterparties">{existing.name}</a>' in html
    assert 'name="allow_duplicate"' in html
    assert partner.counterparties.count() == 0

    confirmed = client.post(create_url(partner), form_data(allow_duplicate="on"), **HTMX)

    assert confirmed.status_code == 200
    assert partner.counterparties.filter(inn=VALID_INN).count() == 1


def test_a_duplicate_of_a_partner_out_of_reach_is_not_revealed(page_client_for, manager, outsider):
    partner = PartnerFactory(manager=manager)
    hidden = CounterpartyFactory(partner=PartnerFactory(name="Secret", manager=outsider), inn=VALID_INN)

    response = page_client_for(manager).post(create_url(partner), form_data(), **HTMX)

    html = response.content.decode()
    assert "belongs to a partner you do not have access to" in html
    assert "Secret" not in html
    assert f"/partners/{hidden.partner_id}/" not in html


def test_a_different_inn_is_no_duplicate(page_client_for, manager):
    partner = PartnerFactory(manager=manager)
    CounterpartyFactory(partner=partner, inn=VALID_INN)

    response = page_client_for(manager).post(create_url(partner), form_data(inn=OTHER_VALID_INN), **HTMX)

    assert response.status_code == 200
    assert partner.counterparties.count() == 2


def test_edit_page_saves_and_shows_history(page_client_for, manager):
    counterparty = CounterpartyFactory(partner=PartnerFactory(manager=manager), name="Old LLC", inn=VALID_INN)
    client = page_client_for(manager)
    url = reverse("partners:counterparty_edit", args=[counterparty.pk])

    response = client.post(url, form_data(name="New LLC"))
    page = client.get(url)

    assert response.status_code == 302
    counterparty.refresh_from_db()
    assert counterparty.name == "New LLC"
    assert re.search(
        r'<span class="old">Old LLC</span>\s*<span class="arrow">→</span>\s*<span class="new">New LLC</span>',
        page.content.decode(),
    )


def test_edit_with_a_wrong_inn_keeps_the_stored_one(page_client_for, manager):
    counterparty = CounterpartyFactory(partner=PartnerFactory(manager=manager), inn=VALID_INN)

    response = page_client_for(manager).post(
        reverse("partners:counterparty_edit", args=[counterparty.pk]), form_data(inn=WRONG_INN)
    )

    assert re.search(r'id="field-inn".*?INN checksum is wrong', response.content.decode(), re.S)
    counterparty.refresh_from_db()
    assert counterparty.inn == VALID_INN


def test_a_foreign_counterparty_answers_404(page_client_for, manager, outsider):
    foreign = CounterpartyFactory(partner=PartnerFactory(manager=outsider))
    client = page_client_for(manager)

    assert client.get(reverse("partners:counterparty_edit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("partners:counterparty_delete", args=[foreign.pk])).status_code == 404
    assert Counterparty.objects.filter(pk=foreign.pk).exists()


def test_delete_a_counterparty(page_client_for, manager):
    counterparty = CounterpartyFactory(partner=PartnerFactory(manager=manager))

    response = page_client_for(manager).post(reverse("partners:counterparty_delete", args=[counterparty.pk]))

    assert response.status_code == 302
    assert not Counterparty.objects.filter(pk=counterparty.pk).exists()


def test_a_marketer_reads_a_counterparty_but_cannot_add_or_change_it(page_client_for, marketer):
    partner = PartnerFactory()
    counterparty = CounterpartyFactory(partner=partner, name="Read only")
    client = page_client_for(marketer)

    tab = client.get(reverse("partners:partner_detail", args=[partner.pk]), {"tab": "counterparties"})
    page = client.get(reverse("partners:counterparty_edit", args=[counterparty.pk]))

    assert "Add counterparty" not in tab.content.decode()
    assert page.status_code == 200
    assert "disabled" in page.content.decode()
    assert client.post(create_url(partner), form_data()).status_code == 403
    assert (
        client.post(reverse("partners:counterparty_edit", args=[counterparty.pk]), form_data()).status_code
        == 403
    )
