"""When a reminder is due: pure date arithmetic in the site's time zone, with no database access.

Times of day are kept as the user set them ("every day at 09:00" stays 09:00 across a daylight-saving
change), so occurrences are computed on local dates and made aware at the end.
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

from sdelka.activities.models import ReminderRepeat

# Enough to find the next occurrence after any realistic pause of the worker, without looping forever.
MAX_STEPS = 10_000


def at_local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; the 31st becomes the month's last day where there is no 31st."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def occurrence(base: datetime.datetime, repeat: str, step: int) -> datetime.datetime:
    """The ``step``-th repetition of ``base`` (step 0 is ``base``), always counted from ``base``, so that
    a monthly reminder set on the 31st comes on the 31st again after a short month."""
    local = timezone.localtime(base)
    day, time = local.date(), local.time()
    if repeat == ReminderRepeat.DAILY:
        day += datetime.timedelta(days=step)
    elif repeat == ReminderRepeat.WEEKLY:
        day += datetime.timedelta(weeks=step)
    elif repeat == ReminderRepeat.MONTHLY:
        day = add_months(day, step)
    elif repeat == ReminderRepeat.YEARLY:
        day = add_months(day, 12 * step)
    elif step:
        raise ValueError("A reminder that does not repeat has no next occurrence.")
    return at_local(day, time)


def next_occurrence(
    base: datetime.datetime, repeat: str, after: datetime.datetime
) -> datetime.datetime | None:
    """The first repetition of ``base`` later than ``after`` (missed ones are skipped); None if it does not
    repeat and ``base`` is not later than ``after``."""
    if repeat == ReminderRepeat.NONE:
        return base if base > after else None
    days_per_step = {
        ReminderRepeat.DAILY: 1,
        ReminderRepeat.WEEKLY: 7,
        ReminderRepeat.MONTHLY: 31,
        ReminderRepeat.YEARLY: 366,
    }[repeat]
    # Start just below the answer (a step is at most days_per_step days long), then walk forward.
    first = max((after - base).days // days_per_step - 1, 0)
    for step in range(first, first + MAX_STEPS):
        candidate = occurrence(base, repeat, step)
        if candidate > after:
            return candidate
    return None


def anniversary(day: datetime.date, year: int) -> datetime.date:
    """``day`` in ``year``; 29 February is the 28th in other years."""
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def relative_due(
    date_value: datetime.date | None,
    *,
    offset_days: int,
    at_time: datetime.time,
    annual: bool,
    after: datetime.datetime,
) -> datetime.datetime | None:
    """When a reminder relative to ``date_value`` is due.

    For a one-time date (a deal's planned close date) it is the date moved by ``offset_days``, at
    ``at_time``, whether or not that is past. For an annual date (a birthday) it is the first yearly
    occurrence later than ``after``. None when the record has no date.
    """
    if date_value is None:
        return None
    offset = datetime.timedelta(days=offset_days)
    if not annual:
        return at_local(date_value + offset, at_time)
    year = timezone.localtime(after).year - 1
    for candidate_year in range(year, year + 3):
        due = at_local(anniversary(date_value, candidate_year) + offset, at_time)
        if due > after:
            return due
    return None
