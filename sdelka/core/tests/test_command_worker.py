"""``manage.py worker``: --once fires due reminders exactly once, sends their e-mail, and exits;
SIGTERM stops a running worker cleanly."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from django.core import mail
from django.core.management import call_command

from sdelka.activities.models import EmailStatus, Notification, PeriodicJobState, Reminder, ReminderStatus
from sdelka.activities.tests.reminder_helpers import due_reminder
from sdelka.core.worker import Worker
from sdelka.partners.tests.factories import PartnerFactory


@pytest.mark.django_db(transaction=True)
def test_once_fires_a_due_reminder_and_its_email_exactly_once(manager):
    manager.email = "manager@example.com"
    manager.save()
    reminder = due_reminder(user=manager, record=PartnerFactory(manager=manager), by_email=True)

    call_command("worker", "--once")

    notice = Notification.objects.get()
    assert notice.reminder_id == reminder.pk and notice.email_status == EmailStatus.SENT
    assert [message.to for message in mail.outbox] == [["manager@example.com"]]
    assert Reminder.objects.get().status == ReminderStatus.DONE

    PeriodicJobState.objects.all().delete()  # let the job run again in the same minute: nothing is due
    call_command("worker", "--once")
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_worker_cleanly():
    stopped = threading.Event()

    class SleepyWorker(Worker):
        def sleep(self, seconds):
            if not stopped.is_set():
                stopped.set()
                os.kill(os.getpid(), signal.SIGTERM)
            super().sleep(seconds)

    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    try:
        worker = SleepyWorker(name="sigterm", interval=0.05)
        worker.run()  # returns instead of looping for ever
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    assert worker.running is False
