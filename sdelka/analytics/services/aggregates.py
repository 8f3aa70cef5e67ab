"""The per-month sales aggregates (``ClientMonth``, ``ProductMonth``) kept equal to a group-by of the facts.

``sales_aggregates_refresh`` recomputes the given (subject, month) cells in SQL — DELETE the cells, then one
INSERT … SELECT … GROUP BY per month — never looping over facts in Python. The month of a cell is a query
parameter, so no date function runs per fact (SQLite has none Django could use without a Python call).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

from sdelka.analytics.models import ClassifiedPeriod, ClientMonth, ProductMonth
from sdelka.analytics.periods import MONTHS_IN, add_months, month_start, months_between
from sdelka.documents.bulk import copy_text_of_numbers
from sdelka.documents.models import SalesFact


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _refresh_table(model, subject_column: str, month: date, ids: list[int] | None) -> None:
    table, facts = _table(model), _table(SalesFact)
    subject_filter, params = "", []
    if ids is not None:
        marks = ", ".join(["%s"] * len(ids))
        subject_filter = f" AND {subject_column} IN ({marks})"
        params = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE month = %s{subject_filter}", [month, *params])
        cursor.execute(
            f"INSERT INTO {table} ({subject_column}, month, revenue, cost, gross_profit, sales_count) "
            f"SELECT {subject_column}, %s, SUM(revenue), SUM(cost), SUM(gross_profit), COUNT(DISTINCT sale_id) "
            f"FROM {facts} WHERE date >= %s AND date < %s{subject_filter} GROUP BY {subject_column}",
            [month, month, add_months(month, 1), *params],
        )


class NewSalesCells:
    """What a batch of new sales adds to the aggregate cells, summed as its facts are built (the history
    import), so the cells are updated without reading the facts back.

    ``add_sale`` takes one sale after another, each once: a cell counts a sale once however many of its
    lines fall in it, which is ``COUNT(DISTINCT sale_id)`` of a refresh.
    """

    def __init__(self):
        # cell key (see ``_key``) -> [revenue, cost, gross profit, sales, the last sale counted]
        self.clients: dict[int, list] = {}
        self.products: dict[int, list] = {}
        self._tables: list[tuple] | None = None

    # A cell's key is one integer, the subject's id and the month's number (year · 12 + month − 1) side by
    # side: a million lines look a cell up a million times, and an integer hashes and compares faster than
    # a (subject, date) tuple made for each. Keys sort as (subject, month) do.
    MONTH_BITS = 16

    def add_sale(self, sale, day: date, partner_id: int, lines: list[tuple]) -> None:
        """One new sale on ``day``: its ``lines`` as (product id, revenue, cost, gross profit)."""
        month, shift = day.year * 12 + day.month - 1, self.MONTH_BITS
        revenue = cost = gross_profit = 0
        products = self.products
        for product_id, line_revenue, line_cost, line_profit in lines:
            revenue += line_revenue
            cost += line_cost
            gross_profit += line_profit
            # Inline rather than a call per line: a million-line import makes a million of them.
            key = product_id << shift | month
            cell = products.get(key)
            if cell is None:
                products[key] = [line_revenue, line_cost, line_profit, 1, sale]
            else:
                cell[0] += line_revenue
                cell[1] += line_cost
                cell[2] += line_profit
                if cell[4] is not sale:
                    cell[3] += 1
                    cell[4] = sale
        key = partner_id << shift | month
        cell = self.clients.get(key)
        if cell is None:
            self.clients[key] = [revenue, cost, gross_profit, 1, sale]
        else:
            cell[0] += revenue
            cell[1] += cost
            cell[2] += gross_profit
            cell[3] += 1

    @classmethod
    def _month(cls, key: int) -> date:
        number = key & ((1 << cls.MONTH_BITS) - 1)
        return date(number // 12, number % 12 + 1, 1)

    def months(self) -> list[date]:
        mask = (1 << self.MONTH_BITS) - 1
        return [self._month(number) for number in sorted({key & mask for key in self.clients})]

    def tables(self) -> list[tuple]:
        """(model, subject column, rows in key order, their COPY text on PostgreSQL) of each table touched;
        worked out once, so a caller may do it before handing the cells to another thread to write."""
        if self._tables is None:
            self._tables = []
            shift, mask = self.MONTH_BITS, (1 << self.MONTH_BITS) - 1
            for model, column, by_key in (
                (ClientMonth, "partner_id", self.clients),
                (ProductMonth, "product_id", self.products),
            ):
                if by_key:
                    month = {number: self._month(number) for number in {key & mask for key in by_key}}
                    rows = [(key >> shift, month[key & mask], *by_key[key][:4]) for key in sorted(by_key)]
                    text = copy_text_of_numbers(rows) if connection.vendor == "postgresql" else None
                    self._tables.append((model, column, rows, text))
        return self._tables


def _upsert_sql(model, column: str, source: str) -> str:
    table = _table(model)
    return (
        f"INSERT INTO {table} ({column}, month, revenue, cost, gross_profit, sales_count) {source} "
        f"ON CONFLICT ({column}, month) DO UPDATE SET "
        f"revenue = {table}.revenue + excluded.revenue, cost = {table}.cost + excluded.cost, "
        f"gross_profit = {table}.gross_profit + excluded.gross_profit, "
        f"sales_count = {table}.sales_count + excluded.sales_count"
    )


def sales_aggregates_add(cells: NewSalesCells) -> None:
    """Add new sales to the aggregates (the history import, a batch of sales at a time): each cell they touch
    grows by their sums (``INSERT … ON CONFLICT DO UPDATE``), which is cheaper than a refresh recomputing
    whole months from every fact of them. Right only for sales not counted before, which new sales are. Call
    it in the transaction that wrote their facts; cells go in their key order, so two imports lock them in
    the same order."""
    with connection.cursor() as cursor:
        for model, column, rows, text in cells.tables():
            if text is not None:
                # COPY into a scratch table, then one upsert from it: binding tens of thousands of values
                # as parameters costs more than the upsert itself.
                cursor.execute(
                    "CREATE TEMPORARY TABLE sdelka_new_cells (subject bigint, month date, revenue numeric, "
                    "cost numeric, gross_profit numeric, sales_count integer) ON COMMIT DROP"
                )
                with cursor.cursor.copy("COPY sdelka_new_cells FROM STDIN") as copy:
                    copy.write(text)
                cursor.execute(_upsert_sql(model, column, "SELECT * FROM sdelka_new_cells ORDER BY 1, 2"))
                cursor.execute("DROP TABLE sdelka_new_cells")
            else:
                cursor.executemany(_upsert_sql(model, column, "VALUES (%s, %s, %s, %s, %s, %s)"), rows)
    _forget_stored_periods(cells.months())


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _forget_stored_periods(months: list[date]) -> None:
    """Stored classes of periods containing a changed month no longer match the sales: they are dropped, so
    reports compute those periods again (and the next classification run stores them anew)."""
    starts = set()
    for month in months:
        for period_type, length in MONTHS_IN.items():
            starts.add((period_type.value, date(month.year, (month.month - 1) // length * length + 1, 1)))
    if not starts:
        return
    stored = ClassifiedPeriod.objects.filter(period_start__lte=max(months)).values_list(
        "pk", "period_type", "period_start"
    )
    stale = [pk for pk, period_type, start in stored if (period_type, start) in starts]
    if stale:
        ClassifiedPeriod.objects.filter(pk__in=stale).delete()


@transaction.atomic
def sales_aggregates_refresh(
    *,
    months: Iterable[date],
    partner_ids: Iterable[int] | None = None,
    product_ids: Iterable[int] | None = None,
) -> None:
    """Recompute the aggregate cells of ``months`` (any day of each month will do) from the sales facts.

    ``partner_ids``/``product_ids`` limit the cells of clients/products to those subjects (a posted sale
    touches one client and its lines' products); ``None`` recomputes every subject of those months. Call
    it in the transaction that changed the facts: on PostgreSQL it locks the subjects' rows first, so two
    sales of one client posted at once recompute its cells one after the other and the second sees the
    first one's facts.
    """
    from sdelka.catalog.models import Product
    from sdelka.partners.models import Partner

    month_list = sorted({month_start(day) for day in months})
    if not month_list:
        return
    partners = None if partner_ids is None else sorted(set(partner_ids))
    products = None if product_ids is None else sorted(set(product_ids))
    if partners:
        list(Partner.objects.select_for_update().filter(pk__in=partners).order_by("pk").values_list("pk"))
    if products:
        list(Product.objects.select_for_update().filter(pk__in=products).order_by("pk").values_list("pk"))
    for month in month_list:
        if partners != []:
            _refresh_table(ClientMonth, "partner_id", month, partners)
        if products != []:
            _refresh_table(ProductMonth, "product_id", month, products)
    _forget_stored_periods(month_list)


def sales_aggregates_rebuild() -> int:
    """Rebuild every aggregate from the facts (``manage.py analytics_rebuild``); the number of months."""
    bounds = SalesFact.objects.order_by().values_list("date", flat=True)
    first, last = bounds.order_by("date").first(), bounds.order_by("-date").first()
    with transaction.atomic():
        ClientMonth.objects.all().delete()
        ProductMonth.objects.all().delete()
        ClassifiedPeriod.objects.all().delete()
        if first is None:
            return 0
        months = months_between(first, last)
        for month in months:
            _refresh_table(ClientMonth, "partner_id", month, None)
            _refresh_table(ProductMonth, "product_id", month, None)
    return len(months)
