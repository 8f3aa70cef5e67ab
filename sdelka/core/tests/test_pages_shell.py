"""The shell around every page: navigation, coming sections, language switch, CSRF for htmx."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_navigation_lists_the_sections_and_marks_coming_ones(page_client_for, manager, settings):
    settings.LANGUAGE_CODE = "en"

    html = page_client_for(manager).get(reverse("partners:partner_list")).content.decode()

    assert f'href="{reverse("catalog:product_list")}"' in html
    assert f'href="{reverse("deals:deal_list")}"' in html
    assert "manager" in html and "Sales manager" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_every_section_is_ready_and_a_ready_one_has_no_coming_page(page_client_for, manager):
    response = page_client_for(manager).get(reverse("partners:partner_list"))
    assert all(item["ready"] for item in response.context["nav_sections"])
    assert page_client_for(manager).get(reverse("core:coming", args=["marketing"])).status_code == 404


def test_an_unknown_section_is_404(page_client_for, manager):
    assert page_client_for(manager).get(reverse("core:coming", args=["nonsense"])).status_code == 404


def test_the_home_page_opens_partners(page_client_for, manager):
    response = page_client_for(manager).get(reverse("core:home"))

    assert response["Location"] == reverse("partners:partner_list")


def test_switching_the_language_to_english(page_client_for, manager, settings):
    settings.LANGUAGE_CODE = "ru"
    client = page_client_for(manager)
    assert '<html lang="ru">' in client.get(reverse("partners:partner_list")).content.decode()

    switched = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("partners:partner_list")}
    )
    html = client.get(reverse("partners:partner_list")).content.decode()

    assert switched.status_code == 302
    assert switched["Location"] == reverse("partners:partner_list")
    assert '<html lang="en">' in html
    assert ">Partners</a>" in html
    assert 'name="language" value="ru"' in html


def test_a_forbidden_action_shows_the_403_page(page_client_for, marketer, settings):
    settings.LANGUAGE_CODE = "en"

    response = page_client_for(marketer).get(reverse("partners:partner_create"))

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/products/", "/products/"),
        ("/deals/board/", "/deals/"),
        ("/marketing/events/", "/marketing/"),
        ("/deals/kinds/", "/deals/"),
        ("/reports/deal-financial-results/", "/analytics/"),
        ("/activities/rules/", "/marketing/"),
        ("/documents/sales/", "/documents/"),
        ("/interactions/", "/interactions/"),
        ("/activities/tasks/", "/activities/tasks/"),
        ("/claims/", "/claims/"),
    ],
)
def test_the_current_section_is_marked(path, section, manager, page_client_for):
    import re

    html = page_client_for(manager).get(path).content.decode()

    marked = re.findall(r'<a href="([^"]+)"\s+class="[^"]*\bactive\b', html.split('class="sections"')[1])
    assert marked[:1] == [section]


@pytest.mark.parametrize(
    "url_name, section",
    [
        ("activities:mailing_rule_list", "marketing"),
        ("interactions:email_template_list", "marketing"),
        ("activities:task_list", "activities"),
        ("analytics:index", "analytics"),
    ],
)
def test_the_section_of_the_page_is_marked_active(page_client_for, admin_user, url_name, section):
    response = page_client_for(admin_user).get(reverse(url_name))
    active = [item["key"] for item in response.context["nav_sections"] if item["active"]]
    assert active == [section]
