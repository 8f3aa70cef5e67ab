"""Whether the pages should say that the background worker is not running."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from sdelka.activities.selectors.reminders import OVERDUE_GRACE, reminders_overdue_exist
from sdelka.core.worker import worker_alive


def queued_tasks_overdue(*, now: datetime.datetime) -> bool:
    """A task ready to run for longer than the grace period (queued long ago, or its retry time long past)."""
    late = now - OVERDUE_GRACE
    not_deferred = Q(run_after=get_date_max(), enqueued_at__lt=late)
    return DBTaskResult.objects.ready().filter(not_deferred | Q(run_after__lt=late)).exists()


def worker_down(*, now: datetime.datetime | None = None) -> bool:
    """No worker seen within the heartbeat timeout while work is overdue: nobody will do it."""
    now = now or timezone.now()
    if worker_alive(now):
        return False
    return reminders_overdue_exist(now=now) or queued_tasks_overdue(now=now)
