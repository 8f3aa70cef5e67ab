"""Reads of reminders: a user sees only their own."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from sdelka.activities.models import Reminder, ReminderStatus

#: how late a reminder may fire before the pages say the worker is not running
OVERDUE_GRACE = datetime.timedelta(minutes=5)


def reminder_list(*, user) -> QuerySet[Reminder]:
    """The user's reminders with their records (one query per kind of record, not per reminder)."""
    return Reminder.objects.filter(user=user).select_related("target_type").prefetch_related("target")


def reminder_get(*, user, pk) -> Reminder:
    return Reminder.objects.filter(user=user).select_related("target_type").get(pk=pk)


def reminders_overdue_exist(*, now: datetime.datetime | None = None) -> bool:
    """Whether some reminder (anyone's) should have fired more than ``OVERDUE_GRACE`` ago and has not."""
    now = now or timezone.now()
    return Reminder.objects.filter(
        status=ReminderStatus.ACTIVE, next_fire_at__lt=now - OVERDUE_GRACE
    ).exists()
