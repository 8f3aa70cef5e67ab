"""In a real Chromium: completing the stage task of a typical sale moves the deal on the board."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.activities.models import Task, TaskStatus
from sdelka.core.tests.test_browser import PASSWORD, log_in
from sdelka.deals import services as deal_services
from sdelka.deals.choices import ProcessType
from sdelka.deals.tests.factories import DealKindFactory, stages_of
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_completing_the_stage_task_moves_the_deal_to_the_next_column(browser_page):
    seller = UserFactory(username="olga", first_name="Olga", last_name="Ivanova", role=Role.MANAGER)
    kind = DealKindFactory(name="Typical sale", process_type=ProcessType.TYPICAL)
    first, second, *_rest = stages_of(kind)
    deal = deal_services.deal_create(
        actor=seller, data={"name": "Turbine supply", "partner": PartnerFactory(manager=seller), "kind": kind}
    )
    page = browser_page
    log_in(page, "olga", PASSWORD)

    page.goto("/activities/tasks/")
    row = page.locator(".task-row", has_text="Primary contact: Turbine supply")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Done").click()
    page.wait_for_load_state("load")
    expect(page.locator(".task-row", has_text="Commercial proposal: Turbine supply")).to_be_visible()

    page.goto(f"/deals/board/?kind={kind.pk}")
    expect(page.locator(f'.board-column[data-stage="{second.pk}"] #board-card-{deal.pk}')).to_be_visible()
    expect(page.locator(f'.board-column[data-stage="{first.pk}"] #board-card-{deal.pk}')).to_have_count(0)
    assert Task.objects.filter(subject_id=deal.pk, status=TaskStatus.DONE).count() == 1
