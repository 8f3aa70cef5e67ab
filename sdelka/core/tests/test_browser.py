"""A new user's first minutes, in a real Chromium: log in, create a partner, add a counterparty (fixing a wrong
INN), move the partner to a group, switch the language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.partners.models import Counterparty, Partner
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-42"


@pytest.fixture
def head_of_sales(db):
    return UserFactory(username="olga", first_name="Olga", last_name="Ivanova", role=Role.HEAD)


def log_in(page, username: str, password: str = PASSWORD, *, expect_success: bool = True) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if expect_success:
        # Wait for the landing page to finish loading, so nothing typed next goes to a page being replaced.
        page.wait_for_url(re.compile(r"/partners/$"))
        page.wait_for_load_state("load")


def wait_for_htmx(page) -> None:
    """Wait until htmx has finished every request, swap and settle on the page.

    htmx attaches its handlers to swapped-in content only when it settles (20 ms after the swap), so a test
    that acts on new content as soon as it appears can act before anything listens to it.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def test_logging_in_with_a_wrong_password_then_the_right_one(browser_page, head_of_sales):
    page = browser_page

    log_in(page, "olga", "wrong-password", expect_success=False)
    expect(page.locator("body")).to_contain_text("Wrong username or password")

    log_in(page, "olga")
    expect(page).to_have_url(re.compile(r"/partners/$"))
    expect(page.locator("header")).to_contain_text("Olga Ivanova")


def test_creating_a_partner_and_adding_a_counterparty_after_fixing_its_inn(browser_page, head_of_sales):
    page = browser_page
    log_in(page, "olga")

    page.get_by_role("link", name="New partner").click()
    page.locator("#id_name").fill("ООО «Ромашка»")
    page.locator("#id_region").fill("Москва")
    page.get_by_role("button", name=re.compile("Save|Create")).first.click()
    expect(page.locator("h1")).to_contain_text("ООО «Ромашка»")
    partner = Partner.objects.get(name="ООО «Ромашка»")

    page.get_by_role("tab", name="Counterparties").click()
    page.get_by_text("Add counterparty").first.click()
    form = page.locator("form", has=page.locator("#id_inn"))
    form.locator("#id_name").fill("ООО «Ромашка»")
    form.locator("#id_inn").fill("7707083894")
    form.get_by_role("button", name="Add counterparty").click()

    expect(page.locator("#field-inn .error")).to_contain_text("checksum")
    assert not Counterparty.objects.exists()

    page.locator("#id_inn").fill("7707083893")
    page.locator("form", has=page.locator("#id_inn")).get_by_role("button", name="Add counterparty").click()
    expect(page.locator("table.data")).to_contain_text("7707083893")
    assert list(partner.counterparties.values_list("inn", flat=True)) == ["7707083893"]


def test_moving_a_partner_to_a_group_without_a_reload(browser_page, head_of_sales):
    group = PartnerGroupFactory(name="Wholesale")
    partner = PartnerFactory(name="Альфа-Строй", manager=head_of_sales)
    page = browser_page
    log_in(page, "olga")

    page.evaluate("window.__notReloaded = true")
    page.get_by_label("Select Альфа-Строй").check()
    page.locator("#move-group").select_option(label="Wholesale")
    move = page.get_by_role("button", name="Move", exact=True)
    expect(page.get_by_label("Select Альфа-Строй")).to_be_checked()
    expect(move).to_be_enabled()
    move.click()

    expect(page.locator("#partner-browser")).to_contain_text("1 partner moved to “Wholesale”")
    partner.refresh_from_db()
    assert partner.group == group
    assert page.evaluate("window.__notReloaded") is True


def test_switching_the_language(browser_page, head_of_sales):
    page = browser_page
    log_in(page, "olga")
    expect(page.locator("nav.sections")).to_contain_text("Partners")

    page.get_by_role("button", name="RU").click()

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("nav.sections")).to_contain_text("Партнеры")
    expect(page.locator("nav.sections")).not_to_contain_text("Partners")

    page.get_by_role("button", name="EN").click()
    expect(page.locator("nav.sections")).to_contain_text("Partners")
