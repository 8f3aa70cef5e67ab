"""``manage.py populate``: many valid partners, products, deals and posted sales in bulk, or a clear error for
bad arguments."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Max, Min, Sum
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.tests.factories import UserFactory
from sdelka.catalog.models import Product, ProductGroup
from sdelka.core.demo import people
from sdelka.core.demo.bulk import LOAD_SKU_PREFIX
from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.models import Deal, DealNumberCounter
from sdelka.documents.amounts import line_amounts, to_kopecks
from sdelka.documents.choices import DocumentType, SaleStatus
from sdelka.documents.models import DocumentNumberCounter, Sale, SaleLine, SalesFact
from sdelka.partners import taxids
from sdelka.partners.choices import Country
from sdelka.partners.models import ContactPerson, Counterparty, Partner, PartnerGroup
from sdelka.partners.tests.factories import PartnerGroupFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("populate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def managers(db):
    return [UserFactory(username=f"m{n}", role=Role.MANAGER) for n in range(3)] + [
        UserFactory(username="h", role=Role.HEAD)
    ]


def test_it_adds_partners_each_with_a_counterparty_and_a_contact(managers):
    output, _err = run("--partners", "150", "--batch-size", "40")

    assert Partner.objects.count() == 150
    assert Counterparty.objects.count() == 150
    assert ContactPerson.objects.count() == 150
    assert not Partner.objects.filter(counterparties=None).exists()
    assert not Partner.objects.filter(contacts=None).exists()
    assert "Added 150 partners" in output


def test_partners_are_spread_over_managers_and_groups(managers):
    run("--partners", "400")

    for manager in managers:
        assert Partner.objects.filter(manager=manager).exists(), manager.username
    assert 0.03 <= Partner.objects.filter(manager=None).count() / 400 <= 0.2
    leaves = PartnerGroup.objects.filter(children__isnull=True)
    assert leaves.count() >= 3  # a default tree was made, as there was none
    for leaf in leaves:
        assert Partner.objects.filter(group=leaf).exists(), leaf.name


def test_existing_groups_are_used_rather_than_new_ones(managers):
    clients = PartnerGroupFactory(name="Clients")
    wholesale = PartnerGroupFactory(name="Wholesale", parent=clients)

    run("--partners", "50")

    assert PartnerGroup.objects.count() == 2
    assert set(Partner.objects.exclude(group=None).values_list("group", flat=True)) == {wholesale.pk}


def test_every_record_is_valid_and_tax_ids_pass_their_checksums(managers):
    run("--partners", "200", "--products", "20")

    for model in (Partner, Counterparty, ContactPerson, Product):
        for record in model.objects.all():
            record.full_clean()
    for c in Counterparty.objects.all():
        if c.country == Country.RUSSIA:
            taxids.validate_inn(c.inn)
            taxids.validate_bank_account(c.bank_account, c.bik)
            taxids.validate_bank_account(c.correspondent_account, c.bik, correspondent=True)
        else:
            taxids.validate_bin(c.bin)
            assert people.iban_is_valid(c.bank_account)
    assert Counterparty.objects.filter(country=Country.KAZAKHSTAN).exists()


def test_bulk_rows_have_no_history(managers):
    run("--partners", "10")

    assert Partner.history.count() == 0


def test_the_same_seed_gives_the_same_partners(managers):
    def snapshot():
        return list(
            Counterparty.objects.order_by("pk").values_list("partner__name", "inn", "bin", "bank_account")
        )

    run("--partners", "30", "--seed", "5")
    first = snapshot()
    Partner.objects.all().delete()
    run("--partners", "30", "--seed", "5")

    assert snapshot() == first


def test_products_go_to_groups_and_a_second_run_continues_the_skus(db):
    run("--products", "30")
    run("--products", "20")

    assert Product.objects.count() == 50
    assert Product.objects.filter(sku__startswith=LOAD_SKU_PREFIX).values("sku").distinct().count() == 50
    assert ProductGroup.objects.exists()
    assert not Product.objects.filter(group=None).exists()
    for product in Product.objects.all():
        assert product.cost_price < product.price


def test_without_managers_it_warns_that_partners_are_unassigned(db):
    _out, err = run("--partners", "5")

    assert "no active managers" in err
    assert Partner.objects.filter(manager=None).count() == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Nothing to do"),
        (["--partners", "0"], "--partners must be a positive whole number, got 0"),
        (["--partners", "-5"], "--partners must be a positive whole number"),
        (["--partners", "many"], "--partners must be a positive whole number, got “many”"),
        (["--products", "1.5"], "--products must be a positive whole number"),
        (["--partners", "20000000"], "--partners must be at most"),
        (["--partners", "5", "--seed", "x"], "--seed must be a whole number"),
        (["--partners", "5", "--batch-size", "0"], "--batch-size must be a positive whole number"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_stored(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

    assert Partner.objects.count() == 0
    assert Product.objects.count() == 0


# --- deals and posted sales ----------------------------------------------------------------------------


@pytest.fixture
def sellable(managers):
    """Clients with counterparties (and a few suppliers) and products to sell."""
    run("--partners", "60", "--products", "30", "--seed", "3")


def test_sales_come_with_a_line_per_fact_and_totals_that_are_the_sums_of_their_lines(sellable):
    output, _err = run("--sales", "500", "--batch-size", "120")

    assert SaleLine.objects.count() == SalesFact.objects.count() == 500
    assert "500 lines and 500 sales facts" in output
    assert "sale lines a second" in output
    sales = Sale.objects.annotate(
        net=Sum("lines__amount_net"), vat=Sum("lines__amount_vat"), gross=Sum("lines__amount_gross")
    )
    for sale in sales:
        assert sale.status == SaleStatus.POSTED and sale.posted_at is not None
        assert (sale.amount_net, sale.amount_vat, sale.amount_gross) == (sale.net, sale.vat, sale.gross)
        assert sale.partner.is_client and sale.counterparty.partner_id == sale.partner_id
        assert sale.year == sale.date.year
    Sale.objects.first().full_clean()
    SaleLine.objects.first().full_clean()
    SalesFact.objects.first().full_clean()


def test_every_line_s_amounts_and_fact_are_what_the_services_would_compute(sellable):
    run("--sales", "300")

    facts = {(f.sale_id, f.product_id): f for f in SalesFact.objects.all()}
    lines = SaleLine.objects.select_related("document", "product")
    assert len(facts) == lines.count() == 300
    for line in lines:
        sale = line.document
        expected = line_amounts(
            quantity=line.quantity,
            price=line.price,
            discount_percent=line.discount_percent,
            vat_rate=line.vat_rate,
            prices_include_vat=sale.prices_include_vat,
        )
        assert (line.amount_discount, line.amount_net, line.amount_vat, line.amount_gross) == (
            expected.discount,
            expected.net,
            expected.vat,
            expected.gross,
        )
        fact = facts[(sale.pk, line.product_id)]
        assert (fact.date, fact.partner_id, fact.counterparty_id, fact.manager_id, fact.deal_id) == (
            sale.date,
            sale.partner_id,
            sale.counterparty_id,
            sale.manager_id,
            sale.deal_id,
        )
        assert fact.quantity == line.quantity
        assert fact.revenue == to_kopecks(line.amount_net * sale.exchange_rate)
        assert fact.cost == to_kopecks(line.product.cost_price * line.quantity)
        assert fact.gross_profit == fact.revenue - fact.cost
    assert Sale.objects.filter(currency="KZT").exists()
    for sale in Sale.objects.filter(currency="KZT"):
        assert Decimal("0.15") <= sale.exchange_rate <= Decimal("0.19")
    assert not Sale.objects.filter(currency="RUB").exclude(exchange_rate=1).exists()


def test_sale_numbers_are_unique_per_year_and_continue_the_services_counter(sellable):
    year = timezone.localdate().year
    DocumentNumberCounter.objects.create(document_type=DocumentType.SALE, year=year, last=41)

    run("--sales", "200", "--batch-size", "50")
    run("--sales", "100", "--seed", "2")

    for sale_year in Sale.objects.values_list("year", flat=True).distinct():
        numbers = sorted(
            int(n.split("-")[1]) for n in Sale.objects.filter(year=sale_year).values_list("number", flat=True)
        )
        first = 42 if sale_year == year else 1
        assert numbers == list(range(first, first + len(numbers))), sale_year
        counter = DocumentNumberCounter.objects.get(document_type=DocumentType.SALE, year=sale_year)
        assert counter.last == numbers[-1]
        assert all(
            n.startswith(f"{sale_year}-")
            for n in Sale.objects.filter(year=sale_year).values_list("number", flat=True)
        )


def test_sales_are_spread_over_the_months_and_a_few_clients_buy_most(sellable):
    run("--sales", "2000", "--months", "12")

    today = timezone.localdate()
    span = Sale.objects.aggregate(first=Min("date"), last=Max("date"))
    assert today - timedelta(days=370) <= span["first"] and span["last"] < today
    assert Sale.objects.dates("date", "month").count() >= 12
    revenue = sorted(
        SalesFact.objects.values("partner").annotate(total=Sum("revenue")).values_list("total", flat=True),
        reverse=True,
    )
    assert sum(revenue[:5]) > sum(revenue) / 3


def test_deals_keep_their_rules_and_timeline(sellable):
    output, _err = run("--deals", "120", "--sales", "400", "--batch-size", "50")

    assert Deal.objects.count() == 120
    assert "120 deals" in output
    year_numbers = defaultdict(list)
    for deal in Deal.objects.select_related("kind", "stage").prefetch_related("events"):
        deal.full_clean()
        year, number = deal.number.split("-")
        year_numbers[int(year)].append(int(number))
        assert int(year) == deal.start_date.year
        events = sorted(deal.events.all(), key=lambda e: e.pk)
        assert events[0].kind == DealEventKind.CREATED
        assert [e.at for e in events] == sorted(e.at for e in events), deal.number
        assert all(e.user_id == deal.manager_id for e in events)
        if deal.kind.process_type == ProcessType.TYPICAL:
            order = events[0].to_stage.order
            for event in events[1:]:
                if event.kind == DealEventKind.STAGE_CHANGED:
                    assert (event.from_stage.order, event.to_stage.order) == (order, order + 1), deal.number
                    order += 1
            assert order == deal.stage.order
        if not deal.kind.has_stages:
            assert deal.stage is None
        if deal.status == DealStatus.LOST:
            assert deal.lost_reason_id is not None
        if deal.status != DealStatus.IN_PROGRESS:
            assert [e.to_status for e in events if e.kind == DealEventKind.STATUS_CHANGED] == [deal.status]
        closing = [e for e in events if e.kind == DealEventKind.CLOSED]
        assert len(closing) == int(deal.closed)
        if deal.closed:
            assert deal.actual_close_date == timezone.localtime(closing[0].at).date()
        else:
            assert deal.actual_close_date is None
    for year, numbers in year_numbers.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert DealNumberCounter.objects.get(year=year).last == len(numbers)
    assert set(Deal.objects.values_list("status", flat=True)) == set(DealStatus.values)
    in_deals = Sale.objects.exclude(deal=None).select_related("deal")
    assert in_deals.exists()
    for sale in in_deals:
        assert sale.deal.status == DealStatus.WON and sale.deal.partner_id == sale.partner_id
    assert not SalesFact.objects.filter(sale__deal__isnull=False).exclude(deal_id=F("sale__deal_id")).exists()
    assert not SalesFact.objects.filter(sale__deal__isnull=True, deal__isnull=False).exists()


def test_the_same_seed_gives_the_same_sales(sellable):
    def snapshot():
        return list(
            SaleLine.objects.order_by("document__number", "pk").values_list(
                "document__number", "document__date", "document__partner__name", "product__sku", "quantity"
            )
        )

    run("--sales", "80", "--seed", "9")
    first = snapshot()
    SalesFact.objects.all().delete()
    Sale.objects.all().delete()
    DocumentNumberCounter.objects.all().delete()
    run("--sales", "80", "--seed", "9")

    assert snapshot() == first


def test_sales_without_clients_or_products_are_refused_with_the_reason(managers):
    with pytest.raises(CommandError, match="no clients with a counterparty"):
        run("--sales", "10")
    run("--partners", "5")
    with pytest.raises(CommandError, match="no active products"):
        run("--sales", "10")
    assert Sale.objects.count() == 0


def test_deals_and_sales_without_salespeople_are_refused(db):
    run("--partners", "5", "--products", "5")
    with pytest.raises(CommandError, match="no active managers or heads of sales"):
        run("--deals", "3")
    assert Deal.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sales", "0"], "--sales must be a positive whole number, got 0"),
        (["--deals", "x"], "--deals must be a positive whole number, got “x”"),
        (["--sales", "10", "--months", "0"], "--months must be a positive whole number"),
        (["--sales", "10", "--months", "500"], "--months must be at most 240"),
    ],
)
def test_bad_sales_arguments_are_refused_and_nothing_is_stored(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)

    assert Sale.objects.count() == Deal.objects.count() == 0
