"""The lines of a draft edited in place in a real Chromium: htmx swaps the table, the totals follow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.core.tests.test_browser import log_in, wait_for_htmx
from sdelka.documents import services
from sdelka.documents.tests.factories import deal_with_goods

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_adding_changing_and_removing_lines_in_place(browser_page):
    seller = UserFactory(username="olga", first_name="Olga", last_name="Ivanova", role=Role.MANAGER)
    quote = services.quote_from_deal(deal_with_goods(manager=seller), actor=seller)
    product = ProductFactory(name="Pump X", price=Decimal("1000.00"), vat_rate="22")
    page = browser_page
    log_in(page, "olga")
    page.goto(f"/documents/quotes/{quote.pk}/")
    lines = page.locator("#document-lines")

    page.select_option('select[name="add-product"]', label=str(product))
    page.fill('input[name="add-quantity"]', "2")
    page.get_by_role("button", name="Add line").click()
    expect(lines).to_contain_text("The line is added.")
    expect(lines.locator("tfoot")).to_contain_text("2,351.50")
    wait_for_htmx(page)

    lines.locator("tbody tr").first.get_by_role("link", name="Change").click()
    wait_for_htmx(page)
    page.fill('input[name="edit-quantity"]', "0")
    page.get_by_role("button", name="Save").click()
    expect(lines).to_contain_text("the quantity cannot be zero")
    wait_for_htmx(page)
    page.fill('input[name="edit-quantity"]', "1")
    page.get_by_role("button", name="Save").click()
    expect(lines).to_contain_text("The line is saved.")
    expect(lines.locator("tfoot")).to_contain_text("2,251.50")
    wait_for_htmx(page)

    lines.locator("tbody tr").first.get_by_role("button", name="Remove").click()
    expect(lines).to_contain_text("The line is removed.")
    expect(lines.locator("tfoot")).to_contain_text("2,151.50")
    assert page.url.endswith(f"/documents/quotes/{quote.pk}/")
    quote.refresh_from_db()
    assert quote.amount_gross == Decimal("2151.50") and quote.lines.count() == 2
