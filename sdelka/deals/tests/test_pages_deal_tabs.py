"""The deal card's tabs: environment, documents, expenses, financial result, goods and primary demand vs sold.

What each shows, who sees the buttons, and that every tab costs as many queries for many rows as for one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from sdelka.deals.models import DealParticipant
from sdelka.deals.tests.factories import DealFactory, DealKindFactory
from sdelka.documents import services as document_services
from sdelka.documents.models import SalesFact
from sdelka.documents.tests.factories import ContractFactory, deal_with_goods
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

TABS = ("main", "goods", "participants", "documents", "expenses", "finance", "demand", "history")


def _detail(deal, tab="main"):
    return f"{reverse('deals:deal_detail', args=[deal.pk])}?tab={tab}"


def _reverse_or_skip(name, args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"{name} is not there yet")


def _expense(deal, user, amount="10.00", kind="delivery", **fields):
    return document_services.expense_create(
        actor=user,
        data={"deal": deal, "date": deal.start_date, "kind": kind, "amount": Decimal(amount), **fields},
    )


def _posted_sale(deal, user):
    sale = document_services.sale_from_deal(deal, actor=user)
    return document_services.sale_post(sale, actor=user)


# --- every tab ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_as_a_page_and_as_a_fragment(page_client_for, manager, tab):
    deal = deal_with_goods(manager=manager)
    client = page_client_for(manager)

    page = client.get(_detail(deal, tab))
    fragment = client.get(_detail(deal, tab), HTTP_HX_REQUEST="true")

    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert 'id="deal-tabs"' in fragment.content.decode()
    assert 'class="tab active" role="tab" aria-selected="true">' in fragment.content.decode()


@pytest.mark.parametrize("tab", TABS)
def test_an_outsider_gets_404_on_every_tab(page_client_for, manager, outsider, tab):
    deal = deal_with_goods(manager=manager)

    assert page_client_for(outsider).get(_detail(deal, tab)).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    return len(context)


def _fill(deal, manager, times: int) -> None:
    """``times`` more rows on every tab: participants, documents, expenses, posted sales, goods."""
    for _ in range(times):
        DealParticipant.objects.create(deal=deal, partner=PartnerFactory(manager=manager), role="Agent")
        _expense(deal, manager)
        document_services.quote_from_deal(deal, actor=manager)
        document_services.purchase_order_from_deal(
            deal, actor=manager, supplier=PartnerFactory(is_supplier=True)
        )
        _posted_sale(deal, manager)


@pytest.mark.parametrize("tab", TABS)
def test_a_tab_makes_as_many_queries_for_many_rows_as_for_one(
    page_client_for, manager, teammate, tab, django_assert_max_num_queries
):
    deal = deal_with_goods(manager=manager, kind=DealKindFactory(record_primary_demand=True))
    deal.collaborators.add(teammate)
    client = page_client_for(manager)
    _fill(deal, manager, 1)
    _queries(client, _detail(deal, tab))  # warm up the session and the content types
    one = _queries(client, _detail(deal, tab))

    _fill(deal, manager, 4)
    with django_assert_max_num_queries(one):
        client.get(_detail(deal, tab), HTTP_HX_REQUEST="true")
    assert one <= 25


# --- environment ----------------------------------------------------------------------------------------------


def test_the_environment_tab_lists_partners_with_roles_and_the_users_taking_part(
    page_client_for, manager, teammate
):
    deal = DealFactory(manager=manager)
    deal.collaborators.add(teammate)
    DealParticipant.objects.create(deal=deal, partner=PartnerFactory(name="Design Bureau"), role="Designer")

    html = page_client_for(manager).get(_detail(deal, "participants")).content.decode()

    assert "Design Bureau" in html and "Designer" in html
    assert str(teammate) in html and str(manager) in html
    assert reverse("deals:deal_participant_add", args=[deal.pk]) in html


def test_the_environment_form_offers_only_partners_the_user_sees_and_not_the_client(
    page_client_for, manager, outsider
):
    deal = DealFactory(manager=manager)
    PartnerFactory(manager=manager, name="Visible agent")
    PartnerFactory(manager=outsider, name="Hidden agent")

    response = page_client_for(manager).get(_detail(deal, "participants"))

    offered = list(response.context["participant_form"].fields["partner"].queryset)
    assert "Visible agent" in [partner.name for partner in offered]
    assert "Hidden agent" not in response.content.decode()
    assert deal.partner not in offered


def test_a_marketer_sees_the_environment_without_buttons(page_client_for, marketer, admin_user):
    deal = DealFactory(manager=admin_user)
    participant = DealParticipant.objects.create(deal=deal, partner=PartnerFactory(name="Agent Smith"))

    html = page_client_for(marketer).get(_detail(deal, "participants")).content.decode()

    assert "Agent Smith" in html
    assert reverse("deals:deal_participant_add", args=[deal.pk]) not in html
    assert reverse("deals:deal_participant_remove", args=[deal.pk, participant.pk]) not in html


# --- documents ------------------------------------------------------------------------------------------------


def test_the_documents_tab_lists_every_document_of_the_deal(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    quote = document_services.quote_from_deal(deal, actor=manager)
    order = document_services.sales_order_from_quote(quote, actor=manager)
    sale = document_services.sale_from_sales_order(order, actor=manager)
    supplier_order = document_services.purchase_order_from_deal(
        deal, actor=manager, supplier=PartnerFactory(is_supplier=True)
    )
    other_deal_quote = document_services.quote_from_deal(deal_with_goods(manager=manager), actor=manager)

    response = page_client_for(manager).get(_detail(deal, "documents"))

    html = response.content.decode()
    for document in (quote, order, sale, supplier_order):
        assert document.number in html
    assert other_deal_quote.number not in [row["document"].number for row in response.context["documents"]]
    types = [str(row["type"]) for row in response.context["documents"]]
    assert sorted(types) == sorted(["Commercial proposal", "Customer order", "Sale", "Supplier order"])
    assert "351.50" in html and "Draft" in html


def test_a_document_number_links_to_its_page(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    quote = document_services.quote_from_deal(deal, actor=manager)
    url = _reverse_or_skip("documents:document_detail", ["quotes", quote.pk])

    html = page_client_for(manager).get(_detail(deal, "documents")).content.decode()

    assert f'href="{url}"' in html


def test_the_documents_tab_offers_to_make_documents_from_the_deal(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    urls = {
        slug: _reverse_or_skip("documents:document_from_deal", [deal.pk, slug])
        for slug in ("quotes", "sales-orders", "sales", "purchase-orders")
    }

    html = page_client_for(manager).get(_detail(deal, "documents")).content.decode()

    for slug in ("quotes", "sales-orders", "sales"):
        assert f'<form method="post" action="{urls[slug]}">' in html
    assert f'<a class="btn" href="{urls["purchase-orders"]}">' in html
    assert "Make a commercial proposal" in html and "Supplier order" in html


def test_a_marketer_and_a_closed_deal_get_no_document_buttons(page_client_for, marketer, manager, admin_user):
    deal = deal_with_goods(manager=manager)
    url = _reverse_or_skip("documents:document_from_deal", [deal.pk, "quotes"])
    closed = deal_with_goods(manager=manager, closed=True)

    assert url not in page_client_for(admin_user).get(_detail(closed, "documents")).content.decode()
    assert url not in page_client_for(marketer).get(_detail(deal, "documents")).content.decode()


def test_the_documents_tab_renders_without_the_documents_pages(page_client_for, manager, monkeypatch):
    from sdelka.deals import card

    deal = deal_with_goods(manager=manager)
    document_services.quote_from_deal(deal, actor=manager)
    monkeypatch.setattr(card, "reverse", _reverse_without_documents)

    response = page_client_for(manager).get(_detail(deal, "documents"))

    assert response.status_code == 200
    assert response.context["document_makers"] == []
    assert [row["url"] for row in response.context["documents"]] == [None]


def _reverse_without_documents(name, *args, **kwargs):
    if name.startswith("documents:"):
        raise NoReverseMatch(name)
    return reverse(name, *args, **kwargs)


# --- expenses and the financial result ---------------------------------------------------------------------


def test_the_expenses_tab_lists_the_expenses_with_their_total(page_client_for, manager, teammate):
    deal = DealFactory(manager=manager)
    deal.collaborators.add(teammate)
    _expense(deal, manager, "1200.50", comment="Truck to the site")
    _expense(deal, teammate, "99.50", kind="travel")
    _expense(DealFactory(manager=manager), manager, "7777.00")

    response = page_client_for(manager).get(_detail(deal, "expenses"))

    html = response.content.decode()
    assert "Truck to the site" in html and "Delivery" in html and "Travel" in html
    assert str(teammate) in html
    assert response.context["expenses_total"] == Decimal("1300.00")
    assert "1,300.00 RUB" in html and "7,777.00" not in html
    assert reverse("deals:deal_expense_add", args=[deal.pk]) in html


def test_a_marketer_sees_expenses_without_the_form(page_client_for, marketer, admin_user):
    deal = DealFactory(manager=admin_user)
    expense = _expense(deal, admin_user, "10.00")

    html = page_client_for(marketer).get(_detail(deal, "expenses")).content.decode()

    assert "10.00" in html
    assert reverse("deals:deal_expense_add", args=[deal.pk]) not in html
    assert reverse("deals:deal_expense_delete", args=[deal.pk, expense.pk]) not in html


def test_the_financial_result_tab_shows_the_result_and_the_posted_sales_behind_it(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    sale = _posted_sale(deal, manager)
    draft = document_services.sale_from_deal(deal, actor=manager)
    _expense(deal, manager, "50.00")
    facts = SalesFact.objects.filter(deal=deal).aggregate(revenue=Sum("revenue"), cost=Sum("cost"))

    response = page_client_for(manager).get(_detail(deal, "finance"))

    result = response.context["result"]
    assert result["revenue"] == facts["revenue"] == sale.amount_net
    assert result["cost"] == facts["cost"] == Decimal("210.90")  # 60.00 × 2 + 30.30 × 3
    assert result["expenses"] == Decimal("50.00")
    assert result["result"] == facts["revenue"] - facts["cost"] - Decimal("50.00")
    html = response.content.decode()
    assert f"{result['result']:.2f} RUB" in html and "posted sales without VAT" in html
    assert [row["sale__number"] for row in response.context["posted_sales"]] == [sale.number]
    assert draft.number not in html


def test_the_financial_result_of_a_deal_without_sales_is_zero(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).get(_detail(deal, "finance"))

    assert set(response.context["result"].values()) == {Decimal("0.00")}
    assert "The deal has no posted sales yet." in response.content.decode()


# --- primary demand vs sold, and the contract on the main tab ------------------------------------------------


def test_the_demand_tab_shows_what_was_sold_beside_what_was_asked(page_client_for, manager):
    from sdelka.deals import services

    deal = deal_with_goods(manager=manager, kind=DealKindFactory(record_primary_demand=True))
    services.deal_record_primary_demand(actor=manager, deal=deal, version=deal.version)
    _posted_sale(deal, manager)
    _posted_sale(deal, manager)

    response = page_client_for(manager).get(_detail(deal, "demand"))

    rows = {row["product"].pk: row for row in response.context["demand_rows"]}
    for line in deal.products.all():
        facts = SalesFact.objects.filter(deal=deal, product=line.product)
        assert rows[line.product_id]["asked_quantity"] == line.quantity
        assert rows[line.product_id]["sold_quantity"] == 2 * line.quantity
        assert rows[line.product_id]["sold_amount"] == facts.aggregate(total=Sum("revenue"))["total"]
    assert "Sold quantity" in response.content.decode()


def test_a_product_sold_but_never_asked_for_gets_its_own_row(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    sale = document_services.sale_from_deal(deal, actor=manager)
    deal.products.all().delete()
    document_services.sale_post(sale, actor=manager)

    response = page_client_for(manager).get(_detail(deal, "demand"))

    names = sorted(row["product"].name for row in response.context["demand_rows"])
    assert names == sorted(line.product.name for line in sale.lines.all())


def test_the_main_tab_shows_the_contract(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    deal.contract = ContractFactory(counterparty=deal.counterparty, number="K-77")
    deal.save()

    html = page_client_for(manager).get(_detail(deal)).content.decode()

    assert "K-77" in html and reverse("documents:contract_detail", args=[deal.contract_id]) in html


def test_the_tasks_tab_lists_the_deals_tasks_open_first(manager, outsider, page_client_for):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from sdelka.activities.models import Task
    from sdelka.activities.tests.task_factories import TaskFactory
    from sdelka.deals.tests.factories import DealFactory

    deal = DealFactory(manager=manager, kind__process_type="manual")
    now = timezone.now()
    done = TaskFactory(
        assignee=manager,
        subject=deal,
        title="Sent the drawings",
        status="done",
        due_at=now - datetime.timedelta(days=3),
    )
    late = TaskFactory(
        assignee=manager, subject=deal, title="Call the engineer", due_at=now - datetime.timedelta(days=1)
    )
    TaskFactory(assignee=outsider, subject=deal, title="Someone else's")
    TaskFactory(assignee=manager, subject=DealFactory(manager=manager), title="Another deal")

    page = page_client_for(manager).get(reverse("deals:deal_detail", args=[deal.pk]), {"tab": "tasks"})

    html = page.content.decode()
    assert html.index(late.title) < html.index(done.title)
    assert "Someone else" not in html and "Another deal" not in html
    assert Task.objects.get(pk=late.pk).is_overdue
