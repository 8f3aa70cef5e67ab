"""The classification rules of DOMAIN.md on hand-computed cases: ABC, XYZ, relationship stages, cells."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sdelka.analytics.periods import Period, is_period_start, last_closed
from sdelka.analytics.selectors.classification import Boundaries, classification_compute
from sdelka.analytics.tests.classification_data import sell
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

DEFAULTS = Boundaries(Decimal("80"), Decimal("95"), Decimal("10"), Decimal("25"))
YEAR = Period("year", date(2025, 1, 1))
QUARTER = Period("quarter", date(2025, 1, 1))
JANUARY = Period("month", date(2025, 1, 1))


def classify(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS):
    rows = classification_compute(subject=subject, criterion=criterion, period=period, boundaries=boundaries)
    return {row.name: row for row in rows}, [row.name for row in rows]


def test_abc_takes_the_smallest_top_group_reaching_80_and_95_percent():
    # 50, 30, 10, 6, 4 of 100: before = 0, 50, 80, 90, 96 → A, A, B, B, C.
    for name, amount in (("E", "4"), ("D", "6"), ("C", "10"), ("B", "30"), ("A", "50")):
        sell(PartnerFactory(name=name), date(2025, 3, 1), (None, amount))
    rows, order = classify()
    assert order == ["A", "B", "C", "D", "E"]
    assert [rows[name].abc for name in order] == ["A", "A", "B", "B", "C"]
    assert [rows[name].share for name in order] == pytest.approx([50, 30, 10, 6, 4])
    assert [rows[name].cumulative_share for name in order] == pytest.approx([50, 80, 90, 96, 100])


def test_the_top_client_alone_above_80_percent_is_the_only_a():
    sell(PartnerFactory(name="Giant"), date(2025, 5, 1), (None, "900"))
    sell(PartnerFactory(name="Small"), date(2025, 5, 1), (None, "60"))
    sell(PartnerFactory(name="Tiny"), date(2025, 5, 1), (None, "40"))
    rows, _order = classify()
    # before: 0 → A; 90 % → B (not below 80, below 95); 96 % → C.
    assert (rows["Giant"].abc, rows["Small"].abc, rows["Tiny"].abc) == ("A", "B", "C")


def test_a_single_client_is_a_with_the_whole_total():
    sell(PartnerFactory(name="Only"), date(2025, 2, 10), (None, "123.45"))
    rows, _order = classify()
    assert rows["Only"].abc == "A"
    assert rows["Only"].share == pytest.approx(100)
    assert rows["Only"].value == Decimal("123.45")


def test_ties_are_ranked_by_name_then_id():
    first_b = PartnerFactory(name="Beta")
    second_b = PartnerFactory(name="Beta")
    alpha = PartnerFactory(name="Alpha")
    for partner in (second_b, first_b, alpha):
        sell(partner, date(2025, 4, 1), (None, "100"))
    rows = classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    assert [row.subject_id for row in rows] == [alpha.pk, first_b.pk, second_b.pk]
    # before: 0, 33.3 %, 66.7 % → all A; the boundary is strict only for the share before.
    assert [row.abc for row in rows] == ["A", "A", "A"]


def test_the_boundary_is_compared_on_the_share_before_exactly():
    # 80 then 20: the second has exactly 80 % before it, which is not below 80 % → B.
    sell(PartnerFactory(name="First"), date(2025, 1, 5), (None, "80.00"))
    sell(PartnerFactory(name="Second"), date(2025, 1, 5), (None, "20.00"))
    rows, _order = classify()
    assert rows["Second"].abc == "B"


def test_only_positive_values_get_abc_and_returns_making_gross_profit_negative_get_none():
    winner = PartnerFactory(name="Winner")
    loser = PartnerFactory(name="Loser")
    sell(winner, date(2025, 3, 1), (None, "1000", "600"))
    sell(loser, date(2025, 3, 1), (None, "100", "90"))
    sell(loser, date(2025, 4, 1), (None, "-100", "-20"))  # a return at a loss: GP 10 − 80 = −70
    rows, order = classify(criterion="gross_profit")
    assert rows["Loser"].value == Decimal("-70.00")
    assert (rows["Loser"].abc, rows["Loser"].xyz, rows["Loser"].cell, rows["Loser"].share) == (
        "",
        "",
        "",
        None,
    )
    assert rows["Winner"].abc == "A"
    assert rows["Winner"].share == pytest.approx(100)
    assert order == ["Winner", "Loser"]
    # By revenue the loser's 100 − 100 = 0 is not positive either.
    rows, _order = classify(criterion="revenue")
    assert rows["Loser"].value == Decimal("0.00") and rows["Loser"].abc == ""


def test_sales_count_counts_distinct_documents():
    client = PartnerFactory(name="Client")
    other = PartnerFactory(name="Other")
    sell(client, date(2025, 1, 3), (None, "10"), (None, "20"))  # one document, two lines
    sell(client, date(2025, 2, 3), (None, "10"))
    sell(other, date(2025, 2, 3), (None, "1000"))
    rows, order = classify(criterion="sales_count")
    assert rows["Client"].value == 2 and rows["Other"].value == 1
    assert order == ["Client", "Other"]
    products, _order = classify(subject="products", criterion="sales_count")
    assert all(row.value == 1 for row in products.values())


def test_xyz_counts_months_without_sales_as_zero():
    steady, seasonal = PartnerFactory(name="Steady"), PartnerFactory(name="Seasonal")
    for month in (1, 2, 3):
        sell(steady, date(2025, month, 10), (None, "100"))
    sell(seasonal, date(2025, 1, 10), (None, "300"))
    rows, _order = classify(period=QUARTER)
    assert rows["Steady"].cv == pytest.approx(0) and rows["Steady"].xyz == "X"
    # 300, 0, 0: mean 100, σ = √((200² + 100² + 100²) / 3) = 141.42 → CV 141.4 %.
    assert rows["Seasonal"].cv == pytest.approx(141.4214, abs=1e-3)
    assert rows["Seasonal"].xyz == "Z"
    # Over the year the steady client has nine empty months: 100 ×3, 0 ×9 → CV = √3 = 173.2 %.
    rows, _order = classify(period=YEAR)
    assert rows["Steady"].cv == pytest.approx(173.2051, abs=1e-3)


def test_xyz_boundaries_are_inclusive():
    # Over a year, six months of 110 and six of 90: mean 100, σ = 10 → CV exactly 10 % → X.
    # 125/75 → exactly 25 % → Y; 126/74 → 26 % → Z.
    for name, high, low in (("Ten", "110", "90"), ("Twenty-five", "125", "75"), ("Twenty-six", "126", "74")):
        client = PartnerFactory(name=name)
        for month in range(1, 13):
            sell(client, date(2025, month, 3), (None, high if month % 2 else low))
    rows, _order = classify()
    assert rows["Ten"].cv == pytest.approx(10) and rows["Ten"].xyz == "X"
    assert rows["Twenty-five"].cv == pytest.approx(25) and rows["Twenty-five"].xyz == "Y"
    assert rows["Twenty-six"].cv == pytest.approx(26) and rows["Twenty-six"].xyz == "Z"


def test_the_boundaries_come_from_the_settings():
    x, y = PartnerFactory(name="X client"), PartnerFactory(name="Y client")
    for month, amount in ((1, "95"), (2, "100"), (3, "105")):
        sell(x, date(2025, month, 1), (None, amount))
    for month, amount in ((1, "75"), (2, "100"), (3, "125")):
        sell(y, date(2025, month, 1), (None, amount))
    rows, _order = classify(period=QUARTER)
    assert rows["X client"].xyz == "X" and rows["X client"].cv == pytest.approx(4.0825, abs=1e-3)
    assert rows["Y client"].xyz == "Y" and rows["Y client"].cv == pytest.approx(20.4124, abs=1e-3)
    assert (rows["Y client"].abc, rows["X client"].abc) == ("A", "A")  # 300 each; before 0 and 50 %
    strict = Boundaries(Decimal("40"), Decimal("45"), Decimal("0"), Decimal("4"))
    rows, _order = classify(period=QUARTER, boundaries=strict)
    # Equal values rank by name: X client has 0 % before it (A), Y client 50 % (not below 45 % → C).
    assert (rows["X client"].abc, rows["Y client"].abc) == ("A", "C")
    assert (rows["X client"].xyz, rows["Y client"].xyz) == ("Z", "Z")


def test_weeks_are_the_sub_periods_of_a_month():
    # January 2025 starts on a Wednesday: weeks 1–5, 6–12, 13–19, 20–26, 27–31 (five sub-periods).
    assert JANUARY.sub_periods() == [
        (date(2025, 1, 1), date(2025, 1, 5)),
        (date(2025, 1, 6), date(2025, 1, 12)),
        (date(2025, 1, 13), date(2025, 1, 19)),
        (date(2025, 1, 20), date(2025, 1, 26)),
        (date(2025, 1, 27), date(2025, 1, 31)),
    ]
    weekly = PartnerFactory(name="Weekly")
    for day in (2, 7, 14, 21, 28):
        sell(weekly, date(2025, 1, day), (None, "100"))
    once = PartnerFactory(name="Once")
    sell(once, date(2025, 1, 6), (None, "250"))
    sell(once, date(2025, 1, 12), (None, "250"))  # the same week
    rows, _order = classify(period=JANUARY)
    assert rows["Weekly"].cv == pytest.approx(0) and rows["Weekly"].xyz == "X"
    # 0, 500, 0, 0, 0: mean 100, σ = 200 → 200 %.
    assert rows["Once"].cv == pytest.approx(200)
    assert rows["Once"].stage == "one_time"  # one week, nothing before
    assert rows["Weekly"].stage == "regular"


def test_relationship_stages():
    potential = PartnerFactory(name="Potential", is_client=True)
    PartnerFactory(name="Supplier only", is_client=False, is_supplier=True)
    one_time = PartnerFactory(name="One-time")
    regular_old = PartnerFactory(name="Regular, bought before")
    regular_twice = PartnerFactory(name="Regular, two months")
    lost = PartnerFactory(name="Lost")
    future = PartnerFactory(name="First buys later")
    sell(one_time, date(2025, 2, 1))
    sell(regular_old, date(2024, 6, 1))
    sell(regular_old, date(2025, 2, 1))
    sell(regular_twice, date(2025, 1, 1))
    sell(regular_twice, date(2025, 3, 1))
    sell(lost, date(2024, 12, 31))
    sell(future, date(2025, 5, 1))
    rows, order = classify(period=QUARTER)
    assert rows["One-time"].stage == "one_time"
    assert rows["Regular, bought before"].stage == "regular"
    assert rows["Regular, two months"].stage == "regular"
    assert rows["Lost"].stage == "lost"
    assert rows["Potential"].stage == "potential"
    assert rows["First buys later"].stage == "potential"  # never bought up to the quarter's end
    assert "Supplier only" not in rows  # never a client, never bought
    for name in ("Lost", "Potential"):
        assert (rows[name].value, rows[name].abc, rows[name].xyz) == (None, "", "")
    assert potential.pk in {
        row.subject_id
        for row in classification_compute(
            subject="clients", criterion="revenue", period=QUARTER, boundaries=DEFAULTS
        )
    }
    # Rows without a value come after the ranked ones, by name.
    assert order[-3:] == ["First buys later", "Lost", "Potential"]


def test_products_get_no_stage_and_only_those_sold_in_the_period():
    pump = ProductFactory(name="Pump")
    ProductFactory(name="Never sold")
    sell(PartnerFactory(), date(2025, 7, 1), (pump, "500"))
    rows, order = classify(subject="products")
    assert order == ["Pump"]
    assert rows["Pump"].stage == "" and rows["Pump"].cell == "AZ"


def test_cells_combine_abc_and_xyz():
    steady, burst = PartnerFactory(name="Steady"), PartnerFactory(name="Burst")
    for month in range(1, 13):
        sell(steady, date(2025, month, 15), (None, "1000"))
    sell(burst, date(2025, 6, 1), (None, "10"))
    rows, _order = classify()
    assert rows["Steady"].cell == "AX"
    assert rows["Burst"].cell == "CZ"


def test_period_helpers():
    assert is_period_start("quarter", date(2025, 4, 1))
    assert not is_period_start("quarter", date(2025, 5, 1))
    assert not is_period_start("month", date(2025, 5, 2))
    assert is_period_start("half_year", date(2025, 7, 1))
    assert last_closed("year", date(2026, 1, 1)) == Period("year", date(2025, 1, 1))
    assert last_closed("quarter", date(2026, 5, 20)) == Period("quarter", date(2026, 1, 1))
    assert Period("half_year", date(2025, 7, 1)).end == date(2025, 12, 31)
    assert Period("quarter", date(2025, 1, 1)).is_closed(date(2025, 4, 1))
    assert not Period("quarter", date(2025, 1, 1)).is_closed(date(2025, 3, 31))
