"""Shared fixtures: users of every role in two teams, API clients, and a logged-in page client."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import TeamFactory, UserFactory


@pytest.fixture
def team_north(db):
    return TeamFactory(name="North")


@pytest.fixture
def team_south(db):
    return TeamFactory(name="South")


@pytest.fixture
def head(team_north):
    user = UserFactory(username="head", role=Role.HEAD, team=team_north)
    team_north.head = user
    team_north.save()
    return user


@pytest.fixture
def manager(team_north, head):
    return UserFactory(username="manager", role=Role.MANAGER, team=team_north)


@pytest.fixture
def teammate(team_north, head):
    return UserFactory(username="teammate", role=Role.MANAGER, team=team_north)


@pytest.fixture
def outsider(team_south):
    """A manager of another team, whose partners the north team must never see."""
    return UserFactory(username="outsider", role=Role.MANAGER, team=team_south)


@pytest.fixture
def marketer(db):
    return UserFactory(username="marketer", role=Role.MARKETER)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", role=Role.ADMIN, is_staff=True)


@pytest.fixture
def users_by_role(manager, head, marketer, admin_user):
    return {Role.MANAGER: manager, Role.HEAD: head, Role.MARKETER: marketer, Role.ADMIN: admin_user}


@pytest.fixture
def api_client_for():
    """``api_client_for(user)`` → an APIClient authenticated as that user by token."""
    from rest_framework.authtoken.models import Token

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def page_client_for(client):
    """``page_client_for(user)`` → Django's test client logged in as that user."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s per user; tests make hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests must not depend on a collectstatic run (the manifest storage needs one)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read English messages unless they switch the language themselves (the product defaults to Russian)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright; a missing browser fails the run (it is never skipped)."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    # Playwright's sync API runs an event loop in this thread; the test body still talks to the database.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


BROWSER_SETTLE_DELAY_SCRIPT = """
document.addEventListener("DOMContentLoaded", () => {
  if (window.htmx) { window.htmx.config.defaultSettleDelay = 300; }
});
"""


@pytest.fixture
def browser_page(chromium_browser, live_server):
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900}
    )
    # htmx makes swapped-in content live only when it settles; a long settle delay makes a test that acts on
    # new content too early fail on every machine, not only on a fast one (wait_for_htmx in the tests).
    context.add_init_script(BROWSER_SETTLE_DELAY_SCRIPT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
