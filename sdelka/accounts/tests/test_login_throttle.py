"""Failed logins are throttled per account and per address, in the database (shared by every web process)."""

import pytest
from django.test import override_settings

from sdelka.accounts import services
from sdelka.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3, LOGIN_THROTTLE_PER_ADDRESS=5)
def test_an_account_is_throttled_after_too_many_failures_from_any_address():
    for n in range(3):
        services.login_throttle_check(username="anna", address=f"10.0.0.{n}")
        services.login_failure_record(username="anna", address=f"10.0.0.{n}")

    with pytest.raises(services.LoginThrottled) as error:
        services.login_throttle_check(username="ANNA", address="10.0.0.99")
    assert "Try again in" in str(error.value)
    assert 0 < error.value.wait_seconds <= 900
    services.login_throttle_check(username="boris", address="10.0.0.99")


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3, LOGIN_THROTTLE_PER_ADDRESS=5)
def test_an_address_is_throttled_after_failures_on_many_accounts():
    for n in range(5):
        services.login_failure_record(username=f"user{n}", address="192.0.2.1")

    with pytest.raises(services.LoginThrottled):
        services.login_throttle_check(username="someone-new", address="192.0.2.1")
    services.login_throttle_check(username="someone-new", address="192.0.2.2")


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=2, LOGIN_THROTTLE_WINDOW=60)
def test_old_failures_no_longer_count():
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(2):
        services.login_failure_record(username="anna", address=None)
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=61))

    services.login_throttle_check(username="anna", address=None)


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=2)
def test_a_successful_login_clears_the_account_failures():
    services.login_failure_record(username="anna", address="192.0.2.1")
    services.login_failure_record(username="anna", address="192.0.2.1")
    services.login_failures_clear(username="Anna")

    services.login_throttle_check(username="anna", address="192.0.2.1")
