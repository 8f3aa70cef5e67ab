"""The rule builder in a real Chromium: rows are added and removed with htmx, the value widget follows the
field and the operator, and the segment saved from the rows has the expected members."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.core.tests.test_browser import PASSWORD, log_in, wait_for_htmx
from sdelka.partners.models import Segment
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_segment_is_built_from_rows(browser_page):
    UserFactory(username="mary", role=Role.MARKETER)
    wholesale = PartnerGroupFactory(name="Wholesale")
    PartnerFactory(name="Moscow Wholesale", region="Moscow", group=wholesale)
    PartnerFactory(name="Moscow Retail", region="Moscow")
    PartnerFactory(name="Kazan Wholesale", region="Kazan", group=wholesale)
    page = browser_page
    log_in(page, "mary", PASSWORD)
    page.goto("/partners/segments/new/")

    page.fill("#id_name", "Moscow wholesale")
    rows = page.locator("#rule-rows .rule-row")
    expect(rows).to_have_count(1)
    page.fill("input[name='rule-0-value']", "moscow")

    page.get_by_role("button", name="Add a condition").click()
    expect(rows).to_have_count(2)
    wait_for_htmx(page)
    page.select_option("select[name='rule-1-field']", "created")
    expect(page.locator("input[name='rule-1-value'][type=date]")).to_be_visible()
    wait_for_htmx(page)
    page.select_option("select[name='rule-1-operator']", "between")
    expect(page.locator("input[name='rule-1-from']")).to_be_visible()
    wait_for_htmx(page)
    page.locator("#rule-row-1").get_by_role("button", name="Remove the condition").click()
    expect(rows).to_have_count(1)
    wait_for_htmx(page)

    page.get_by_role("button", name="Add a condition").click()
    expect(rows).to_have_count(2)
    wait_for_htmx(page)
    # Choosing the field redraws the row; the group is chosen in the redrawn row, once htmx has settled it.
    page.select_option("select[name='rule-1-field']", "group")
    wait_for_htmx(page)
    expect(page.locator(f"select[name='rule-1-value'] option[value='{wholesale.pk}']")).to_have_count(1)
    page.select_option("select[name='rule-1-value']", [str(wholesale.pk)])
    expect(page.locator("select[name='rule-1-value']")).to_have_values([str(wholesale.pk)])
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_contain_text("Moscow wholesale")
    segment = Segment.objects.get(name="Moscow wholesale")
    assert [rule["field"] for rule in segment.rules] == ["region", "group"]
    assert list(segment.members.values_list("name", flat=True)) == ["Moscow Wholesale"]
    expect(page.locator("table.segment-members")).to_contain_text("Moscow Wholesale")
