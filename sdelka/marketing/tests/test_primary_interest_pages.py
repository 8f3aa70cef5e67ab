"""Primary interest on the partner and deal forms and cards, the source select that follows the channel,
and the "New clients" page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory, DealKindFactory
from sdelka.marketing.choices import SourceType
from sdelka.marketing.tests.factories import MarketingEventFactory, channel_of
from sdelka.partners.models import ContactPerson, Partner
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_the_source_select_offers_records_of_the_channels_type(page_client_for, manager, outsider):
    channel = channel_of(SourceType.PARTNER)
    PartnerFactory(name="Mine", manager=manager)
    PartnerFactory(name="Theirs", manager=outsider)

    response = page_client_for(manager).get(
        reverse("marketing:primary_interest_source_options"), {"primary_interest_channel": channel.pk}
    )

    content = response.content.decode()
    assert 'id="primary-interest-source"' in content
    assert "Mine" in content and "Theirs" not in content


def test_the_source_select_narrows_by_a_search(page_client_for, manager):
    channel = channel_of(SourceType.EVENT)
    MarketingEventFactory(name="Stroyexpo")
    MarketingEventFactory(name="Webinar")

    content = (
        page_client_for(manager)
        .get(
            reverse("marketing:primary_interest_source_options"),
            {"primary_interest_channel": channel.pk, "q": "stroy"},
        )
        .content.decode()
    )

    assert "Stroyexpo" in content and "Webinar" not in content


def test_a_channel_without_sources_offers_none(page_client_for, manager):
    channel = channel_of("")

    content = (
        page_client_for(manager)
        .get(reverse("marketing:primary_interest_source_options"), {"primary_interest_channel": channel.pk})
        .content.decode()
    )

    assert "the channel takes no source" in content


def test_the_partner_form_stores_the_primary_interest(page_client_for, manager):
    channel = channel_of(SourceType.EVENT)
    event = MarketingEventFactory()

    response = page_client_for(manager).post(
        reverse("partners:partner_create"),
        {
            "name": "Lead",
            "kind": "company",
            "is_client": "on",
            "manager": manager.pk,
            "primary_interest_channel": channel.pk,
            "primary_interest_source": f"event:{event.pk}",
        },
    )

    assert response.status_code == 302
    partner = Partner.objects.get(name="Lead")
    assert partner.primary_interest_source == event
    card = (
        page_client_for(manager).get(reverse("partners:partner_detail", args=[partner.pk])).content.decode()
    )
    assert channel.name in card and event.name in card


def test_the_partner_form_tells_a_source_of_the_wrong_type(page_client_for, manager):
    channel = channel_of(SourceType.EVENT)

    response = page_client_for(manager).post(
        reverse("partners:partner_create"),
        {
            "name": "Lead",
            "kind": "company",
            "is_client": "on",
            "primary_interest_channel": channel.pk,
            "primary_interest_source": f"user:{manager.pk}",
        },
    )

    assert response.status_code == 200
    assert "takes a source of the type “Marketing event”" in response.content.decode()
    assert not Partner.objects.filter(name="Lead").exists()


def test_the_partner_form_refuses_a_source_that_is_not_in_the_list(page_client_for, manager, outsider):
    channel = channel_of(SourceType.PARTNER)
    foreign = PartnerFactory(manager=outsider)

    response = page_client_for(manager).post(
        reverse("partners:partner_create"),
        {
            "name": "Lead",
            "kind": "company",
            "is_client": "on",
            "primary_interest_channel": channel.pk,
            "primary_interest_source": f"partner:{foreign.pk}",
        },
    )

    assert "Choose a source from the list." in response.content.decode()
    assert not Partner.objects.filter(name="Lead").exists()


def test_the_partner_edit_form_shows_the_current_source(page_client_for, manager):
    channel = channel_of(SourceType.USER)
    partner = PartnerFactory(
        manager=manager, primary_interest_channel=channel, primary_interest_source_user=manager
    )

    content = (
        page_client_for(manager).get(reverse("partners:partner_edit", args=[partner.pk])).content.decode()
    )

    assert f'value="user:{manager.pk}" selected' in content


def test_the_deal_form_takes_the_clients_interest_when_left_empty(page_client_for, manager):
    channel = channel_of(SourceType.EVENT)
    event = MarketingEventFactory()
    client = PartnerFactory(
        manager=manager, primary_interest_channel=channel, primary_interest_source_event=event
    )

    response = page_client_for(manager).post(
        reverse("deals:deal_create"),
        {
            "name": "Supply",
            "partner": client.pk,
            "kind": DealKindFactory().pk,
            "manager": manager.pk,
            "expected_amount": "0",
            "currency": "RUB",
        },
    )

    assert response.status_code == 302, response.content.decode()
    deal = Deal.objects.get(name="Supply")
    assert (deal.primary_interest_channel, deal.primary_interest_source) == (channel, event)
    card = page_client_for(manager).get(reverse("deals:deal_detail", args=[deal.pk])).content.decode()
    assert event.name in card


def test_the_deal_edit_form_changes_the_interest(page_client_for, manager):
    deal = DealFactory(manager=manager)
    channel = channel_of(SourceType.USER)

    response = page_client_for(manager).post(
        reverse("deals:deal_edit", args=[deal.pk]),
        {
            "name": deal.name,
            "partner": deal.partner_id,
            "manager": manager.pk,
            "expected_amount": "0",
            "currency": "RUB",
            "version": deal.version,
            "primary_interest_channel": channel.pk,
            "primary_interest_source": f"user:{manager.pk}",
        },
    )

    assert response.status_code == 302, response.content.decode()
    deal.refresh_from_db()
    assert deal.primary_interest_source == manager


# --- new clients ---------------------------------------------------------------------------------------------


def test_a_new_client_is_registered_with_contact_and_interest(page_client_for, manager):
    channel = channel_of(SourceType.EVENT)
    event = MarketingEventFactory()

    response = page_client_for(manager).post(
        reverse("marketing:new_client"),
        {
            "name": "Stroy LLC",
            "kind": "company",
            "phones": "+7 495 123-45-67",
            "contact_name": "Ivan Petrov",
            "contact_phones": "+7 916 000-00-00",
            "contact_emails": "ivan@stroy.example",
            "primary_interest_channel": channel.pk,
            "primary_interest_source": f"event:{event.pk}",
        },
    )

    partner = Partner.objects.get(name="Stroy LLC")
    assert response.url == reverse("partners:partner_detail", args=[partner.pk])
    assert partner.is_client and partner.manager == manager
    assert partner.primary_interest_source == event
    contact = partner.contacts.get()
    assert (contact.name, contact.emails) == ("Ivan Petrov", ["ivan@stroy.example"])


def test_a_bad_contact_stores_nothing(page_client_for, manager):
    response = page_client_for(manager).post(
        reverse("marketing:new_client"),
        {"name": "Stroy LLC", "kind": "company", "contact_name": "Ivan", "contact_emails": "not-an-email"},
    )

    assert response.status_code == 200
    assert not Partner.objects.filter(name="Stroy LLC").exists()
    assert not ContactPerson.objects.exists()


def test_contact_details_without_a_name_are_refused(page_client_for, manager):
    response = page_client_for(manager).post(
        reverse("marketing:new_client"),
        {"name": "Stroy LLC", "kind": "company", "contact_phones": "+7 916 000"},
    )

    assert "Give the contact person&#x27;s name." in response.content.decode()
    assert not Partner.objects.exists()


def test_a_wrong_source_on_the_new_client_form_stores_nothing(page_client_for, manager):
    channel = channel_of(SourceType.PARTNER)

    response = page_client_for(manager).post(
        reverse("marketing:new_client"),
        {
            "name": "Stroy LLC",
            "kind": "company",
            "contact_name": "Ivan",
            "primary_interest_channel": channel.pk,
            "primary_interest_source": f"user:{manager.pk}",
        },
    )

    assert "takes a source of the type" in response.content.decode()
    assert not Partner.objects.exists() and not ContactPerson.objects.exists()


def test_a_marketer_cannot_register_clients(page_client_for, marketer):
    assert page_client_for(marketer).get(reverse("marketing:new_client")).status_code == 403


def test_the_new_clients_page_lists_the_latest_clients_the_user_sees(
    page_client_for, manager, outsider, django_assert_max_num_queries
):
    channel = channel_of("")
    for index in range(5):
        PartnerFactory(name=f"Mine {index}", manager=manager, primary_interest_channel=channel)
    PartnerFactory(name="Theirs", manager=outsider)
    client = page_client_for(manager)

    with django_assert_max_num_queries(14):
        content = client.get(reverse("marketing:new_client")).content.decode()

    assert "Mine 4" in content and "Theirs" not in content
    assert content.count(channel.name) >= 5
