"""Property-based tests: the SQL engine against a brute-force Python implementation of DOMAIN.md's rules.

Random clients (few names, so ties happen), random sales over two years (returns included), random
boundaries; the engine must give the same order, classes, stages and values as the brute force, the classes
must partition the subjects, and neither the order the sales were written in nor scaling every amount may
change a class.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdelka.analytics.periods import Period
from sdelka.analytics.selectors.classification import Boundaries, classification_compute
from sdelka.analytics.tests.classification_data import sell
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.partners.models import Partner

pytestmark = pytest.mark.django_db

YEAR = Period("year", date(2025, 1, 1))
MONTH = Period("month", date(2025, 3, 1))

sales_strategy = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),  # client
        st.sampled_from(
            [
                date(2024, 11, 20),
                *[date(2025, m, d) for m in (1, 3, 6, 12) for d in (1, 9, 17, 31 if m != 6 else 30)],
            ]
        ),
        st.integers(min_value=-3_000, max_value=50_000),  # kopecks
    ),
    min_size=0,
    max_size=14,
)
boundaries_strategy = st.tuples(
    st.integers(min_value=1, max_value=98), st.integers(min_value=1, max_value=99)
).filter(lambda pair: pair[0] < pair[1])
NAMES = ["Alpha", "Beta", "Beta", "Gamma", "Alpha", "Delta"]


def brute_force(sales, partners, period: Period, a: int, b: int, x: int, y: int, scale: int = 1):
    """DOMAIN.md's rules written out plainly, in exact fractions."""
    subs = period.sub_periods()
    per_sub: dict[int, list[Fraction]] = defaultdict(lambda: [Fraction(0)] * len(subs))
    bought_in: dict[int, set[int]] = defaultdict(set)
    before: set[int] = set()
    for client, day, kopecks in sales:
        pid = partners[client].pk
        if day < period.start:
            before.add(pid)
            continue
        if day > period.end:
            continue
        index = next(i for i, (first, last) in enumerate(subs) if first <= day <= last)
        per_sub[pid][index] += Fraction(kopecks * scale, 100)
        bought_in[pid].add(index)
    values = {pid: sum(parts) for pid, parts in per_sub.items()}
    names = {p.pk: p.name for p in partners}
    positive = sorted(
        (pid for pid, v in values.items() if v > 0), key=lambda pid: (-values[pid], names[pid], pid)
    )
    total = sum(values[pid] for pid in positive)
    result = {}
    running = Fraction(0)
    for pid in positive:
        share_before = running / total * 100
        running += values[pid]
        abc = "A" if share_before < a else "B" if share_before < b else "C"
        parts = per_sub[pid]
        mean = values[pid] / len(parts)
        variance = sum((part - mean) ** 2 for part in parts) / len(parts)
        cv_squared = variance / mean**2 * 10_000  # in %²
        xyz = "X" if cv_squared <= x * x else "Y" if cv_squared <= y * y else "Z"
        result[pid] = (abc, xyz)
    stages = {}
    for partner in partners:
        pid = partner.pk
        if pid in per_sub:
            stages[pid] = "one_time" if len(bought_in[pid]) == 1 and pid not in before else "regular"
        elif pid in before:
            stages[pid] = "lost"
        else:
            stages[pid] = "potential"
    return positive, result, stages, values


def _write(sales, product, partners, scale=1, order=None):
    for index in order or range(len(sales)):
        client, day, kopecks = sales[index]
        sell(partners[client], day, (product, str(Decimal(kopecks * scale) / 100)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sales=sales_strategy,
    abc=boundaries_strategy,
    xyz=boundaries_strategy,
    monthly=st.booleans(),
    data=st.data(),
)
def test_the_engine_agrees_with_the_brute_force(db, sales, abc, xyz, monthly, data):
    period = MONTH if monthly else YEAR
    boundaries = Boundaries(Decimal(abc[0]), Decimal(abc[1]), Decimal(xyz[0]), Decimal(xyz[1]))
    order = data.draw(st.permutations(range(len(sales))))
    scale = data.draw(st.sampled_from([1, 3, 10]))

    def classified(scale=1, order=None):
        """(client index, abc, xyz, stage) of each row in the engine's order, with the brute force's answer."""
        with transaction.atomic():
            partners = [Partner.objects.create(name=name, is_client=True) for name in NAMES]
            _write(sales, ProductFactory(), partners, scale=scale, order=order)
            rows = classification_compute(
                subject="clients", criterion="revenue", period=period, boundaries=boundaries
            )
            expected = brute_force(sales, partners, period, *abc, *xyz, scale=scale)
            index = {partner.pk: position for position, partner in enumerate(partners)}
            transaction.set_rollback(True)
        return rows, expected, index

    rows, (positive, expected, stages, values), index = classified()
    ranked = [row for row in rows if row.abc]
    assert [row.subject_id for row in ranked] == positive
    for row in ranked:
        assert (row.abc, row.xyz) == expected[row.subject_id]
        assert row.cell == row.abc + row.xyz
        exact = values[row.subject_id]
        assert row.value == Decimal(exact.numerator) / exact.denominator
    # The classes partition the subjects: each subject once, each positive one in exactly one class.
    assert len({row.subject_id for row in rows}) == len(rows)
    assert {row.subject_id: row.stage for row in rows} == stages
    assert all((row.abc != "") == (row.subject_id in expected) for row in rows)
    if ranked:
        assert ranked[0].abc == "A"
        assert ranked[-1].cumulative_share == pytest.approx(100)

    # The same sales written in another order, every amount scaled: the same classes, stages and order.
    again, _expected, again_index = classified(scale=scale, order=order)
    assert [(again_index[r.subject_id], r.abc, r.xyz, r.stage) for r in again] == [
        (index[r.subject_id], r.abc, r.xyz, r.stage) for r in rows
    ]
