"""The rows of a report read a page at a time: computed ones made into rows only when read, stored ones
fetched from the database a page (or a cell, or the matrix's sums) at a time — and both the same as the
whole list."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sdelka.analytics.models import ClassifiedPeriod
from sdelka.analytics.periods import Period
from sdelka.analytics.selectors.classification import Boundaries, ComputedRows, classification_compute
from sdelka.analytics.selectors.classification_reports import (
    StoredRows,
    classification_matrix,
    classification_report,
)
from sdelka.analytics.services.classification import classification_store
from sdelka.analytics.tests.classification_data import sell
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

YEAR = Period("year", date(2025, 1, 1))
DEFAULTS = Boundaries(Decimal(80), Decimal(95), Decimal(10), Decimal(25))


@pytest.fixture
def sales():
    """40 clients with sales in 2025 of every shape (steady, seasonal, a loss), 6 lost, 4 potential."""
    rng = random.Random(5)
    for number in range(40):
        client = PartnerFactory(name=f"Client {number:02d}", is_client=True)
        months = rng.sample(range(1, 13), rng.randint(1, 12))
        for month in months:
            amount = Decimal(rng.randint(1, 5000)) * (number + 1)
            sell(client, date(2025, month, 10), (None, str(amount if number != 7 else -amount)))
    for number in range(6):
        sell(PartnerFactory(name=f"Lost {number}", is_client=True), date(2024, 3, 1), (None, "50.00"))
    for number in range(4):
        PartnerFactory(name=f"Potential {number}", is_client=True)


def _every(rows) -> list:
    return [tuple(vars(row).values()) if hasattr(row, "__dict__") else _fields(row) for row in rows]


def _fields(row) -> tuple:
    return tuple(getattr(row, name) for name in row.__slots__)


def _whole_list():
    return list(
        classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    )


def test_computed_rows_read_by_page_are_the_rows_of_the_whole_list(sales):
    rows = classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    whole = [_fields(row) for row in rows]
    assert len(rows) == rows.count() == 50 == len(whole)
    assert [row.position for row in rows] == list(range(1, 51))
    for start, stop in ((0, 7), (7, 14), (45, 60), (60, 70), (3, 3)):
        assert [_fields(row) for row in rows[start:stop]] == whole[start:stop]
    assert _fields(rows[-1]) == whole[-1] and _fields(rows[0]) == whole[0]
    with pytest.raises(IndexError):
        rows[50]


def test_a_cell_of_computed_rows_keeps_the_positions_of_the_whole_report(sales):
    rows = classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    whole = list(rows)
    for cell in {row.cell for row in whole if row.cell}:
        assert [_fields(row) for row in rows.in_cell(cell)] == [
            _fields(row) for row in whole if row.cell == cell
        ]
    with_value = rows.with_value()
    assert [_fields(row) for row in with_value] == [_fields(row) for row in whole if row.value is not None]
    assert {row.stage for row in whole if row.value is None} == {"lost", "potential"}


def _cell_sums(rows) -> dict:
    sums: dict = {}
    for row in rows:
        if row.cell:
            count, revenue, value = sums.get(row.cell, (0, Decimal(0), Decimal(0)))
            sums[row.cell] = (count + 1, revenue + row.revenue, value + row.value)
    return sums


def test_computed_cell_totals_are_the_sums_of_the_cells_rows(sales):
    rows = classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    assert rows.cell_totals() == _cell_sums(rows)
    assert len(rows.cell_totals()) > 2  # a fixture that fills several cells


def test_stored_rows_read_a_page_at_a_time_equal_the_computed_ones(sales):
    stored = classification_store(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    computed = [_fields(row) for row in _whole_list()]
    rows = StoredRows(stored)
    assert len(rows) == rows.count() == stored.rows == 50
    assert [_fields(row) for row in rows] == computed
    for start, stop in ((0, 7), (7, 14), (45, 60), (3, 3)):
        assert [_fields(row) for row in rows[start:stop]] == computed[start:stop]
    assert _fields(rows[-1]) == computed[-1] and _fields(rows[2]) == computed[2]
    with pytest.raises(IndexError):
        rows[50]
    for cell in {values[-1] for values in computed if values[-1]}:
        assert [_fields(row) for row in rows.in_cell(cell)] == [
            values for values in computed if values[-1] == cell
        ]
    assert [_fields(row) for row in rows.with_value()] == [
        values for values in computed if values[3] is not None
    ]
    assert rows.cell_totals() == _cell_sums(_whole_list())


def test_a_page_of_a_stored_report_reads_only_that_page_and_the_matrix_sums(sales, admin_user):
    classification_store(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    report = classification_report(user=admin_user, subject="clients", criterion="revenue", period=YEAR)
    assert isinstance(report.rows, StoredRows)
    with CaptureQueriesContext(connection) as queries:
        page = report.rows[10:20]
        matrix = classification_matrix(report.rows, report.names)
    assert [row.position for row in page] == list(range(11, 21))
    selects = [query["sql"] for query in queries.captured_queries]
    assert len(selects) == 2
    assert "LIMIT 10" in selects[0] and "OFFSET 10" in selects[0]
    assert "GROUP BY" in selects[1]
    computed = classification_matrix(
        classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS),
        report.names,
    )
    assert [[(c.cell, c.count, c.revenue, c.value) for c in line] for line in matrix] == [
        [(c.cell, c.count, c.revenue, c.value) for c in line] for line in computed
    ]
    assert sum(cell.count for line in matrix for cell in line) == 39  # client 07's loss has no class


def test_an_empty_stored_period_reads_as_no_rows(db):
    stored = ClassifiedPeriod.objects.create(
        subject="clients",
        criterion="revenue",
        period_type="year",
        period_start=YEAR.start,
        classified_at="2026-01-01T00:00Z",
    )
    rows = StoredRows(stored)
    assert len(rows) == 0 and rows[0:10] == [] and list(rows) == [] and rows.cell_totals() == {}
    assert isinstance(ComputedRows([], money=True, kopecks=False).cell_totals(), dict)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings of a transaction")
@pytest.mark.django_db(transaction=True)
def test_the_statement_gets_its_memory_and_no_jit_for_its_transaction_only(sales):
    def settings() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('work_mem'), current_setting('jit')")
            return cursor.fetchone()

    before = settings()
    assert before != ("64MB", "off")
    from django.db import transaction

    with transaction.atomic():
        classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
        assert settings() == ("64MB", "off")
    classification_compute(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    assert settings() == before


def test_stored_rows_keep_names_with_tabs_and_backslashes_and_exact_shares(sales):
    odd = PartnerFactory(name="Tab\there \\ back\\slash", is_client=True)
    sell(odd, date(2025, 4, 2), (None, "1234.56"))
    stored = classification_store(subject="clients", criterion="revenue", period=YEAR, boundaries=DEFAULTS)
    computed = [_fields(row) for row in _whole_list()]
    assert [_fields(row) for row in StoredRows(stored)] == computed
    assert odd.name in [values[1] for values in computed]
    assert stored.rows == 51
