"""The public web form in a real Chromium, as a visitor coming from an ad fills it in: no login, the
link's UTM tags travel with the form, and the request becomes a client with the campaign's interest."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sdelka.accounts.tests.factories import UserFactory
from sdelka.deals.models import Deal
from sdelka.marketing.choices import SourceType
from sdelka.marketing.tests.factories import MarketingEventFactory, channel_of
from sdelka.marketing.tests.weblead_factories import LeadFormFactory, UtmMappingFactory
from sdelka.partners.models import Partner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_visitor_fills_in_the_form_and_becomes_a_client_of_the_campaign(browser_page):
    manager = UserFactory(username="olga")
    form = LeadFormFactory(manager=manager, title="Request a quote", thank_you_text="Thank you, Ivan's team!")
    ads = channel_of(SourceType.EVENT)
    campaign = MarketingEventFactory(name="Spring campaign", channel=ads)
    UtmMappingFactory(form=form, utm_source="yandex", utm_campaign="spring", channel=ads, event=campaign)
    page = browser_page

    page.goto(f"/lead/{form.token}/?utm_source=yandex&utm_medium=cpc&utm_campaign=spring")
    expect(page.locator("h1")).to_have_text("Request a quote")
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()  # people never see the honeypot
    page.fill("#id_name", "Ivan Petrov")
    page.fill("#id_company", "Stroy LLC")
    page.fill("#id_phone", "+7 495 123-45-67")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#field-consent .error")).to_contain_text("Tick the consent")
    page.check("#id_consent")
    page.fill("#id_comment", "40 valves, please")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_test_id("lead-sent")).to_have_text("Thank you, Ivan's team!")
    partner = Partner.objects.get(name="Stroy LLC")
    assert (partner.primary_interest_channel, partner.primary_interest_source) == (ads, campaign)
    deal = Deal.objects.get(partner=partner)
    assert (deal.manager, deal.description) == (manager, "40 valves, please")
