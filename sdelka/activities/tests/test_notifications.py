"""Notifications: own only, read one or all, the bell's count and panel, e-mail copies, the worker warning."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from sdelka.activities.models import EmailStatus, Notification, WorkerHeartbeat
from sdelka.activities.selectors.worker import worker_down
from sdelka.activities.services.notifications import notification_create, notification_send_email
from sdelka.activities.tests.reminder_helpers import due_reminder
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_api_lists_only_own_notifications_and_marks_them_read(manager, teammate, api_client_for):
    mine = [notification_create(user=manager, text=f"Mine {n}") for n in range(3)]
    other = notification_create(user=teammate, text="Not yours")
    client = api_client_for(manager)
    listed = client.get("/api/v1/notifications/?unread=true")
    assert {row["id"] for row in listed.data["results"]} == {notice.pk for notice in mine}
    assert client.post(f"/api/v1/notifications/{mine[0].pk}/read/").data["is_read"] is True
    assert client.post(f"/api/v1/notifications/{other.pk}/read/").status_code == 404
    assert client.get(f"/api/v1/notifications/{other.pk}/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").data == {"marked": 2}
    assert Notification.objects.filter(user=manager, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_the_api_list_takes_few_queries(manager, api_client_for, django_assert_max_num_queries):
    for n in range(20):
        notification_create(user=manager, text=f"Notice {n}")
    with django_assert_max_num_queries(8):
        assert api_client_for(manager).get("/api/v1/notifications/").data["count"] == 20


def test_the_bell_counts_unread_and_opening_it_marks_them_read(manager, page_client_for):
    client = page_client_for(manager)
    notification_create(user=manager, text="Call Ivanov", link="/partners/1/")
    notification_create(user=manager, text="Birthday")
    page = client.get("/activities/reminders/").content.decode()
    assert 'id="bell-count"' in page and 'data-unread="2"' in page
    count = client.get("/activities/notifications/count/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-unread="2"' in count and 'hx-trigger="every 30s"' in count
    panel = client.post("/activities/notifications/open/", HTTP_HX_REQUEST="true").content.decode()
    assert "Call Ivanov" in panel and 'data-unread="0"' in panel
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_notifications_page_marks_all_read(manager, page_client_for):
    notification_create(user=manager, text="One")
    client = page_client_for(manager)
    assert "One" in client.get("/activities/notifications/").content.decode()
    assert client.post("/activities/notifications/read-all/").status_code == 302
    assert Notification.objects.get().read_at is not None


def test_the_email_copy_is_sent_to_the_users_address(manager):
    manager.email = "manager@example.com"
    manager.save()
    notice = notification_create(user=manager, text="Call back", by_email=True)
    assert notification_send_email(notification_id=notice.pk) == EmailStatus.SENT
    assert mail.outbox[0].to == ["manager@example.com"] and "Call back" in mail.outbox[0].subject
    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.SENT


def test_a_failed_send_is_recorded_and_raised_for_a_retry(manager, settings):
    settings.EMAIL_BACKEND = "sdelka.activities.tests.test_notifications.BrokenBackend"
    manager.email = "manager@example.com"
    manager.save()
    notice = notification_create(user=manager, text="Call back", by_email=True)
    with pytest.raises(ConnectionRefusedError):
        notification_send_email(notification_id=notice.pk)
    notice.refresh_from_db()
    assert notice.email_status == EmailStatus.FAILED and "refused" in notice.email_error


def test_a_user_without_an_address_is_recorded_as_failed(manager):
    manager.email = ""
    manager.save()
    notice = notification_create(user=manager, text="Call back", by_email=True)
    assert notification_send_email(notification_id=notice.pk) == EmailStatus.FAILED
    notice.refresh_from_db()
    assert "no e-mail address" in notice.email_error


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused by the SMTP server")


# --- the warning that the worker is not running ---------------------------------------------------------------


def test_no_warning_while_nothing_is_overdue(manager):
    due_reminder(user=manager, record=PartnerFactory(manager=manager), minutes_ago=2)
    assert worker_down() is False


def test_a_warning_when_reminders_are_overdue_and_no_worker_is_seen(manager, page_client_for):
    due_reminder(user=manager, record=PartnerFactory(manager=manager), minutes_ago=10)
    assert worker_down() is True
    assert (
        'id="worker-banner" class="message'
        in page_client_for(manager).get("/activities/reminders/").content.decode()
    )


def test_no_warning_when_a_worker_was_seen_recently_or_only_long_ago(manager):
    due_reminder(user=manager, record=PartnerFactory(manager=manager), minutes_ago=10)
    now = timezone.now()
    WorkerHeartbeat.objects.create(name="w1", started_at=now, last_seen=now - datetime.timedelta(minutes=1))
    assert worker_down() is False
    WorkerHeartbeat.objects.update(last_seen=now - datetime.timedelta(minutes=4))
    assert worker_down() is True
