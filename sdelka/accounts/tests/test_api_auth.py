"""Token authentication of the API: POST/DELETE /api/v1/auth/token/, throttled like the login page."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sdelka.accounts.models import LoginFailure
from sdelka.accounts.tests.factories import UserFactory

URL = "/api/v1/auth/token/"
PASSWORD = "correct-horse-42"


@pytest.fixture
def anna(db):
    return UserFactory(username="anna")


def test_a_user_gets_a_token_that_opens_the_api(anna):
    client = APIClient()

    response = client.post(URL, {"username": "anna", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert token == Token.objects.get(user=anna).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/partners/").status_code == 200


def test_asking_again_gives_the_same_token(anna):
    client = APIClient()

    first = client.post(URL, {"username": "anna", "password": PASSWORD}, format="json").json()
    second = client.post(URL, {"username": "anna", "password": PASSWORD}, format="json").json()

    assert first == second


def test_a_form_encoded_login_works_too(anna):
    response = APIClient().post(URL, {"username": "anna", "password": PASSWORD})

    assert response.status_code == 200


def test_a_wrong_password_is_refused_and_recorded(anna):
    response = APIClient().post(URL, {"username": "anna", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert not Token.objects.exists()
    assert LoginFailure.objects.filter(username="anna", address="127.0.0.1").count() == 1


def test_a_deactivated_user_gets_no_token(anna):
    anna.is_active = False
    anna.save()

    response = APIClient().post(URL, {"username": "anna", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert not Token.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "anna"}, "password"),
        ({"username": ["anna"], "password": PASSWORD}, "username"),
        ({"username": "a" * 151, "password": PASSWORD}, "username"),
    ],
)
def test_missing_or_malformed_credentials_name_the_field(anna, payload, field):
    response = APIClient().post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not LoginFailure.objects.exists()


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3)
def test_too_many_failures_throttle_the_account_even_with_the_right_password(anna):
    client = APIClient()
    for _attempt in range(3):
        assert client.post(URL, {"username": "anna", "password": "wrong"}, format="json").status_code == 400

    response = client.post(URL, {"username": "anna", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert "detail" in response.json()
    assert int(response["Retry-After"]) > 0
    assert not Token.objects.exists()


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=100, LOGIN_THROTTLE_PER_ADDRESS=3)
def test_too_many_failures_from_one_address_throttle_every_account(anna):
    client = APIClient()
    for name in ("x", "y", "z"):
        client.post(URL, {"username": name, "password": "wrong"}, format="json")

    response = client.post(URL, {"username": "anna", "password": PASSWORD}, format="json")

    assert response.status_code == 429


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3)
def test_a_successful_login_forgives_earlier_failures(anna):
    client = APIClient()
    for _attempt in range(2):
        client.post(URL, {"username": "anna", "password": "wrong"}, format="json")

    assert client.post(URL, {"username": "anna", "password": PASSWORD}, format="json").status_code == 200
    assert not LoginFailure.objects.filter(username="anna").exists()
    client.post(URL, {"username": "anna", "password": "wrong"}, format="json")
    assert client.post(URL, {"username": "anna", "password": PASSWORD}, format="json").status_code == 200


def test_a_revoked_token_no_longer_opens_the_api(anna, api_client_for):
    client = api_client_for(anna)

    assert client.delete(URL).status_code == 204
    assert not Token.objects.filter(user=anna).exists()
    assert client.get("/api/v1/partners/").status_code == 401


def test_revoking_needs_authentication(db):
    assert APIClient().delete(URL).status_code == 401


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    assert client.get("/api/v1/partners/").status_code == 401
