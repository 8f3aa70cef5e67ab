"""The analytics charts in a real Chromium: Chart.js draws every canvas, again after an htmx swap, with no
error in the console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sdelka.analytics.tests.dashboard_data import activity_story, sales_story
from sdelka.core.tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Q1 = "date_from=2026-01-01&date_to=2026-03-31"
DRAWN = "canvas => Boolean(canvas.sdelkaChart) && canvas.width > 0 && canvas.height > 0"


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _drawn(page) -> list[bool]:
    return page.locator("canvas[data-chart]").evaluate_all(f"canvases => canvases.map({DRAWN})")


def test_the_dashboard_draws_its_charts_and_redraws_them_for_another_scope(
    browser_page, head, manager, teammate, outsider
):
    activity_story(manager=manager, teammate=teammate, outsider=outsider)
    sales_story(manager=manager, teammate=teammate, outsider=outsider)
    page = browser_page
    errors = _watch_errors(page)
    log_in(page, "head")

    page.goto(f"/analytics/dashboard/?{Q1}")
    expect(page.locator("[data-scope]")).to_have_attribute("data-scope", "team")
    expect(page.locator('[data-kpi="revenue"]')).to_have_text("5,500.00")
    expect(page.locator("canvas[data-chart]")).to_have_count(5)
    page.wait_for_function(f"() => [...document.querySelectorAll('canvas[data-chart]')].every({DRAWN})")
    assert all(_drawn(page))
    # every chart's numbers are a table on the page too
    page.get_by_text("The numbers as a table").first.click()
    expect(page.locator("#table-months")).to_contain_text("4,500.00")

    page.select_option('select[name="scope"]', "me")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("[data-scope]")).to_have_attribute("data-scope", "me")
    expect(page.locator('[data-kpi="revenue"]')).to_have_text("0.00")
    page.wait_for_function(f"() => [...document.querySelectorAll('canvas[data-chart]')].every({DRAWN})")
    expect(page).to_have_url(re.compile(r"scope=me"))
    assert errors == []


def test_the_funnel_and_the_manager_screen_draw_their_charts(browser_page, head, manager, teammate, outsider):
    story = sales_story(manager=manager, teammate=teammate, outsider=outsider)
    page = browser_page
    errors = _watch_errors(page)
    log_in(page, "head")

    page.goto(f"/analytics/funnel/?kind={story.kind.pk}&{Q1}")
    expect(page.locator('[data-kpi="deals"]')).to_have_text("6")
    page.wait_for_function(f"() => [...document.querySelectorAll('canvas[data-chart]')].every({DRAWN})")
    assert len(_drawn(page)) == 3

    page.goto(f"/analytics/managers/?{Q1}")
    expect(page.locator("canvas[data-chart]")).to_have_count(3)
    page.wait_for_function(f"() => [...document.querySelectorAll('canvas[data-chart]')].every({DRAWN})")
    assert errors == []
