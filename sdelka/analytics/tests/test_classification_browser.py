"""The matrix drill-down in a real Chromium: clicking a cell swaps the table for that cell's list (htmx)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.analytics.tests.classification_data import sell
from sdelka.core.tests.test_browser import log_in
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_a_matrix_cell_lists_its_subjects(browser_page):
    seller = UserFactory(username="olga", role=Role.MANAGER)
    steady = PartnerFactory(name="Steady Ltd", manager=seller)
    for month in range(1, 13):
        sell(steady, date(2025, month, 10), (None, "1000"))
    for index in range(3):
        sell(PartnerFactory(name=f"Occasional {index}", manager=seller), date(2025, 6, 2), (None, "10"))
    page = browser_page
    log_in(page, "olga")
    page.goto(
        "/analytics/classification/?subject=clients&criterion=revenue&period_type=year&period_start=2025-01-01"
    )
    table = page.locator("#classification-table")
    expect(table.locator("tbody tr")).to_have_count(4)

    page.locator('#classification-matrix td[data-cell="CZ"] a').click()
    expect(page.locator("#classification-rows")).to_contain_text("Cell CZ — Question marks")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).not_to_contain_text("Steady Ltd")
    expect(page.locator('#classification-matrix td[data-cell="CZ"]')).to_have_class("selected")
    expect(page).to_have_url(
        "/analytics/classification/?subject=clients&criterion=revenue&period_type=year&period_start=2025-01-01&cell=CZ"
    )

    page.get_by_role("link", name="All subjects").click()
    expect(table.locator("tbody tr")).to_have_count(4)
    page.locator('#classification-matrix td[data-cell="AX"] a').click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Steady Ltd")
