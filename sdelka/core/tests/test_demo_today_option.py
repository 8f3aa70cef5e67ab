"""``manage.py demo --today``: the day the demo's history ends at, refused when it is not a past date."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sdelka.accounts.models import User
from sdelka.partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("15.12.2025", "--today must be a date as YYYY-MM-DD, got “15.12.2025”"),
        ("2025-13-01", "--today must be a date as YYYY-MM-DD"),
        ("yesterday", "--today must be a date as YYYY-MM-DD"),
    ],
)
def test_a_day_that_is_not_a_date_is_refused_and_nothing_is_made(value, message):
    with pytest.raises(CommandError, match=message):
        call_command("demo", "--today", value, stdout=StringIO())

    assert Partner.objects.count() == User.objects.count() == 0


def test_a_day_in_the_future_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(CommandError, match=f"--today cannot be in the future, got {tomorrow}"):
        call_command("demo", "--today", tomorrow.isoformat(), stdout=StringIO())

    assert Partner.objects.count() == 0
