"""Shared helpers of the reminder and notification tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sdelka.activities.models import Reminder, ReminderStatus, ReminderTiming
from sdelka.activities.schedule import at_local


def local(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return at_local(datetime.date(year, month, day), datetime.time(hour, minute))


def due_reminder(*, user, record, text="Call back", minutes_ago=1, **fields) -> Reminder:
    """A fixed reminder already due, written directly (the service refuses times in the past)."""
    from django.contrib.contenttypes.models import ContentType

    when = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    return Reminder.objects.create(
        user=user,
        target_type=ContentType.objects.get_for_model(record),
        target_id=record.pk,
        text=text,
        timing=ReminderTiming.FIXED,
        remind_at=when,
        next_fire_at=when,
        status=ReminderStatus.ACTIVE,
        **fields,
    )
