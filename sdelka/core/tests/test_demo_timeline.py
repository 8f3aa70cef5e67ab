"""The dates of the demo's history: 24 months back, moments that never go back, a tenge rate near 0.17."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from sdelka.core.demo.timeline import Clock, history_start, kzt_rate, month_end, months, spread_days


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2025, 12, 15), date(2024, 1, 1)),
        (date(2026, 1, 1), date(2024, 2, 1)),
        (date(2026, 11, 30), date(2024, 12, 1)),
    ],
)
def test_the_history_is_the_current_month_and_the_23_before(today, first):
    assert history_start(today) == first
    assert (today - first).days <= 730
    assert len(months(today)) == 24 and months(today)[0] == first
    assert months(today)[-1] == today.replace(day=1)


def test_month_end_handles_december_and_february():
    assert month_end(date(2025, 12, 1)) == date(2025, 12, 31)
    assert month_end(date(2024, 2, 1)) == date(2024, 2, 29)


def test_spread_days_are_sorted_after_the_start_up_to_the_end():
    rng = random.Random(1)
    start, end = date(2025, 1, 1), date(2025, 3, 1)
    days = spread_days(rng, start, end, 5)
    assert days == sorted(days) and all(start < day <= end for day in days)
    assert spread_days(rng, start, start, 3) == [start] * 3


def test_a_clock_never_goes_back_even_within_one_day():
    clock = Clock(random.Random(3))
    day = date(2025, 5, 5)
    moments = [clock.at(day) for _ in range(6)] + [clock.at(day + timedelta(days=1))]
    assert moments == sorted(moments) and len(set(moments)) == len(moments)
    assert all(moment.tzinfo is not None for moment in moments)


def test_the_tenge_rate_stays_near_0_17_and_is_one_per_month():
    rates = {kzt_rate(first) for first in months(date(2025, 12, 15))}
    assert all(Decimal("0.16") <= rate <= Decimal("0.18") for rate in rates)
    assert len(rates) > 5
    assert kzt_rate(date(2025, 3, 1)) == kzt_rate(date(2025, 3, 31))
