"""The login page: wrong passwords, throttling after repeated failures, logout by POST only."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from sdelka.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PASSWORD = "correct-horse-42"  # the factories' password


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_the_login_page_shows_the_form(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_a_correct_password_logs_in_and_goes_to_next(client, manager):
    response = client.post(LOGIN, {"username": "manager", "password": PASSWORD, "next": "/products/"})

    assert response.status_code == 302
    assert response["Location"] == "/products/"
    assert client.get("/products/").status_code == 200


def test_an_outside_next_is_ignored(client, manager):
    response = client.post(
        LOGIN, {"username": "manager", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("core:home")


def test_a_wrong_password_shows_a_clear_message_and_is_recorded(client, manager):
    response = client.post(LOGIN, {"username": "manager", "password": "wrong"})

    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    assert LoginFailure.objects.filter(username="manager").count() == 1


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3)
def test_login_is_throttled_after_too_many_failures(client, manager):
    for _ in range(3):
        client.post(LOGIN, {"username": "manager", "password": "wrong"})

    response = client.post(LOGIN, {"username": "manager", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3)
def test_a_successful_login_clears_the_accounts_failures(client, manager):
    for _ in range(2):
        client.post(LOGIN, {"username": "manager", "password": "wrong"})

    client.post(LOGIN, {"username": "manager", "password": PASSWORD})

    assert not LoginFailure.objects.filter(username="manager").exists()


def test_logout_needs_a_post(client, manager):
    client.force_login(manager)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("partners:partner_list")).status_code == 302
