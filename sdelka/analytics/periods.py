"""Periods of the classification: months, quarters, half-years and years, and their sub-periods.

A period is closed when its last day is before today. XYZ splits a period into its months; a month period
is split into calendar weeks (Monday to Sunday) cut at the month's edges, so its first and last "weeks"
may be shorter — each day of the month belongs to exactly one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from sdelka.analytics.choices import PeriodType

MONTHS_IN = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.HALF_YEAR: 6, PeriodType.YEAR: 12}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from ``first``'s to ``last``'s, inclusive."""
    months, current, end = [], month_start(first), month_start(last)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


@dataclass(frozen=True)
class Period:
    type: str
    start: date

    @property
    def months(self) -> int:
        return MONTHS_IN[PeriodType(self.type)]

    @property
    def end(self) -> date:
        """The last day of the period."""
        return add_months(self.start, self.months) - timedelta(days=1)

    @property
    def next_start(self) -> date:
        return add_months(self.start, self.months)

    def month_starts(self) -> list[date]:
        return [add_months(self.start, offset) for offset in range(self.months)]

    def sub_periods(self) -> list[tuple[date, date]]:
        """(first day, last day) of each XYZ sub-period: the months, or the weeks of a month period."""
        if self.type != PeriodType.MONTH:
            return [(start, add_months(start, 1) - timedelta(days=1)) for start in self.month_starts()]
        weeks, first = [], self.start
        while first <= self.end:
            last = min(first + timedelta(days=6 - first.weekday()), self.end)
            weeks.append((first, last))
            first = last + timedelta(days=1)
        return weeks

    def is_closed(self, today: date) -> bool:
        return self.end < today

    def previous(self) -> Period:
        return Period(self.type, add_months(self.start, -self.months))

    def following(self) -> Period:
        return Period(self.type, self.next_start)

    def label(self) -> str:
        if self.type == PeriodType.MONTH:
            return formats.date_format(self.start, "F Y")
        if self.type == PeriodType.QUARTER:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        if self.type == PeriodType.HALF_YEAR:
            return _("H%(half)s %(year)s") % {
                "half": 1 if self.start.month == 1 else 2,
                "year": self.start.year,
            }
        return str(self.start.year)


def is_period_start(period_type: str, day: date) -> bool:
    """Whether ``day`` starts a period of the type: the 1st of a month, of a quarter's, half-year's or year's
    first month."""
    months = MONTHS_IN[PeriodType(period_type)]
    return day.day == 1 and (day.month - 1) % months == 0


def period_containing(period_type: str, day: date) -> Period:
    months = MONTHS_IN[PeriodType(period_type)]
    return Period(period_type, date(day.year, (day.month - 1) // months * months + 1, 1))


def last_closed(period_type: str, today: date) -> Period:
    return period_containing(period_type, today).previous()


def closed_periods(period_type: str, *, first_day: date, today: date) -> list[Period]:
    """Every closed period of the type from the one containing ``first_day`` up to the last closed one."""
    periods = []
    current, last = period_containing(period_type, first_day), last_closed(period_type, today)
    while current.start <= last.start:
        periods.append(current)
        current = current.following()
    return periods
