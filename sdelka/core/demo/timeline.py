"""Dates and moments of the demo's history: the 24 months before ``today``, working-hour timestamps that
only move forward, and the tenge exchange rate of a day.

Nothing here reads the clock: ``today`` is always passed in, so the same seed and ``today`` give the same
history on every run.
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

#: how far back the demo's history goes
HISTORY_MONTHS = 24
#: roubles for one tenge, around which the demo's rate moves from month to month
KZT_RATE = Decimal("0.17")


def history_start(today: date) -> date:
    """The first day of the demo's history: the 1st of the month 23 months before ``today``'s month.

    So the history is the current month and the 23 before it, never more than 730 days back.
    """
    index = today.year * 12 + today.month - 1 - (HISTORY_MONTHS - 1)
    return date(index // 12, index % 12 + 1, 1)


def months(today: date) -> list[date]:
    """The first days of the 24 months of the history, oldest first (the last is ``today``'s month)."""
    first = history_start(today)
    index = first.year * 12 + first.month - 1
    return [date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(HISTORY_MONTHS)]


def month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def kzt_rate(day: date) -> Decimal:
    """Roubles per tenge on ``day``: 0.17 give or take a little, the same for every day of a month."""
    wave = math.sin((day.year * 12 + day.month) / 3)
    return (KZT_RATE + Decimal(str(round(0.008 * wave, 4)))).quantize(Decimal("0.0001"))


def spread_days(rng: random.Random, start: date, end: date, count: int) -> list[date]:
    """``count`` sorted days after ``start`` up to ``end`` (all on ``start`` when there is no room)."""
    span = (end - start).days
    if span < 1:
        return [start] * count
    return sorted(start + timedelta(days=rng.randint(1, span)) for _ in range(count))


class Clock:
    """Moments in working hours that never go back: each is later than the one before, even on one day."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.last: datetime | None = None

    def at(self, day: date) -> datetime:
        moment = timezone.make_aware(datetime.combine(day, time(9))) + timedelta(
            minutes=self.rng.randint(0, 8 * 60)
        )
        if self.last is not None and moment <= self.last:
            moment = self.last + timedelta(minutes=self.rng.randint(1, 20))
        self.last = moment
        return moment
