"""Reminders through the API and the pages: own only, clear errors for bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sdelka.activities.models import Reminder
from sdelka.activities.tests.reminder_helpers import due_reminder
from sdelka.deals.tests.factories import DealFactory
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def later(hours=2) -> str:
    return (timezone.now() + datetime.timedelta(hours=hours)).isoformat()


def test_api_creates_lists_changes_and_deletes_own_reminders(manager, api_client_for):
    client = api_client_for(manager)
    deal = DealFactory(manager=manager)
    created = client.post(
        "/api/v1/reminders/",
        {"target_type": "deals.deal", "target_id": deal.pk, "text": "Send the quote", "remind_at": later()},
        format="json",
    )
    assert created.status_code == 201, created.data
    assert created.data["target_label"] == str(deal)
    pk = created.data["id"]
    changed = client.patch(f"/api/v1/reminders/{pk}/", {"text": "Send the new quote"}, format="json")
    assert changed.status_code == 200 and changed.data["text"] == "Send the new quote"
    assert client.get("/api/v1/reminders/").data["count"] == 1
    assert client.delete(f"/api/v1/reminders/{pk}/").status_code == 204
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"remind_at": "2020-01-01T09:00:00Z"}, "remind_at"),
        ({"target_type": "accounts.user"}, "target_type"),
        ({"timing": "relative", "date_field": "name"}, "date_field"),
    ],
)
def test_api_answers_bad_input_with_a_clear_400(manager, api_client_for, change, field):
    deal = DealFactory(manager=manager)
    data = {"target_type": "deals.deal", "target_id": deal.pk, "text": "x", "remind_at": later(), **change}
    response = api_client_for(manager).post("/api/v1/reminders/", data, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not Reminder.objects.exists()


def test_another_users_reminder_is_not_found(manager, teammate, api_client_for, page_client_for):
    reminder = due_reminder(user=teammate, record=PartnerFactory(manager=None))
    client = api_client_for(manager)
    assert client.get(f"/api/v1/reminders/{reminder.pk}/").status_code == 404
    assert client.delete(f"/api/v1/reminders/{reminder.pk}/").status_code == 404
    assert page_client_for(manager).get(f"/activities/reminders/{reminder.pk}/").status_code == 404
    assert Reminder.objects.filter(pk=reminder.pk).exists()


def test_the_list_of_reminders_takes_few_queries(
    manager, api_client_for, page_client_for, django_assert_max_num_queries
):
    for _ in range(5):
        due_reminder(user=manager, record=PartnerFactory(manager=manager))
        due_reminder(user=manager, record=DealFactory(manager=manager))
    api, pages = api_client_for(manager), page_client_for(manager)
    pages.get("/activities/reminders/")
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/reminders/").data["count"] == 10
    with django_assert_max_num_queries(16):
        assert pages.get("/activities/reminders/").status_code == 200


def test_the_page_creates_a_reminder_from_a_record(manager, page_client_for):
    client = page_client_for(manager)
    deal = DealFactory(manager=manager)
    form = client.get(f"/activities/reminders/new/?target_type=deals.deal&target_id={deal.pk}")
    assert str(deal) in form.content.decode()
    when = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/activities/reminders/new/",
        {
            "target_type": "deals.deal",
            "target_id": deal.pk,
            "text": "Ask about the budget",
            "timing": "fixed",
            "remind_at": when,
            "offset_days": 0,
            "at_time": "09:00",
            "repeat": "none",
        },
    )
    assert response.status_code == 302
    assert Reminder.objects.get().text == "Ask about the budget"


def test_the_page_shows_service_errors_next_to_the_fields(manager, page_client_for):
    deal = DealFactory(manager=manager)
    response = page_client_for(manager).post(
        "/activities/reminders/new/",
        {
            "target_type": "deals.deal",
            "target_id": deal.pk,
            "text": "Late",
            "timing": "fixed",
            "remind_at": "2020-01-01T09:00",
            "offset_days": 0,
            "at_time": "09:00",
            "repeat": "none",
        },
    )
    assert response.status_code == 200
    assert "already passed" in response.context["form"].errors["remind_at"][0]
    assert not Reminder.objects.exists()


def test_the_page_edits_and_deletes_own_reminder(manager, page_client_for):
    client = page_client_for(manager)
    reminder = due_reminder(user=manager, record=PartnerFactory(manager=manager))
    assert client.get(f"/activities/reminders/{reminder.pk}/").status_code == 200
    assert client.post(f"/activities/reminders/{reminder.pk}/delete/").status_code == 302
    assert not Reminder.objects.exists()
