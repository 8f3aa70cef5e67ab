"""The primary interest fields in a real Chromium: choosing a channel reloads the source select (htmx),
a search narrows it, and the new client is registered with the chosen source."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.core.tests.test_browser import PASSWORD, log_in, wait_for_htmx
from sdelka.marketing.choices import SourceType
from sdelka.marketing.tests.factories import MarketingEventFactory, channel_of
from sdelka.partners.models import Partner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_source_select_follows_the_channel_and_the_client_is_registered(browser_page):
    UserFactory(username="olga", first_name="Olga", last_name="Ivanova", role=Role.MANAGER)
    channel = channel_of(SourceType.EVENT)
    channel_of("")
    expo = MarketingEventFactory(name="Stroyexpo")
    MarketingEventFactory(name="Valve webinar")
    page = browser_page
    log_in(page, "olga", PASSWORD)
    page.goto("/marketing/new-clients/")

    source = page.locator("#id_primary_interest_source")
    expect(source).to_contain_text("choose a channel first")
    page.select_option("#id_primary_interest_channel", str(channel.pk))
    expect(source.locator("option")).to_have_count(3)
    wait_for_htmx(page)
    page.fill("#primary-interest-source input[type=search]", "stroy")
    expect(page.locator("#id_primary_interest_source option")).to_have_count(2)
    wait_for_htmx(page)
    page.select_option("#id_primary_interest_source", f"event:{expo.pk}")
    page.fill("#id_name", "Stroy LLC")
    page.fill("#id_contact_name", "Ivan Petrov")
    page.get_by_role("button", name="Register client").click()

    expect(page.locator("h1")).to_contain_text("Stroy LLC")
    partner = Partner.objects.get(name="Stroy LLC")
    assert partner.primary_interest_source == expo
    assert partner.contacts.get().name == "Ivan Petrov"
