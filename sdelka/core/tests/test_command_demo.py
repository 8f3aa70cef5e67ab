"""``manage.py demo``: a believable, valid and reproducible demo company, created only in an empty database.

The demo takes a few seconds, so it runs once for the module (``demo_output``) and the tests read what it
made; its rows are deleted afterwards so that other modules start from an empty database.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min, Q, Sum
from django.test import override_settings
from django.utils import timezone, translation

from sdelka.accounts.choices import Role
from sdelka.accounts.models import Team, User
from sdelka.activities.models import OPEN_STATUSES, Reminder, ReminderTiming, Task, TaskStatus
from sdelka.catalog.choices import ProductKind, VatRate
from sdelka.catalog.models import Product, ProductGroup
from sdelka.claims.choices import ClaimStatus
from sdelka.claims.models import Claim
from sdelka.core.demo import people
from sdelka.core.demo.deals import SUPPLY_KIND
from sdelka.core.demo.plan import DEMO_PASSWORD, USERS, build_plan
from sdelka.core.demo.timeline import history_start
from sdelka.core.models import Company
from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.models import Deal, DealEvent, DealKind, DealNumberCounter, DealProduct
from sdelka.documents.amounts import to_kopecks
from sdelka.documents.choices import (
    ExpenseKind,
    PurchaseOrderStatus,
    QuoteStatus,
    SalesOrderStatus,
    SaleStatus,
)
from sdelka.documents.models import (
    DealExpense,
    DocumentNumberCounter,
    PurchaseOrder,
    PurchaseOrderLine,
    Quote,
    Sale,
    SaleLine,
    SalesFact,
    SalesOrder,
)
from sdelka.interactions.choices import EmailStatus, InteractionKind, PlannedStatus
from sdelka.interactions.models import Interaction
from sdelka.partners import taxids
from sdelka.partners.choices import PERSONAL_LEGAL_FORMS, Country
from sdelka.partners.models import ContactPerson, Counterparty, Individual, Partner, PartnerGroup, Tag

pytestmark = pytest.mark.django_db

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PHONE = re.compile(r"^\+7 \(\d{3,5}\) \d{1,3}-\d{2}-\d{2}( доб\. \d{3})?$")
BASE_DIR = Path(__file__).resolve().parents[3]
# A fixed day in the past: the demo is dated over the 24 months before it, the same on every run.
TODAY = date(2025, 12, 15)
DOCUMENT_MODELS = (Quote, SalesOrder, Sale, PurchaseOrder)


def delete_demo_data() -> None:
    """Remove what the demo made (and only that kind of rows), leaving data of migrations in place."""
    from sdelka.activities.models import MailingRule, Notification, Reminder, Task
    from sdelka.analytics.models import ClassifiedPeriod, ClientMonth, ProductMonth
    from sdelka.claims.models import Claim, ClaimNumberCounter
    from sdelka.interactions.models import EmailTemplate, Interaction
    from sdelka.marketing.models import LeadForm, LeadSubmission, Mailing, UtmMapping

    Mailing.objects.all().delete()  # with their recipients
    Mailing.history.model.objects.all().delete()
    from sdelka.partners.models import Segment

    Segment.objects.all().delete()  # with their members, once no mailing or event names one
    Segment.history.model.objects.all().delete()
    LeadSubmission.objects.all().delete()
    UtmMapping.objects.all().delete()
    UtmMapping.history.model.objects.all().delete()
    LeadForm.objects.all().delete()
    LeadForm.history.model.objects.all().delete()
    ClassifiedPeriod.objects.all().delete()  # with their results
    ClientMonth.objects.all().delete()
    ProductMonth.objects.all().delete()
    MailingRule.objects.all().delete()  # with their firings
    MailingRule.history.model.objects.all().delete()
    EmailTemplate.objects.all().delete()
    EmailTemplate.history.model.objects.all().delete()
    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    Claim.objects.all().delete()
    Claim.history.model.objects.all().delete()
    ClaimNumberCounter.objects.all().delete()
    Interaction.objects.all().delete()
    Interaction.history.model.objects.all().delete()
    Task.objects.all().delete()  # the typical sales' process steps and the free tasks
    Task.history.model.objects.all().delete()
    SalesFact.objects.all().delete()
    for model in (Sale, PurchaseOrder, SalesOrder, Quote, DealExpense):  # documents made from others first
        model.objects.all().delete()
        model.history.model.objects.all().delete()
    DocumentNumberCounter.objects.all().delete()
    Deal.objects.all().delete()  # with their goods, primary demand and events
    Deal.history.model.objects.all().delete()
    DealNumberCounter.objects.all().delete()
    DealKind.objects.filter(name=SUPPLY_KIND).delete()  # with its stages
    DealKind.history.model.objects.filter(name=SUPPLY_KIND).delete()
    Partner.objects.all().delete()  # with their counterparties, contacts and tag links
    Individual.objects.all().delete()
    from sdelka.marketing.models import AdChannel, MarketingEvent

    MarketingEvent.objects.all().delete()  # with participants and expenses, once no partner or deal names one
    MarketingEvent.history.model.objects.all().delete()
    for channel in sorted(AdChannel.objects.all(), key=lambda c: -c.depth):  # children before parents
        channel.delete()
    AdChannel.history.model.objects.all().delete()
    Product.objects.all().delete()
    for model in (PartnerGroup, ProductGroup):
        for group in sorted(model.objects.all(), key=lambda g: -g.depth):  # children before parents
            group.delete()
    Tag.objects.all().delete()
    Company.objects.all().delete()
    Company.history.model.objects.all().delete()
    Team.objects.update(head=None)
    User.objects.all().delete()
    Team.objects.all().delete()
    for model in (Partner, Counterparty, ContactPerson, Individual, PartnerGroup, Product, ProductGroup):
        model.history.model.objects.all().delete()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHING):
        out = StringIO()
        call_command("demo", "--today", TODAY.isoformat(), stdout=out)
        try:
            yield out.getvalue()
        finally:
            delete_demo_data()


def plan_fingerprint(plan) -> list:
    return [
        [
            p.data["name"],
            p.manager,
            p.tags,
            [
                [c.get("inn", ""), c.get("kpp", ""), c.get("bin", ""), c.get("bank_account", "")]
                for c in p.counterparties
            ],
            [c["name"] for c in p.contacts],
        ]
        for p in plan.partners
    ] + [
        [p.data["sku"], p.data["name"], str(p.data["price"]), str(p.data["cost_price"])]
        for p in plan.products
    ]


def database_fingerprint() -> list:
    partners = Partner.objects.order_by("pk").select_related("manager").prefetch_related("tags")
    return [
        [
            p.name,
            p.manager.username if p.manager else None,
            sorted(t.name for t in p.tags.all()),
            [[c.inn, c.kpp, c.bin, c.bank_account] for c in p.counterparties.order_by("pk")],
            [c.name for c in p.contacts.order_by("pk")],
        ]
        for p in partners
    ] + [[p.sku, p.name, str(p.price), str(p.cost_price)] for p in Product.objects.order_by("pk")]


# --- what it makes -------------------------------------------------------------------------------------


def test_it_makes_the_users_and_two_teams_each_with_a_head_and_three_managers(demo_output):
    assert User.objects.count() == 10
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert User.objects.filter(role=Role.MARKETER).count() == 1
    teams = Team.objects.all()
    assert sorted(t.name for t in teams) == ["Алматы", "Москва"]
    for team in teams:
        assert team.head is not None and team.head.role == Role.HEAD
        assert team.members.filter(role=Role.MANAGER).count() == 3


def test_the_counts_are_those_of_a_believable_company(demo_output):
    partners = Partner.objects.count()
    assert 250 <= partners <= 350
    assert partners <= Counterparty.objects.count() <= 2 * partners
    assert partners <= ContactPerson.objects.count() <= 3 * partners
    assert Partner.objects.filter(is_client=True).count() > 0.8 * partners
    assert 10 <= Partner.objects.filter(is_supplier=True).count() <= 50
    assert 3 <= Partner.objects.filter(is_competitor=True).count() <= 20
    assert 10 <= Individual.objects.count() <= 50
    assert 140 <= Product.objects.count() <= 200
    assert Product.objects.filter(kind=ProductKind.SERVICE).count() >= 5
    assert {"VIP", "тендер", "дилер"} <= set(Tag.objects.values_list("name", flat=True))


def test_every_partner_has_one_or_two_counterparties_and_one_to_three_contacts(demo_output):
    for partner in Partner.objects.prefetch_related("counterparties", "contacts"):
        assert 1 <= len(partner.counterparties.all()) <= 2, partner.name
        assert 1 <= len(partner.contacts.all()) <= 3, partner.name
    assert ContactPerson.objects.exclude(birthday=None).exists()


def test_russian_and_kazakh_partners_are_both_there(demo_output):
    countries = Counter(Counterparty.objects.values_list("country", flat=True))
    assert countries[Country.RUSSIA] > countries[Country.KAZAKHSTAN] > 50


def test_groups_are_nested_three_levels_deep(demo_output):
    assert max(g.depth for g in PartnerGroup.objects.all()) == 2
    assert max(g.depth for g in ProductGroup.objects.all()) == 2
    for group in [*PartnerGroup.objects.all(), *ProductGroup.objects.all()]:
        expected = f"{group.parent.path if group.parent else '/'}{group.pk}/"
        assert group.path == expected, group.name
    assert Partner.objects.filter(group__isnull=False).count() == Partner.objects.count()


def test_every_manager_has_partners_and_about_a_tenth_are_unassigned(demo_output):
    for manager in User.objects.filter(role=Role.MANAGER):
        assert Partner.objects.filter(manager=manager).count() >= 10, manager.username
    share = Partner.objects.filter(manager=None).count() / Partner.objects.count()
    assert 0.05 <= share <= 0.15


def test_partners_are_managed_by_the_team_of_their_country(demo_output):
    for counterparty in Counterparty.objects.select_related("partner__manager__team").filter(
        partner__manager__isnull=False
    ):
        team = counterparty.partner.manager.team.name
        assert team == ("Алматы" if counterparty.country == Country.KAZAKHSTAN else "Москва")


def test_every_record_passes_its_model_validation(demo_output):
    models = [PartnerGroup, Partner, Counterparty, ContactPerson, Individual, ProductGroup, Product]
    for model in models:
        for record in model.objects.all():
            record.full_clean()


def test_every_tax_and_bank_id_is_valid_by_its_checksum(demo_output):
    for c in Counterparty.objects.all():
        if c.country == Country.RUSSIA:
            taxids.validate_inn(c.inn)
            personal = c.legal_form in PERSONAL_LEGAL_FORMS or c.legal_form == "other"
            assert len(c.inn) == (12 if personal else 10), c.name
            if personal:
                assert c.kpp == ""
            else:
                taxids.validate_kpp(c.kpp)
                assert c.kpp[:4] == c.inn[:4]
            if c.ogrn:
                taxids.validate_ogrn(c.ogrn)
            if c.bank_account:
                taxids.validate_bank_account(c.bank_account, c.bik)
                taxids.validate_bank_account(c.correspondent_account, c.bik, correspondent=True)
        else:
            taxids.validate_bin(c.bin)
            if c.bank_account:
                assert people.iban_is_valid(c.bank_account), c.bank_account
    for individual in Individual.objects.exclude(inn=""):
        taxids.validate_inn(individual.inn)


def test_phones_are_in_the_plus_seven_format(demo_output):
    phones = [phone for p in Partner.objects.all() for phone in p.phones]
    phones += [phone for c in ContactPerson.objects.all() for phone in c.phones]
    assert phones
    for phone in phones:
        assert PHONE.match(phone), phone


def test_products_have_prices_with_a_markup_of_15_to_45_percent_and_vat_22(demo_output):
    for product in Product.objects.all():
        assert isinstance(product.price, Decimal)
        markup = (product.price / Decimal("1.22") - product.cost_price) / product.cost_price
        assert Decimal("0.15") <= markup <= Decimal("0.45"), product.sku
        assert product.vat_rate == VatRate.TWENTY_TWO
    assert Product.objects.values("sku").distinct().count() == Product.objects.count()


def test_changes_are_recorded_in_history_by_the_responsible_manager(demo_output):
    partner = Partner.objects.exclude(manager=None).first()
    # One row for the creation, one more when tags were added (tags are in the history too).
    assert partner.history.filter(history_type="+").count() == 1
    assert {record.history_user for record in partner.history.all()} == {partner.manager}


# --- deals ------------------------------------------------------------------------------------------


def test_it_makes_about_120_deals_and_reports_them(demo_output):
    count = Deal.objects.count()
    assert 100 <= count <= 140
    assert f"{count} deals" in demo_output


def test_deals_exist_for_every_kind_and_every_stage(demo_output):
    for kind in DealKind.objects.filter(active=True):
        assert Deal.objects.filter(kind=kind).exists(), kind.name
        for stage in kind.stages.all():
            assert Deal.objects.filter(stage=stage).exists(), (kind.name, stage.name)
    typical = Deal.objects.filter(kind__process_type=ProcessType.TYPICAL).count()
    assert typical > Deal.objects.count() / 2
    assert not Deal.objects.filter(kind__process_type=ProcessType.NON_PROCESS, stage__isnull=False).exists()


def test_every_status_appears_in_believable_shares_and_some_deals_are_closed(demo_output):
    total = Deal.objects.count()
    shares = {s: Deal.objects.filter(status=s).count() / total for s in DealStatus.values}
    assert 0.45 <= shares[DealStatus.IN_PROGRESS] <= 0.75
    assert 0.15 <= shares[DealStatus.WON] <= 0.35
    assert 0.07 <= shares[DealStatus.LOST] <= 0.25
    assert Deal.objects.filter(closed=True).exists()
    assert not Deal.objects.filter(closed=True, status=DealStatus.IN_PROGRESS).exists()


def test_lost_deals_have_a_reason_and_competitors_are_competitors(demo_output):
    lost = Deal.objects.filter(status=DealStatus.LOST)
    assert lost.exists()
    assert not lost.filter(lost_reason=None).exists()
    assert lost.exclude(competitor=None).exists()
    for deal in Deal.objects.exclude(competitor=None).select_related("competitor"):
        assert deal.competitor.is_competitor


def test_every_deal_is_with_a_client_of_its_manager(demo_output):
    for deal in Deal.objects.select_related("partner", "manager__team"):
        assert deal.partner.is_client, deal.number
        assert deal.partner.manager_id == deal.manager_id, deal.number
        assert deal.manager.role == Role.MANAGER
        kazakh = deal.manager.team.name == "Алматы"
        assert deal.currency == ("KZT" if kazakh else "RUB"), deal.number


def test_amounts_goods_and_dates_are_believable(demo_output):
    for deal in Deal.objects.prefetch_related("products"):
        assert Decimal(50_000) <= deal.expected_amount <= Decimal(5_000_000), deal.number
        lines = list(deal.products.all())
        assert 2 <= len(lines) <= 4, deal.number
        assert all(line.quantity > 0 and line.price > 0 for line in lines)
        assert deal.planned_close_date >= deal.start_date
        deal.full_clean()
    starts = sorted(Deal.objects.values_list("start_date", flat=True))
    assert (starts[-1] - starts[0]).days > 200
    assert DealProduct.objects.count() >= 2 * Deal.objects.count()
    for deal in Deal.objects.filter(kind__record_primary_demand=True):
        assert deal.primary_demand.exists(), deal.number


def test_every_deal_was_made_and_changed_by_its_manager_with_its_timeline(demo_output):
    for deal in Deal.objects.prefetch_related("events"):
        events = list(deal.events.all())
        assert sum(e.kind == DealEventKind.CREATED for e in events) == 1, deal.number
        assert {e.user_id for e in events} == {deal.manager_id}, deal.number
        if deal.status != DealStatus.IN_PROGRESS:
            assert any(e.to_status == deal.status for e in events if e.kind == DealEventKind.STATUS_CHANGED)
        assert deal.closed == any(e.kind == DealEventKind.CLOSED for e in events)


def test_typical_sale_timelines_never_skip_a_stage(demo_output):
    deals = Deal.objects.filter(kind__process_type=ProcessType.TYPICAL)
    assert deals.exists()
    for deal in deals:
        events = (
            DealEvent.objects.filter(deal=deal).select_related("from_stage", "to_stage").order_by("at", "pk")
        )
        order = None
        for event in events:
            if event.kind == DealEventKind.CREATED:
                assert event.to_stage.order == 1, deal.number
                order = event.to_stage.order
            elif event.kind == DealEventKind.STAGE_CHANGED:
                assert event.from_stage.order == order, deal.number
                assert event.to_stage.order == order + 1, deal.number
                order = event.to_stage.order
        assert order == deal.stage.order, deal.number


# --- documents, sales and expenses -------------------------------------------------------------------


def test_deals_are_spread_over_the_24_months_with_a_plausible_timeline(demo_output):
    first = history_start(TODAY)
    starts = sorted(Deal.objects.values_list("start_date", flat=True))
    assert starts[0] >= first and starts[-1] < TODAY
    assert (starts[-1] - starts[0]).days > 500
    for deal in Deal.objects.prefetch_related("events"):
        events = sorted(deal.events.all(), key=lambda e: e.pk)
        moments = [e.at for e in events]
        assert moments == sorted(moments) and len(set(moments)) == len(moments), deal.number
        days = [timezone.localtime(moment).date() for moment in moments]
        assert first <= days[0] and days[-1] < TODAY, deal.number
        assert events[0].kind == DealEventKind.CREATED and days[0] == deal.start_date, deal.number
        assert timezone.localtime(deal.created_at).date() == deal.start_date, deal.number
        outcome = [d for e, d in zip(events, days, strict=True) if e.kind == DealEventKind.STATUS_CHANGED]
        closing = [d for e, d in zip(events, days, strict=True) if e.kind == DealEventKind.CLOSED]
        if deal.closed:
            assert closing == [deal.actual_close_date] == outcome, deal.number
        else:
            assert deal.actual_close_date is None, deal.number


def test_deal_numbers_follow_the_year_they_were_created_in(demo_output):
    numbers = defaultdict(list)
    for deal in Deal.objects.order_by("created_at", "pk"):
        year = timezone.localtime(deal.created_at).year
        assert deal.number.startswith(f"{year}-"), deal.number
        numbers[year].append(int(deal.number.split("-")[1]))
    for year, sequence in numbers.items():
        assert sequence == list(range(1, len(sequence) + 1)), year
        assert DealNumberCounter.objects.get(year=year).last == len(sequence)
    assert len(numbers) >= 2


def test_there_is_a_kind_with_separate_goods_accounting_and_suppliers_to_buy_from(demo_output):
    kind = DealKind.objects.get(name=SUPPLY_KIND)
    assert kind.separate_goods_accounting and kind.process_type == ProcessType.TYPICAL
    assert Deal.objects.filter(kind=kind, status=DealStatus.WON).exists()
    suppliers = Partner.objects.filter(is_supplier=True).exclude(counterparties=None)
    assert suppliers.count() >= 5
    assert {c.country for s in suppliers for c in s.counterparties.all()} == {"RU", "KZ"}


def test_deals_past_the_proposal_stage_have_a_quote_that_fits_their_outcome(demo_output):
    deals = Deal.objects.exclude(stage=None).select_related("stage").prefetch_related("events")
    for deal in deals:
        past_proposal = any(e.to_stage and e.to_stage.order >= 2 for e in deal.events.all())
        quotes = list(Quote.objects.filter(deal=deal))
        assert len(quotes) == (1 if past_proposal else 0), deal.number
        if not quotes:
            continue
        expected = {
            DealStatus.WON: {QuoteStatus.ACCEPTED},
            DealStatus.LOST: {QuoteStatus.REJECTED},
            DealStatus.IN_PROGRESS: {QuoteStatus.SENT, QuoteStatus.ACCEPTED},
        }[deal.status]
        assert quotes[0].status in expected, deal.number
        assert deal.start_date <= quotes[0].date < TODAY, deal.number
    statuses = set(Quote.objects.values_list("status", flat=True))
    assert {QuoteStatus.SENT, QuoteStatus.ACCEPTED, QuoteStatus.REJECTED} <= statuses


def test_won_deals_are_sold_and_posted_around_their_close(demo_output):
    won = Deal.objects.filter(status=DealStatus.WON).select_related("kind")
    assert won.count() >= 20
    for deal in won:
        sales = list(Sale.objects.filter(deal=deal, amount_gross__gt=0))
        assert len(sales) == 1, deal.number
        sale = sales[0]
        assert sale.status == SaleStatus.POSTED, deal.number
        assert timezone.localtime(sale.posted_at).date() == sale.date, deal.number
        won_on = timezone.localtime(deal.events.get(kind=DealEventKind.STATUS_CHANGED).at).date()
        assert sale.date == won_on, deal.number
        if deal.stage_id:
            order = sale.sales_order
            assert order is not None and order.status == SalesOrderStatus.FULFILLED, deal.number
            assert order.quote.date <= order.date <= sale.date, deal.number
    in_progress_orders = SalesOrder.objects.filter(deal__status=DealStatus.IN_PROGRESS)
    assert in_progress_orders.filter(status=SalesOrderStatus.DRAFT).exists()


def test_supplier_orders_are_confirmed_before_the_sale_and_give_its_cost(demo_output):
    won = Deal.objects.filter(kind__name=SUPPLY_KIND, status=DealStatus.WON)
    assert won.exists()
    for deal in won:
        purchase = PurchaseOrder.objects.select_related("partner").get(deal=deal)
        assert purchase.partner.is_supplier and purchase.status == PurchaseOrderStatus.RECEIVED
        sale = Sale.objects.get(deal=deal, amount_gross__gt=0)
        assert purchase.date <= sale.date, deal.number
        prices = dict(PurchaseOrderLine.objects.filter(document=purchase).values_list("product_id", "price"))
        for fact in sale.facts.all():
            assert fact.cost == to_kopecks(prices[fact.product_id] * fact.quantity), deal.number
    assert not PurchaseOrder.objects.exclude(deal__kind__separate_goods_accounting=True).exists()


def test_every_posted_sale_has_a_fact_per_line_summing_to_its_net_amount_times_rate(demo_output):
    assert not SalesFact.objects.filter(sale__status=SaleStatus.DRAFT).exists()
    posted = Sale.objects.filter(status=SaleStatus.POSTED).prefetch_related("lines", "facts")
    assert posted.count() == Sale.objects.count()
    for sale in posted:
        lines = sorted(sale.lines.all(), key=lambda line: line.pk)
        facts = sorted(sale.facts.all(), key=lambda fact: fact.pk)
        assert len(facts) == len(lines) > 0, sale.number
        for line, fact in zip(lines, facts, strict=True):
            assert (fact.product_id, fact.quantity) == (line.product_id, line.quantity), sale.number
            assert fact.revenue == to_kopecks(line.amount_net * sale.exchange_rate), sale.number
            assert fact.gross_profit == fact.revenue - fact.cost, sale.number
            assert (fact.date, fact.partner_id, fact.deal_id, fact.manager_id) == (
                sale.date,
                sale.partner_id,
                sale.deal_id,
                sale.manager_id,
            )
        revenue = sum(fact.revenue for fact in facts)
        # Each fact is rounded to kopecks on its own.
        assert abs(revenue - sale.amount_net * sale.exchange_rate) <= Decimal("0.005") * len(facts)


def test_totals_of_every_document_equal_the_sums_of_its_lines(demo_output):
    for model in DOCUMENT_MODELS:
        rows = model.objects.annotate(
            net=Sum("lines__amount_net"), vat=Sum("lines__amount_vat"), gross=Sum("lines__amount_gross")
        )
        assert rows.exists(), model.__name__
        for document in rows:
            assert (document.amount_net, document.amount_vat, document.amount_gross) == (
                document.net,
                document.vat,
                document.gross,
            ), (model.__name__, document.number)
            assert document.amount_net + document.amount_vat == document.amount_gross


def test_document_numbers_are_unique_per_type_and_year_and_follow_the_dates(demo_output):
    for model in DOCUMENT_MODELS:
        for year in model.objects.values_list("year", flat=True).distinct():
            documents = list(model.objects.filter(year=year).order_by("date", "pk"))
            assert all(d.date.year == year for d in documents)
            assert [d.number for d in documents] == [f"{year}-{n:06d}" for n in range(1, len(documents) + 1)]
            counter = DocumentNumberCounter.objects.get(document_type=model.document_type, year=year)
            assert counter.last == len(documents)
        history_numbers = set(model.history.values_list("id", "number").distinct())
        assert history_numbers == set(model.objects.values_list("id", "number")), model.__name__


def test_documents_are_dated_within_the_24_months(demo_output):
    first = history_start(TODAY)
    for model in DOCUMENT_MODELS:
        span = model.objects.aggregate(first=Min("date"), last=Max("date"))
        assert first <= span["first"] and span["last"] < TODAY, model.__name__
    months = {(d.year, d.month) for d in SalesFact.objects.values_list("date", flat=True)}
    assert len(months) == 24


def test_tenge_documents_carry_a_rate_of_about_0_17(demo_output):
    for model in DOCUMENT_MODELS:
        tenge = model.objects.filter(currency="KZT")
        if model is not PurchaseOrder:
            assert tenge.exists(), model.__name__
        for document in tenge:
            assert Decimal("0.15") <= document.exchange_rate <= Decimal("0.19"), document.number
        assert not model.objects.filter(currency="RUB").exclude(exchange_rate=1).exists()
    for sale in Sale.objects.filter(currency="KZT", deal__isnull=False).select_related("deal"):
        assert sale.deal.currency == "KZT"


def test_some_sales_are_returns_of_goods_the_client_bought_before(demo_output):
    returns = list(Sale.objects.filter(amount_gross__lt=0).prefetch_related("lines"))
    assert len(returns) >= 5
    assert any(r.deal_id for r in returns) and any(r.deal_id is None for r in returns)
    for sale in returns:
        for line in sale.lines.all():
            assert line.quantity < 0
            bought = SaleLine.objects.filter(
                document__partner=sale.partner_id,
                document__date__lte=sale.date,
                product=line.product_id,
                quantity__gt=0,
            ).aggregate(total=Sum("quantity"))["total"]
            assert bought is not None and bought >= -line.quantity, sale.number
    assert SalesFact.objects.filter(revenue__lt=0).exists()


def test_won_deals_have_expenses_within_their_lifetime(demo_output):
    for deal in Deal.objects.filter(status=DealStatus.WON).prefetch_related("expenses"):
        expenses = list(deal.expenses.all())
        assert 1 <= len(expenses) <= 3, deal.number
        assert any(e.kind == ExpenseKind.DELIVERY for e in expenses), deal.number
        won_on = timezone.localtime(deal.events.get(kind=DealEventKind.STATUS_CHANGED).at).date()
        for expense in expenses:
            assert deal.start_date <= expense.date <= won_on and expense.amount > 0, deal.number
    assert len(set(DealExpense.objects.values_list("kind", flat=True))) >= 4


def test_repeat_sales_have_a_long_tail_of_clients_and_a_plausible_volume(demo_output):
    lines = SaleLine.objects.count()
    assert 1500 <= lines <= 3000
    assert SalesFact.objects.count() == lines
    revenue = list(SalesFact.objects.values("partner").annotate(total=Sum("revenue")).order_by("-total"))
    assert len(revenue) >= 80
    total = sum(row["total"] for row in revenue)
    assert sum(row["total"] for row in revenue[:10]) > Decimal("0.5") * total  # a few big clients
    assert sum(row["total"] for row in revenue[len(revenue) // 2 :]) < Decimal("0.1") * total  # many small
    monthly = (
        Sale.objects.filter(deal=None, amount_gross__gt=0)
        .values("partner")
        .annotate(months=Count("date__month", distinct=True), sales=Count("pk"))
    )
    assert sum(row["sales"] >= 20 for row in monthly) >= 10  # buying every month
    assert sum(row["sales"] == 1 for row in monthly) >= 5  # bought once


def test_some_products_sell_steadily_and_some_by_season(demo_output):
    rows = SalesFact.objects.filter(sale__deal=None).values("product", "date__month").annotate(n=Count("pk"))
    by_product = defaultdict(dict)
    for row in rows:
        by_product[row["product"]][row["date__month"]] = row["n"]
    steady = [p for p, months in by_product.items() if len(months) == 12]
    seasonal = [p for p, months in by_product.items() if sum(months.values()) >= 10 and len(months) <= 7]
    assert len(steady) >= 10
    assert len(seasonal) >= 3


def test_the_summary_counts_the_documents_and_expenses(demo_output):
    assert f"{Quote.objects.count()} quotes" in demo_output
    assert f"{SalesOrder.objects.count()} customer orders" in demo_output
    assert f"{PurchaseOrder.objects.count()} supplier orders" in demo_output
    assert f"{Sale.objects.count()} sales" in demo_output
    assert f"{Sale.objects.filter(amount_gross__lt=0).count()} returns" in demo_output
    assert f"{SalesFact.objects.count()} sales facts" in demo_output
    assert f"{DealExpense.objects.count()} deal expenses" in demo_output


# --- logins ------------------------------------------------------------------------------------------


def test_it_prints_the_logins_that_work(demo_output):
    for spec in USERS:
        assert re.search(rf"^\s+{re.escape(spec.username)}\s+{DEMO_PASSWORD}\s", demo_output, re.MULTILINE)
    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        assert authenticate(username="ivanov", password=DEMO_PASSWORD) is not None
        assert authenticate(username="admin", password=DEMO_PASSWORD).role == Role.ADMIN
    kuznetsov = next(line for line in demo_output.splitlines() if line.strip().startswith("kuznetsov"))
    assert "Москва" in kuznetsov
    # The role is shown in the language the command ran in.
    labels = set()
    for language in ("en", "ru"):
        with translation.override(language):
            labels.add(str(Role.HEAD.label))
    assert any(label in kuznetsov for label in labels)


# --- only into an empty database ---------------------------------------------------------------------


def test_if_empty_skips_a_database_with_data_and_still_prints_the_logins(demo_output):
    before = (Partner.objects.count(), Product.objects.count(), User.objects.count())
    out = StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert (Partner.objects.count(), Product.objects.count(), User.objects.count()) == before
    assert "demo data not created" in out.getvalue()
    assert "kuznetsov" in out.getvalue() and DEMO_PASSWORD in out.getvalue()


def test_without_if_empty_a_database_with_data_is_refused(demo_output):
    before = Partner.objects.count()

    with pytest.raises(CommandError, match="already has data"):
        call_command("demo", stdout=StringIO())

    assert Partner.objects.count() == before


# --- reproducible ------------------------------------------------------------------------------------


def test_the_database_holds_exactly_the_plan(demo_output):
    """With the next test this makes two runs into two fresh databases identical."""
    assert database_fingerprint() == plan_fingerprint(build_plan())


def test_the_plan_is_the_same_in_another_process_with_another_hash_seed(tmp_path):
    here = hashlib.sha256(json.dumps(plan_fingerprint(build_plan())).encode()).hexdigest()
    script = (
        "import hashlib, json, django; django.setup();"
        "from sdelka.core.demo.plan import build_plan;"
        "from sdelka.core.tests.test_command_demo import plan_fingerprint;"
        "print(hashlib.sha256(json.dumps(plan_fingerprint(build_plan())).encode()).hexdigest())"
    )
    env = {
        **os.environ,
        "PYTHONHASHSEED": "12345",
        "SDELKA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    there = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()

    assert there == here


def test_another_seed_gives_another_company():
    assert plan_fingerprint(build_plan(seed=1)) != plan_fingerprint(build_plan())


def test_the_demo_company_is_the_seller_on_documents(demo_output):
    company = Company.objects.get()
    assert company.is_filled and "ТехноСнаб" in company.name


# --- interactions, tasks, reminders and claims (sdelka.core.demo.activities) ----------------------------

START_OF_TODAY = timezone.make_aware(datetime.combine(TODAY, time(0)))


def activity_interactions():
    """The interactions of the demo's sales work: not the letters of its finished mass mailing (about no deal)."""
    from sdelka.marketing.models import MailingRecipient

    letters = MailingRecipient.objects.exclude(interaction=None).values("interaction")
    return Interaction.objects.exclude(pk__in=letters)


def test_every_kind_is_made_and_reported(demo_output):
    for records, label in (
        (activity_interactions(), "interactions"),
        (Task.objects.all(), "tasks"),
        (Reminder.objects.all(), "reminders"),
        (Claim.objects.all(), "customer claims"),
    ):
        count = records.count()
        assert count > 0
        assert f"{count} {label}" in demo_output
    assert Task.objects.filter(process_stage__isnull=True).count() >= 6 * 3


def test_interactions_of_every_kind_about_deals_and_answers(demo_output):
    kinds = set(activity_interactions().values_list("kind", flat=True))
    assert {
        InteractionKind.CALL,
        InteractionKind.EMAIL,
        InteractionKind.MEETING,
        InteractionKind.PLANNED,
    } <= kinds
    assert (
        not activity_interactions().filter(kind=InteractionKind.CALL, duration_seconds__isnull=True).exists()
    )
    assert (
        not activity_interactions()
        .filter(kind=InteractionKind.MEETING)
        .filter(Q(place="") | Q(ends_at__isnull=True))
        .exists()
    )
    # E-mails are recorded as already sent: nothing is waiting for the worker.
    emails = activity_interactions().filter(kind=InteractionKind.EMAIL)
    assert emails.exists() and set(emails.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert not activity_interactions().filter(deal__isnull=True).exists()
    assert activity_interactions().filter(subject_type__model="interaction").exists()
    planned = activity_interactions().filter(kind=InteractionKind.PLANNED)
    assert all(i.status == PlannedStatus.PLANNED and i.starts_at > START_OF_TODAY for i in planned)
    past = activity_interactions().exclude(kind=InteractionKind.PLANNED)
    assert all(i.starts_at < START_OF_TODAY and i.created_at == i.starts_at for i in past)
    assert (
        0.1
        <= activity_interactions().filter(reviewed=False).count() / activity_interactions().count()
        <= 0.35
    )


def test_interactions_contacts_belong_to_their_partner(demo_output):
    with_contacts = 0
    for interaction in activity_interactions().prefetch_related("contacts").select_related("deal"):
        assert interaction.deal.partner_id == interaction.partner_id
        for contact in interaction.contacts.all():
            assert contact.partner_id == interaction.partner_id
            with_contacts += 1
    assert with_contacts > 0


def test_every_manager_has_something_to_review(demo_output):
    for manager in User.objects.filter(role=Role.MANAGER):
        due = Interaction.objects.filter(responsible=manager, reviewed=False).filter(
            Q(review_after__isnull=True) | Q(review_after__lte=TODAY)
        )
        assert due.exists(), manager.username


def test_free_tasks_are_mixed_and_some_are_overdue_at_today(demo_output):
    free = Task.objects.filter(process_stage__isnull=True)
    overdue = free.filter(status__in=OPEN_STATUSES, due_at__lt=START_OF_TODAY)
    assert overdue.exists()
    for manager in User.objects.filter(role=Role.MANAGER):
        assert 3 <= free.filter(assignee=manager, author=manager).count() <= 6
        assert overdue.filter(assignee=manager).exists()
    assert free.filter(status=TaskStatus.DONE, completed_at__lt=START_OF_TODAY).exists()
    assert len(set(free.values_list("priority", flat=True))) == 3
    by_heads = free.filter(author__role=Role.HEAD)
    assert by_heads.exists()
    assert all(t.assignee.team_id == t.author.team_id and t.assignee != t.author for t in by_heads)


def test_reminders_are_ahead_of_today_and_of_every_timing(demo_output):
    assert {ReminderTiming.FIXED, ReminderTiming.RELATIVE} <= set(
        Reminder.objects.values_list("timing", flat=True)
    )
    assert Reminder.objects.filter(date_field="birthday").exists()
    assert Reminder.objects.filter(date_field="planned_close_date").exists()
    assert all(r.next_fire_at > START_OF_TODAY for r in Reminder.objects.all())


def test_every_claim_is_based_on_a_posted_sale_of_its_partner(demo_output):
    claims = Claim.objects.select_related("sale").prefetch_related("products")
    assert 10 <= claims.count() <= 15
    for claim in claims:
        assert claim.sale is not None and claim.sale.partner_id == claim.partner_id
        assert claim.sale.status == SaleStatus.POSTED
        sold = set(claim.sale.lines.values_list("product_id", flat=True))
        assert claim.products.exists() and {p.pk for p in claim.products.all()} <= sold
        assert claim.registered_at < START_OF_TODAY and claim.registered_at.date() >= claim.sale.date
        claim.full_clean()
    statuses = set(claims.values_list("status", flat=True))
    assert statuses == {ClaimStatus.REGISTERED, ClaimStatus.IN_PROGRESS, ClaimStatus.SETTLED}
    assert claims.exclude(status=ClaimStatus.SETTLED).filter(deadline__lt=TODAY).count() >= 2
    settled = claims.filter(status=ClaimStatus.SETTLED)
    assert all(c.settled_at and c.registered_at < c.settled_at < START_OF_TODAY for c in settled)
    assert settled.filter(compensation__gt=0).exists()


def test_three_mailing_rules_act_on_the_last_month_at_the_first_run_of_the_worker(demo_output):
    from sdelka.activities.models import MailingRule, MailingRuleFiring
    from sdelka.activities.services.mailing_rules import mailing_rules_run
    from sdelka.core.demo.mailing_rules import TEMPLATES as DEMO_TEMPLATES
    from sdelka.interactions.models import EmailTemplate

    assert MailingRule.objects.filter(is_active=True).count() == 3
    assert EmailTemplate.objects.filter(name__in=[t["name"] for t in DEMO_TEMPLATES.values()]).count() == 3
    assert not Quote.objects.exclude(status="draft").filter(sent_at__isnull=True).exists()

    counts = mailing_rules_run(now=timezone.make_aware(datetime.combine(TODAY, time(12, 0))))

    assert counts["left"] == 0 and counts["done"] >= 2, counts
    by_rule = Counter(MailingRuleFiring.objects.values_list("rule__trigger", flat=True))
    assert by_rule["quote_unanswered"] >= 1 and by_rule["claim_registered"] >= 1, by_rule
    assert mailing_rules_run(now=timezone.make_aware(datetime.combine(TODAY, time(12, 5))))["done"] == 0
