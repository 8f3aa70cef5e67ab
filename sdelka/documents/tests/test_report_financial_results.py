"""The "Deal financial results" report: figures per deal and in total, filters, scope, sorting, the page,
its Excel export and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory
from sdelka.documents import services
from sdelka.documents.choices import ExpenseKind, SaleStatus
from sdelka.documents.models import Sale
from sdelka.documents.report_export import MONEY_FORMAT, XLSX_CONTENT_TYPE
from sdelka.documents.reports import deal_financial_results
from sdelka.documents.tests.factories import deal_with_goods

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:deal_financial_results")
EXPORT = reverse("reports:deal_financial_results_export")
API = "/api/v1/reports/deal-financial-results/"
FIGURES = ("revenue", "cost", "gross_profit", "expenses", "result")


def _sold(deal, actor, *expenses: str):
    """Post a sale of the deal's goods and record its expenses; the deal is returned fresh."""
    services.sale_post(services.sale_from_deal(deal, actor=actor), actor=actor)
    for amount in expenses:
        services.expense_create(
            actor=actor,
            data={
                "deal": deal,
                "date": datetime.date(2026, 3, 1),
                "kind": ExpenseKind.DELIVERY,
                "amount": Decimal(amount),
            },
        )
    return deal


def _set(deal, **fields):
    """Status, dates and flags are set after the documents: a closed deal takes no new sales."""
    Deal.objects.filter(pk=deal.pk).update(**fields)
    deal.refresh_from_db()
    return deal


@pytest.fixture
def deals(manager, teammate, outsider):
    """Four deals with known figures (goods at 22 % VAT inside the price, cost price 60 % of the price).

    pump (manager): 100.00 × 2 + 50.50 × 3 → revenue 163.93 + 124.18 = 288.11, cost 210.90,
        gross profit 77.21, expenses 100.00, result −22.79.
    boiler (teammate): 1000.00 × 1 → revenue 819.67, cost 600.00, gross profit 219.67,
        expenses 50.00 + 20.50 = 70.50, result 149.17.
    idle (manager): nothing sold, nothing spent.
    south (outsider, another team): 500.00 × 1 → revenue 409.84, cost 300.00, gross profit 109.84.
    """
    pump = _sold(deal_with_goods(manager=manager, name="Pump station"), manager, "100.00")
    pump = _set(pump, start_date=datetime.date(2026, 1, 10))
    boiler = _sold(
        deal_with_goods(manager=teammate, name="Boiler house", lines=(("1000.00", "1"),)),
        teammate,
        "50.00",
        "20.50",
    )
    boiler = _set(
        boiler,
        start_date=datetime.date(2026, 2, 5),
        status=DealStatus.WON,
        closed=True,
        actual_close_date=datetime.date(2026, 4, 20),
    )
    idle = _set(
        deal_with_goods(manager=manager, name="Idle talk"),
        start_date=datetime.date(2026, 3, 15),
        status=DealStatus.LOST,
        lost_reason=LostReasonFactory(),
        closed=True,
        actual_close_date=datetime.date(2026, 3, 30),
    )
    south = _sold(deal_with_goods(manager=outsider, name="Southern mill", lines=(("500.00", "1"),)), outsider)
    south = _set(south, start_date=datetime.date(2026, 1, 20))
    return {"pump": pump, "boiler": boiler, "idle": idle, "south": south}


EXPECTED = {
    "pump": ("288.11", "210.90", "77.21", "100.00", "-22.79"),
    "boiler": ("819.67", "600.00", "219.67", "70.50", "149.17"),
    "idle": ("0.00", "0.00", "0.00", "0.00", "0.00"),
    "south": ("409.84", "300.00", "109.84", "0.00", "109.84"),
}


def _figures(deal) -> tuple[str, ...]:
    return tuple(
        str(
            Decimal(getattr(deal, "expenses_amount" if name == "expenses" else name)).quantize(
                Decimal("0.01")
            )
        )
        for name in FIGURES
    )


def _report(user, **filters):
    return deal_financial_results(user=user, filters=filters)


def _names(report) -> set[str]:
    return {deal.name for deal in report.deals}


# --- the figures ----------------------------------------------------------------------------------------------


def test_each_deal_gets_revenue_cost_gross_profit_expenses_and_result(admin_user, deals):
    report = _report(admin_user)

    by_key = {key: next(d for d in report.deals if d.pk == deal.pk) for key, deal in deals.items()}
    assert {key: _figures(deal) for key, deal in by_key.items()} == EXPECTED


def test_totals_are_summed_over_the_whole_filtered_set(admin_user, manager, deals):
    everything = _report(admin_user)
    assert everything.totals == {
        "revenue": Decimal("1517.62"),
        "cost": Decimal("1110.90"),
        "gross_profit": Decimal("406.72"),
        "expenses": Decimal("170.50"),
        "result": Decimal("236.22"),
    }
    assert _report(manager).totals == {
        "revenue": Decimal("288.11"),
        "cost": Decimal("210.90"),
        "gross_profit": Decimal("77.21"),
        "expenses": Decimal("100.00"),
        "result": Decimal("-22.79"),
    }


def test_only_posted_sales_count(manager, deals):
    pump = deals["pump"]
    posted = Sale.objects.get(deal=pump, status=SaleStatus.POSTED)
    services.sale_from_deal(pump, actor=manager)  # a second sale, left a draft

    def pump_row():
        return next(deal for deal in _report(manager).deals if deal.pk == pump.pk)

    assert _figures(pump_row()) == EXPECTED["pump"]

    services.sale_unpost(posted, actor=manager)

    assert _figures(pump_row()) == ("0.00", "0.00", "0.00", "100.00", "-100.00")


def test_totals_of_nothing_are_zero(outsider, deals):
    report = _report(outsider, deal="no such deal")

    assert list(report.deals) == []
    assert set(report.totals.values()) == {Decimal("0.00")}


# --- scope ----------------------------------------------------------------------------------------------------


def test_a_manager_sees_own_deals_and_those_taking_part_in(manager, teammate, deals):
    assert _names(_report(manager)) == {"Pump station", "Idle talk"}

    deals["boiler"].collaborators.add(manager)

    assert _names(_report(manager)) == {"Pump station", "Idle talk", "Boiler house"}


def test_a_head_sees_the_team_and_nobody_else(head, deals):
    assert _names(_report(head)) == {"Pump station", "Idle talk", "Boiler house"}


def test_an_outsider_sees_none_of_another_teams_deals(outsider, deals):
    assert _names(_report(outsider)) == {"Southern mill"}


@pytest.mark.parametrize("role", ["admin_user", "marketer"])
def test_administrators_and_marketers_see_every_deal(request, role, deals):
    assert _names(_report(request.getfixturevalue(role))) == {
        "Pump station",
        "Idle talk",
        "Boiler house",
        "Southern mill",
    }


# --- filters --------------------------------------------------------------------------------------------------


def test_filters_narrow_the_report(admin_user, manager, teammate, deals):
    other_kind = DealKindFactory()
    _set(deals["boiler"], kind=other_kind)

    def names(**filters):
        return _names(_report(admin_user, **filters))

    assert names(deal="pump") == {"Pump station"}
    assert names(deal=deals["boiler"].number) == {"Boiler house"}
    assert names(kind=other_kind) == {"Boiler house"}
    assert names(manager=manager) == {"Pump station", "Idle talk"}
    assert names(partner=deals["south"].partner) == {"Southern mill"}
    assert names(status=DealStatus.WON) == {"Boiler house"}
    assert names(status=DealStatus.LOST) == {"Idle talk"}
    assert names(closed=True) == {"Boiler house", "Idle talk"}
    assert names(closed=False) == {"Pump station", "Southern mill"}
    assert names(date_from=datetime.date(2026, 1, 15), date_to=datetime.date(2026, 2, 28)) == {
        "Boiler house",
        "Southern mill",
    }
    assert names(period_by="actual_close_date", date_from=datetime.date(2026, 4, 1)) == {"Boiler house"}
    assert names(period_by="actual_close_date", date_to=datetime.date(2026, 4, 1)) == {"Idle talk"}
    assert _report(admin_user, manager=manager).totals["result"] == Decimal("-22.79")


def test_the_page_form_parses_every_filter(page_client_for, admin_user, manager, deals):
    client = page_client_for(admin_user)

    def names(**params):
        response = client.get(PAGE, params)
        assert response.status_code == 200 and not response.context["form"].errors
        return {deal.name for deal in response.context["page"].object_list}

    assert names(deal="boiler", closed="true") == {"Boiler house"}
    assert names(closed="false", manager=manager.pk) == {"Pump station"}
    assert names(kind=deals["south"].kind_id) == {"Southern mill"}
    assert names(partner=deals["pump"].partner_id, status="in_progress") == {"Pump station"}
    assert names(period_by="actual_close_date", date_from="2026-03-01", date_to="2026-03-31") == {"Idle talk"}


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
        ({"date_from": "31st of May"}, "date_from"),
        ({"status": "dreaming"}, "status"),
        ({"closed": "maybe"}, "closed"),
        ({"period_by": "birthday"}, "period_by"),
        ({"kind": "abc"}, "kind"),
    ],
)
def test_bad_filters_are_told_and_no_report_is_made(page_client_for, manager, deals, params, field):
    response = page_client_for(manager).get(PAGE, params)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["report"] is None
    html = response.content.decode()
    assert "The report was not made: correct the filters." in html
    assert "Pump station" not in html


def test_a_manager_or_client_outside_the_scope_is_refused(page_client_for, manager, outsider, deals):
    client = page_client_for(manager)

    by_manager = client.get(PAGE, {"manager": outsider.pk})
    by_partner = client.get(PAGE, {"partner": deals["south"].partner_id})

    assert "manager" in by_manager.context["form"].errors and by_manager.context["report"] is None
    assert "partner" in by_partner.context["form"].errors and by_partner.context["report"] is None
    assert "Southern mill" not in by_partner.content.decode()


# --- sorting --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("result", ["pump", "idle", "south", "boiler"]),
        ("-result", ["boiler", "south", "idle", "pump"]),
        ("revenue", ["idle", "pump", "south", "boiler"]),
        ("-expenses", ["pump", "boiler", "south", "idle"]),
        ("-cost", ["boiler", "south", "pump", "idle"]),
        ("gross_profit", ["idle", "pump", "south", "boiler"]),
    ],
)
def test_the_report_sorts_by_each_money_column(admin_user, deals, sort, order):
    report = deal_financial_results(user=admin_user, filters={}, sort=sort)

    assert report.sort == sort
    assert [deal.pk for deal in report.deals] == [deals[key].pk for key in order]


def test_the_report_sorts_by_number_and_client_and_ignores_unknown_keys(admin_user, deals):
    by_partner = deal_financial_results(user=admin_user, filters={}, sort="partner")
    unknown = deal_financial_results(user=admin_user, filters={}, sort="password")
    by_number = sorted(deals.values(), key=lambda deal: deal.number, reverse=True)

    assert [d.partner.name for d in by_partner.deals] == sorted(d.partner.name for d in deals.values())
    assert unknown.sort == "-number"
    assert [d.pk for d in unknown.deals] == [d.pk for d in by_number]


# --- the page -------------------------------------------------------------------------------------------------


def test_the_page_shows_figures_totals_links_and_highlights_a_loss(page_client_for, head, deals):
    response = page_client_for(head).get(PAGE, {"sort": "result"})

    assert response.status_code == 200
    html = response.content.decode()
    rows = list(response.context["page"].object_list)
    assert [deal.pk for deal in rows] == [deals["pump"].pk, deals["idle"].pk, deals["boiler"].pk]
    assert reverse("deals:deal_detail", args=[deals["pump"].pk]) in html
    assert 'class="num nowrap result negative">-22.79<' in html
    assert 'class="num nowrap result">149.17<' in html
    # the totals row: 288.11 + 819.67 revenue, −22.79 + 149.17 result
    assert "1,107.78" in html and "126.38" in html
    assert "Total for 3 deals" in html
    assert "Southern mill" not in html


def test_the_totals_row_covers_every_page(page_client_for, manager):
    for _ in range(51):
        DealFactory(manager=manager)
    sold = _sold(deal_with_goods(manager=manager), manager, "1.00")

    response = page_client_for(manager).get(PAGE, {"sort": "-revenue", "page": 2})

    assert sold not in response.context["page"].object_list
    assert response.context["report"].totals["revenue"] == Decimal("288.11")
    assert "288.11" in response.content.decode()


def _page_queries(client, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(PAGE, {"sort": "-result"})
    return response


def test_the_page_takes_the_same_few_queries_for_any_number_of_deals(
    page_client_for, django_assert_max_num_queries, manager
):
    client = page_client_for(manager)
    _sold(deal_with_goods(manager=manager), manager, "5.00")
    # session, user; the kinds, managers and clients of the filters; the rows, their count and totals;
    # and the shell's five: tasks due, unread notifications, the worker's heartbeat and overdue work.
    _page_queries(client, django_assert_max_num_queries, 13)
    for _ in range(3):
        _sold(deal_with_goods(manager=manager, kind=DealKindFactory()), manager, "5.00", "7.00")
    for _ in range(10):
        DealFactory(manager=manager, kind=DealKindFactory())

    response = _page_queries(client, django_assert_max_num_queries, 13)

    assert len(response.context["page"].object_list) == 14


def test_every_role_may_open_the_report(page_client_for, users_by_role, deals):
    for user in users_by_role.values():
        assert page_client_for(user).get(PAGE).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- Excel ----------------------------------------------------------------------------------------------------


def _sheet(content: bytes):
    return load_workbook(BytesIO(content)).active


def _header_row(sheet) -> int:
    return next(row for row in range(1, 10) if sheet.cell(row=row, column=1).value == "Number")


def test_the_excel_file_holds_the_pages_figures_and_totals(page_client_for, head, deals):
    client = page_client_for(head)
    params = {"sort": "-result", "status": "in_progress"}
    page = client.get(PAGE, params)

    response = client.get(EXPORT, params)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = _sheet(response.content)
    assert sheet["A1"].value == "Deal financial results"
    assert sheet["A2"].value == "Filters: Status: In progress"
    header = _header_row(sheet)
    assert all(cell.font.bold for cell in sheet[header] if cell.value)
    rows = [
        [cell.value for cell in row] for row in sheet.iter_rows(min_row=header + 1, max_row=sheet.max_row - 1)
    ]
    expected = [
        [deal.number, deal.name, deal.partner.name, str(deal.manager), *_figures(deal)]
        for deal in page.context["page"].object_list
    ]
    assert [
        [row[0], row[1], row[2], row[3], *(str(Decimal(str(v)).quantize(Decimal("0.01"))) for v in row[8:])]
        for row in rows
    ] == expected
    assert [row[1] for row in rows] == ["Pump station"]
    total = [cell for cell in sheet[sheet.max_row]]
    assert total[0].value == "Total" and total[0].font.bold
    assert [Decimal(str(cell.value)) for cell in total[8:]] == list(page.context["report"].totals.values())
    assert total[12].number_format == MONEY_FORMAT
    assert sheet.cell(row=header + 1, column=9).number_format == MONEY_FORMAT


def test_the_excel_file_holds_every_row_not_one_page(page_client_for, manager):
    for _ in range(55):
        DealFactory(manager=manager)

    sheet = _sheet(page_client_for(manager).get(EXPORT).content)

    assert sheet.max_row - _header_row(sheet) - 1 == 55
    assert sheet["A2"].value == "Filters: none"


def test_the_excel_export_refuses_bad_filters(page_client_for, manager, deals):
    response = page_client_for(manager).get(EXPORT, {"date_from": "2026-05-01", "date_to": "2026-01-01"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "date_to" in response.context["form"].errors


def test_the_filter_summary_names_every_filter(page_client_for, admin_user, manager, deals):
    params = {
        "deal": "pump",
        "manager": manager.pk,
        "closed": "false",
        "period_by": "actual_close_date",
        "date_from": "2026-01-01",
    }
    sheet = _sheet(page_client_for(admin_user).get(EXPORT, params).content)

    summary = sheet["A2"].value
    assert summary.startswith("Filters: Deal: pump; Manager: ")
    assert str(manager) in summary and "Closed: Open" in summary and "Actual close date: " in summary


# --- the API --------------------------------------------------------------------------------------------------


def test_the_api_answers_rows_and_totals(api_client_for, head, deals):
    response = api_client_for(head).get(API, {"sort": "result"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["currency"] == "RUB"
    pump = body["results"][0]
    assert pump == {
        "id": deals["pump"].pk,
        "number": deals["pump"].number,
        "name": "Pump station",
        "partner": deals["pump"].partner_id,
        "partner_name": deals["pump"].partner.name,
        "manager": deals["pump"].manager_id,
        "manager_name": str(deals["pump"].manager),
        "kind": deals["pump"].kind_id,
        "kind_name": deals["pump"].kind.name,
        "status": "in_progress",
        "closed": False,
        "start_date": "2026-01-10",
        "actual_close_date": None,
        **dict(zip(FIGURES, EXPECTED["pump"], strict=True)),
    }
    assert body["totals"] == {
        "revenue": "1107.78",
        "cost": "810.90",
        "gross_profit": "296.88",
        "expenses": "170.50",
        "result": "126.38",
    }


def test_the_api_pages_but_totals_the_whole_report(api_client_for, admin_user, deals):
    response = api_client_for(admin_user).get(API, {"page_size": 1, "sort": "-revenue"})

    body = response.json()
    assert body["count"] == 4 and len(body["results"]) == 1 and body["next"]
    assert body["results"][0]["id"] == deals["boiler"].pk
    assert body["totals"]["revenue"] == "1517.62"


def test_the_api_filters_like_the_page(api_client_for, admin_user, manager, deals):
    response = api_client_for(admin_user).get(API, {"manager": manager.pk, "closed": "true"})

    assert [row["name"] for row in response.json()["results"]] == ["Idle talk"]


def test_the_api_refuses_bad_filters_with_messages(api_client_for, manager, outsider, deals):
    response = api_client_for(manager).get(
        API, {"manager": outsider.pk, "date_from": "2026-05-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"manager", "date_to"}
    assert body["date_to"] == ["The end of the period is before its start."]


def test_the_api_gives_the_whole_report_as_excel(api_client_for, admin_user, deals):
    response = api_client_for(admin_user).get(API, {"format": "xlsx", "page_size": 1, "sort": "number"})

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = _sheet(response.content)
    header = _header_row(sheet)
    numbers = [sheet.cell(row=row, column=1).value for row in range(header + 1, sheet.max_row)]
    assert numbers == sorted(deal.number for deal in deals.values())
    assert Decimal(str(sheet.cell(row=sheet.max_row, column=13).value)) == Decimal("236.22")


def test_the_api_tells_errors_in_json_even_when_excel_is_asked_for(api_client_for, manager, client):
    bad = api_client_for(manager).get(API, {"format": "xlsx", "status": "dreaming"})
    anonymous = client.get(API, {"format": "xlsx"})

    assert bad.status_code == 400 and bad["Content-Type"] == "application/json"
    assert "status" in bad.json()
    assert anonymous.status_code in (401, 403) and anonymous["Content-Type"] == "application/json"


def test_the_api_sees_only_the_callers_deals(api_client_for, outsider, deals):
    body = api_client_for(outsider).get(API).json()

    assert [row["name"] for row in body["results"]] == ["Southern mill"]
    assert body["totals"]["revenue"] == "409.84"


def test_the_api_is_documented(admin_user, api_client_for):
    schema = api_client_for(admin_user).get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/reports/deal-financial-results/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {
        "deal",
        "kind",
        "manager",
        "partner",
        "status",
        "closed",
        "period_by",
        "date_from",
        "date_to",
        "sort",
        "page",
        "page_size",
        "format",
    }
    assert set(operation["responses"]["200"]["content"]) == {"application/json", XLSX_CONTENT_TYPE}


def test_period_by_operations_counts_only_sales_and_expenses_in_the_period(manager):
    deal = deal_with_goods(manager=manager)
    early = services.sale_from_deal(deal, actor=manager, data={"date": datetime.date(2026, 1, 10)})
    services.sale_post(early, actor=manager)
    late = services.sale_from_deal(deal, actor=manager, data={"date": datetime.date(2026, 3, 10)})
    services.sale_post(late, actor=manager)
    for day, amount in ((datetime.date(2026, 1, 11), "100.00"), (datetime.date(2026, 3, 11), "30.00")):
        services.expense_create(
            actor=manager,
            data={"deal": deal, "date": day, "kind": ExpenseKind.TRAVEL, "amount": Decimal(amount)},
        )
    quiet = deal_with_goods(manager=manager)

    report = _report(
        manager,
        period_by="operations",
        date_from=datetime.date(2026, 3, 1),
        date_to=datetime.date(2026, 3, 31),
    )

    rows = list(report.deals)
    assert [row.pk for row in rows] == [deal.pk] and quiet.pk not in [row.pk for row in rows]
    assert rows[0].revenue == late.amount_net
    assert rows[0].expenses_amount == Decimal("30.00")
    assert report.totals["revenue"] == late.amount_net
