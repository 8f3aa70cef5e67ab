"""The funnel board in a real Chromium: dragging a typical sale to the next stage moves it; a skip snaps back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.core.tests.test_browser import PASSWORD, log_in
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seller(db):
    return UserFactory(username="olga", first_name="Olga", last_name="Ivanova", role=Role.MANAGER)


def open_board(page, kind):
    page.goto(f"/deals/board/?kind={kind.pk}")
    page.wait_for_load_state("load")


def column(page, stage):
    return page.locator(f'.board-column[data-stage="{stage.pk}"]')


def test_dragging_a_typical_sale_to_the_next_stage_then_skipping_a_stage(browser_page, seller):
    kind = DealKindFactory(name="Typical sale", process_type=ProcessType.TYPICAL)
    first, second, third, fourth = stages_of(kind)
    deal = DealFactory(manager=seller, kind=kind, name="Turbine supply")
    page = browser_page
    log_in(page, "olga", PASSWORD)
    open_board(page, kind)

    card = page.locator(f"#board-card-{deal.pk}")
    expect(column(page, first)).to_contain_text("Turbine supply")
    card.drag_to(column(page, second).locator(".board-cards"))

    expect(column(page, second).locator(f"#board-card-{deal.pk}")).to_be_visible()
    expect(column(page, second).locator("[data-count]")).to_have_text("1")
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == (second, 2)

    page.locator(f"#board-card-{deal.pk}").drag_to(column(page, fourth).locator(".board-cards"))

    expect(page.locator("#board-message")).to_be_visible()
    expect(page.locator("#board-message")).to_contain_text("only to the next stage")
    expect(column(page, second).locator(f"#board-card-{deal.pk}")).to_be_visible()
    expect(column(page, fourth).locator(f"#board-card-{deal.pk}")).to_have_count(0)
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == (second, 2)
    assert not deal.events.filter(to_stage__in=[third, fourth]).exists()


def test_dropping_on_lost_asks_for_the_reason(browser_page, seller):
    kind = DealKindFactory(name="Manual", process_type=ProcessType.MANUAL)
    first = stages_of(kind)[0]
    deal = DealFactory(manager=seller, kind=kind, name="Boiler retrofit")
    LostReasonFactory(name="Too expensive")
    page = browser_page
    log_in(page, "olga", PASSWORD)
    open_board(page, kind)

    page.locator(f"#board-card-{deal.pk}").drag_to(page.locator('[data-drop="lost"]'))
    dialog = page.locator("#board-lost-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Mark lost").click()

    expect(page.locator("#board-message")).to_contain_text("Give the reason")
    expect(column(page, first).locator(f"#board-card-{deal.pk}")).to_be_visible()
    deal.refresh_from_db()
    assert deal.status == DealStatus.IN_PROGRESS

    page.locator(f"#board-card-{deal.pk}").drag_to(page.locator('[data-drop="lost"]'))
    expect(dialog).to_be_visible()
    dialog.get_by_label("Lost reason").select_option(label="Too expensive")
    dialog.get_by_role("button", name="Mark lost").click()

    expect(page.locator(f"#board-card-{deal.pk}")).to_have_count(0)
    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason.name) == (DealStatus.LOST, "Too expensive")
