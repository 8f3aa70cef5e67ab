"""The period every analytics dashboard covers (the funnel, the manager screen, the KPI dashboard).

Dates are inclusive days in the company's time zone; events stamped with a time (deal events, tasks,
interactions, claims) are compared with the aware bounds of those days, so an index on the timestamp serves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (the start of the day after ``end``)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + timedelta(days=32)).replace(day=1)
        return months


def default_period(today: date | None = None) -> Period:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    today = today or timezone.localdate()
    month, year = today.month - 11, today.year
    if month < 1:
        month, year = month + 12, year - 1
    return Period(start=date(year, month, 1), end=today)
