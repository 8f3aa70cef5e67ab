"""The per-month aggregates stay equal to a group-by of the sales facts: after posting, unposting, bulk loads
and a rebuild; and stored classes of a period whose sales changed are dropped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from hypothesis import given
from hypothesis import strategies as st

from sdelka.analytics.models import ClassifiedPeriod, ClientMonth, ProductMonth
from sdelka.analytics.periods import Period
from sdelka.analytics.services.aggregates import NewSalesCells, sales_aggregates_refresh
from sdelka.analytics.services.classification import classification_store
from sdelka.analytics.tests.classification_data import sell
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.core.demo.bulk_sales import populate_sales
from sdelka.documents.models import Sale, SalesFact
from sdelka.documents.services import document_create, sale_post, sale_unpost
from sdelka.partners.tests.factories import CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def _month_key(day: date) -> date:
    return day.replace(day=1)


def group_by_facts(subject: str) -> dict:
    """(subject id, month) → (revenue, cost, gross profit, documents), summed in Python from the facts."""
    cells: dict = {}
    for fact in SalesFact.objects.all():
        key = (getattr(fact, f"{subject}_id"), _month_key(fact.date))
        revenue, cost, profit, sales = cells.get(key, (Decimal(0), Decimal(0), Decimal(0), set()))
        cells[key] = (
            revenue + fact.revenue,
            cost + fact.cost,
            profit + fact.gross_profit,
            sales | {fact.sale_id},
        )
    return {key: (r, c, p, len(s)) for key, (r, c, p, s) in cells.items()}


def aggregates(model, subject: str) -> dict:
    return {
        (getattr(row, f"{subject}_id"), row.month): (row.revenue, row.cost, row.gross_profit, row.sales_count)
        for row in model.objects.all()
    }


def assert_aggregates_match_facts():
    assert aggregates(ClientMonth, "partner") == group_by_facts("partner")
    assert aggregates(ProductMonth, "product") == group_by_facts("product")


def _draft_sale(manager, partner, day, *lines):
    return document_create(
        Sale,
        actor=manager,
        data={"partner": partner, "manager": manager, "date": day},
        lines=[{"product": product, "quantity": Decimal(q), "price": Decimal(p)} for product, q, p in lines],
    )


def test_posting_and_unposting_keep_the_aggregates_equal_to_the_facts(manager):
    pump, valve = ProductFactory(name="Pump"), ProductFactory(name="Valve")
    client = PartnerFactory(manager=manager)
    other = PartnerFactory(manager=manager)
    first = sale_post(
        _draft_sale(manager, client, date(2025, 3, 5), (pump, "2", "122.00"), (valve, "1", "61.00")),
        actor=manager,
    )
    assert_aggregates_match_facts()
    row = ClientMonth.objects.get(partner=client, month=date(2025, 3, 1))
    assert (row.revenue, row.sales_count) == (
        Decimal("250.00"),
        1,
    )  # 244 + 122 gross at 22 % VAT → 200 + 50 net
    second = sale_post(_draft_sale(manager, client, date(2025, 3, 20), (pump, "1", "122.00")), actor=manager)
    sale_post(
        _draft_sale(manager, other, date(2025, 4, 1), (valve, "-1", "61.00")), actor=manager
    )  # a return
    assert_aggregates_match_facts()
    assert ClientMonth.objects.get(partner=client, month=date(2025, 3, 1)).sales_count == 2
    assert ProductMonth.objects.get(product=pump, month=date(2025, 3, 1)).sales_count == 2
    assert ProductMonth.objects.get(product=valve, month=date(2025, 4, 1)).revenue == Decimal("-50.00")

    sale_unpost(second, actor=manager)
    assert_aggregates_match_facts()
    sale_unpost(first, actor=manager)
    assert_aggregates_match_facts()
    assert not ClientMonth.objects.filter(partner=client).exists()  # no facts left: no cell


def test_unposting_refreshes_only_what_the_sale_touched(manager):
    client = PartnerFactory(manager=manager)
    untouched = PartnerFactory(manager=manager)
    sell(untouched, date(2025, 3, 1), (None, "70"))
    sale = sale_post(
        _draft_sale(manager, client, date(2025, 3, 2), (ProductFactory(), "1", "122.00")), actor=manager
    )
    ClientMonth.objects.filter(partner=untouched).update(revenue=Decimal("1.00"))  # a marker
    sale_unpost(sale, actor=manager)
    assert ClientMonth.objects.get(partner=untouched).revenue == Decimal("1.00")


def test_the_rebuild_command_restores_aggregates_from_the_facts():
    sell(PartnerFactory(), date(2025, 1, 31), (None, "10.10"), (None, "5.05"))
    sell(PartnerFactory(), date(2025, 2, 1), (None, "-3.00"))
    sell(PartnerFactory(), date(2024, 12, 1), (None, "1.00"), refresh=False)  # the aggregates miss it
    ClientMonth.objects.filter(month=date(2025, 1, 1)).update(revenue=Decimal("999"))
    call_command("analytics_rebuild", stdout=None)
    assert_aggregates_match_facts()


def test_the_bulk_loader_refreshes_the_aggregates(manager):
    CounterpartyFactory(partner=PartnerFactory(manager=manager, is_client=True))
    CounterpartyFactory(partner=PartnerFactory(manager=manager, is_client=True))
    ProductFactory(vat_rate="22")
    ProductFactory(vat_rate="22")
    counts = populate_sales(deals=0, sales_lines=60, months=4, today=date(2025, 6, 15), batch_size=25)
    assert counts.facts == 60
    assert_aggregates_match_facts()


def test_a_refresh_drops_the_stored_periods_containing_the_month():
    client = PartnerFactory()
    sell(client, date(2025, 2, 1))
    for period in (
        Period("month", date(2025, 2, 1)),
        Period("quarter", date(2025, 1, 1)),
        Period("month", date(2025, 4, 1)),
    ):
        classification_store(subject="clients", criterion="revenue", period=period)
    sales_aggregates_refresh(months=[date(2025, 2, 14)], partner_ids=[client.pk], product_ids=[])
    left = set(ClassifiedPeriod.objects.values_list("period_type", "period_start"))
    assert left == {("month", date(2025, 4, 1))}


def test_aggregates_query_is_one_statement_per_month_not_per_fact(django_assert_max_num_queries):
    client = PartnerFactory()
    for day in range(1, 21):
        sell(client, date(2025, 5, day), (None, "1"), refresh=False)
    with django_assert_max_num_queries(12):
        sales_aggregates_refresh(months=[date(2025, 5, 1)])
    assert ClientMonth.objects.get(partner=client).sales_count == 20
    assert SalesFact.objects.aggregate(n=Count("id"), s=Sum("revenue")) == {"n": 20, "s": Decimal("20.00")}


def test_an_import_adds_its_sales_to_the_aggregates_batch_by_batch(admin_user, monkeypatch):
    from sdelka.documents import sales_import

    # Tiny batches, so cells are added to by several batches.
    monkeypatch.setattr(sales_import, "BATCH_LINES", 2)
    client = CounterpartyFactory(inn="7707083893", partner=PartnerFactory(name="Stroymash")).partner
    drill = ProductFactory(sku="DR-1")
    sell(client, date(2025, 2, 3), (drill, "500.00", "300.00"))
    for period in (Period("quarter", date(2025, 1, 1)), Period("month", date(2025, 4, 1))):
        classification_store(subject="clients", criterion="revenue", period=period)
    rows = [
        "2025-02-10,RT-1,,Stroymash,7707083893,DR-1,Drill,2,1000.00,600.00,",
        "2025-02-10,RT-1,,Stroymash,7707083893,GL-1,Gloves,5,50.50,,",
        # The drill twice in one sale: its month counts the sale once.
        "2025-02-10,RT-1,,Stroymash,7707083893,DR-1,Drill,1,400.00,250.00,",
        "2025-02-20,RT-2,,Stroymash,7707083893,DR-1,Drill,1,520.00,300.00,",
        "2025-03-01,RT-3,,Stroymash,7707083893,DR-1,Drill,-1,-500.00,-300.00,",
        "2025-03-15,N-1,,Newcomer,,GL-1,Gloves,3,30.30,20.00,",
    ]
    content = ("\n".join([",".join(sales_import.COLUMNS), *rows]) + "\n").encode()
    job = sales_import.sales_import_run(
        sales_import.sales_import_create(actor=admin_user, file_name="h.csv", content=content, skip_bad=False)
    )

    assert job.status == "done", job.message
    assert_aggregates_match_facts()
    february = ClientMonth.objects.get(partner=client, month=date(2025, 2, 1))
    assert (february.revenue, february.sales_count) == (Decimal("2470.50"), 3)
    drills = ProductMonth.objects.get(product=drill, month=date(2025, 2, 1))
    assert (drills.revenue, drills.cost, drills.sales_count) == (Decimal("2420.00"), Decimal("1450.00"), 3)
    # The stored quarter holds the changed months and is dropped; April's month is untouched.
    left = set(ClassifiedPeriod.objects.values_list("period_type", "period_start"))
    assert left == {("month", date(2025, 4, 1))}


def test_deleting_a_client_or_a_product_deletes_their_cells():
    # The cells keep no foreign-key constraints in the database: Django's cascade is what removes them.
    client, product = PartnerFactory(), ProductFactory()
    amounts = {
        "revenue": Decimal("1.00"),
        "cost": Decimal("0"),
        "gross_profit": Decimal("1.00"),
        "sales_count": 1,
    }
    ClientMonth.objects.create(partner=client, month=date(2025, 1, 1), **amounts)
    ProductMonth.objects.create(product=product, month=date(2025, 1, 1), **amounts)
    kept = ClientMonth.objects.create(partner=PartnerFactory(), month=date(2025, 1, 1), **amounts)

    client.delete()
    product.delete()

    assert list(ClientMonth.objects.all()) == [kept] and not ProductMonth.objects.exists()


@given(
    st.lists(
        st.tuples(
            st.integers(1, 10**12),  # the client
            st.dates(date(1990, 1, 1), date(2200, 12, 31)),
            st.lists(
                st.tuples(st.integers(1, 10**12), st.integers(-(10**6), 10**6)),  # product, kopecks
                min_size=1,
                max_size=5,
            ),
        ),
        max_size=30,
    )
)
def test_new_sales_cells_are_the_sums_of_their_sales_per_subject_and_month(sales):
    # The database is not touched: NewSalesCells only sums (the test's marker gives it a connection vendor).
    cells = NewSalesCells()
    clients: dict = {}
    products: dict = {}
    for number, (client, day, lines) in enumerate(sales):
        sale = object()
        amounts = [
            (product, Decimal(kopecks) / 100, Decimal(kopecks) / 300, Decimal(kopecks) / 150)
            for product, kopecks in lines
        ]
        amounts = [
            (product, revenue, cost.quantize(Decimal("0.01")), profit.quantize(Decimal("0.01")))
            for product, revenue, cost, profit in amounts
        ]
        cells.add_sale(sale, day, client, amounts)
        month = day.replace(day=1)
        cell = clients.setdefault((client, month), [0, 0, 0, set()])
        for product, revenue, cost, profit in amounts:
            for target in (cell, products.setdefault((product, month), [0, 0, 0, set()])):
                target[0] += revenue
                target[1] += cost
                target[2] += profit
                target[3].add(number)
    expected = {
        "partner_id": [(s, m, r, c, p, len(n)) for (s, m), (r, c, p, n) in sorted(clients.items())],
        "product_id": [(s, m, r, c, p, len(n)) for (s, m), (r, c, p, n) in sorted(products.items())],
    }
    written = {column: rows for _model, column, rows, _text in cells.tables()}
    assert written == {column: rows for column, rows in expected.items() if rows}
    assert cells.months() == sorted({month for _client, month in clients})
