"""The deals API: /api/v1/deals/ and its actions."""

from decimal import Decimal

import pytest

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.core.api.testing import list_ids, queries_of_get
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of
from sdelka.partners.tests.factories import ContactPersonFactory, CounterpartyFactory, PartnerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/deals/"


def detail(deal, suffix: str = "") -> str:
    return f"{URL}{deal.pk}/{suffix}"


@pytest.fixture
def client(manager, api_client_for):
    return api_client_for(manager)


@pytest.fixture
def partner(manager):
    return PartnerFactory(manager=manager)


@pytest.fixture
def typical():
    return DealKindFactory(process_type=ProcessType.TYPICAL)


# --- create and read ------------------------------------------------------------------------------------


def test_a_manager_creates_a_deal_at_the_first_stage(client, manager, partner, typical):
    response = client.post(
        URL,
        {
            "name": "Pumps",
            "partner": partner.pk,
            "kind": typical.pk,
            "expected_amount": "1500.50",
            "currency": "KZT",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage"], body["probability"], body["manager"], body["version"]) == (
        stages_of(typical)[0].pk,
        10,
        manager.pk,
        1,
    )
    assert (body["status"], body["expected_amount"], body["currency"]) == ("in_progress", "1500.50", "KZT")
    assert body["number"].endswith("-000001")


@pytest.mark.parametrize(
    "change,field",
    [
        (
            lambda ctx: {"counterparty": CounterpartyFactory(partner=PartnerFactory(manager=ctx["m"])).pk},
            "counterparty",
        ),
        (
            lambda ctx: {"contacts": [ContactPersonFactory(partner=PartnerFactory(manager=ctx["m"])).pk]},
            "contacts",
        ),
        (lambda ctx: {"expected_amount": "-1.00"}, "expected_amount"),
        (lambda ctx: {"kind": 999999}, "kind"),
        (lambda ctx: {"partner": 999999}, "partner"),
        (lambda ctx: {"manager": 999999}, "manager"),
        (lambda ctx: {"currency": "GBP"}, "currency"),
        (lambda ctx: {"probability": 101}, "probability"),
        (lambda ctx: {"partner": PartnerFactory(manager=ctx["o"]).pk}, "partner"),
    ],
)
def test_bad_input_is_400_and_nothing_is_created(change, field, client, manager, outsider, partner, typical):
    body = {
        "name": "Pumps",
        "partner": partner.pk,
        "kind": typical.pk,
        **change({"m": manager, "o": outsider}),
    }

    response = client.post(URL, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Deal.objects.exists()


def test_the_list_filters_by_status_kind_stage_and_period(client, manager, typical):
    early = DealFactory(manager=manager, kind=typical, start_date="2026-01-10")
    late = DealFactory(manager=manager, start_date="2026-03-10")

    assert list_ids(client.get(URL, {"kind": typical.pk})) == [early.pk]
    assert list_ids(client.get(URL, {"stage": late.stage_id})) == [late.pk]
    assert list_ids(client.get(URL, {"start_date_from": "2026-02-01"})) == [late.pk]
    assert list_ids(client.get(URL, {"start_date_to": "2026-02-01"})) == [early.pk]
    assert list_ids(client.get(URL, {"status": "won"})) == []
    assert list_ids(client.get(URL, {"ordering": "start_date"})) == [early.pk, late.pk]
    assert list_ids(client.get(URL, {"search": late.number})) == [late.pk]


def test_a_collaborator_sees_the_deal(teammate, manager, api_client_for):
    deal = DealFactory(manager=manager)
    deal.collaborators.add(teammate)

    assert list_ids(api_client_for(teammate).get(URL)) == [deal.pk]


def test_the_list_costs_the_same_queries_for_1_and_50_deals(client, manager):
    def make():
        deal = DealFactory(manager=manager, counterparty=None)
        deal.contacts.add(ContactPersonFactory(partner=deal.partner))
        deal.collaborators.add(manager)

    make()
    one = queries_of_get(client, URL)
    for _ in range(49):
        make()

    assert queries_of_get(client, URL) == one


# --- update with a version --------------------------------------------------------------------------------


def test_an_update_needs_the_version(client, manager):
    deal = DealFactory(manager=manager)

    response = client.patch(detail(deal), {"name": "New"}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


def test_a_stale_version_is_409_with_who_changed_it(client, manager, teammate, api_client_for):
    deal = DealFactory(manager=manager)
    deal.collaborators.add(teammate)
    assert (
        api_client_for(teammate)
        .patch(detail(deal), {"name": "Theirs", "version": 1}, format="json")
        .status_code
        == 200
    )

    response = client.patch(detail(deal), {"name": "Mine", "version": 1}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert (body["changed_by"], body["version"]) == (teammate.get_full_name(), 2)
    assert body["detail"] and body["changed_at"]
    deal.refresh_from_db()
    assert deal.name == "Theirs"


def test_a_stale_version_on_an_action_is_409_too(client, manager):
    deal = DealFactory(manager=manager)

    response = client.post(detail(deal, "win/"), {"version": 7}, format="json")

    assert response.status_code == 409
    deal.refresh_from_db()
    assert deal.status == DealStatus.IN_PROGRESS


def test_put_with_the_same_kind_changes_the_fields(client, manager):
    deal = DealFactory(manager=manager)

    response = client.put(
        detail(deal),
        {"name": "Put", "partner": deal.partner_id, "kind": deal.kind_id, "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["version"]) == ("Put", 2)


# --- actions -----------------------------------------------------------------------------------------------


def test_move_to_the_next_stage(client, manager, typical):
    deal = DealFactory(manager=manager, kind=typical)

    response = client.post(
        detail(deal, "move/"), {"stage": stages_of(typical)[1].pk, "version": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["stage"], response.json()["version"]) == (stages_of(typical)[1].pk, 2)


@pytest.mark.parametrize("target", ["skip", "foreign", "unknown"])
def test_a_refused_move_is_400_with_the_reason(target, client, manager, typical):
    deal = DealFactory(manager=manager, kind=typical)
    stage = {
        "skip": lambda: stages_of(typical)[2].pk,
        "foreign": lambda: stages_of(DealKindFactory())[1].pk,
        "unknown": lambda: 999999,
    }[target]()

    response = client.post(detail(deal, "move/"), {"stage": stage, "version": 1}, format="json")

    assert response.status_code == 400
    assert response.json()["stage"]
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == (stages_of(typical)[0], 1)


def test_lose_without_a_reason_is_400(client, manager):
    deal = DealFactory(manager=manager)

    for body in ({"version": 1}, {"version": 1, "lost_reason": None}):
        response = client.post(detail(deal, "lose/"), body, format="json")
        assert response.status_code == 400
        assert "lost_reason" in response.json()
    deal.refresh_from_db()
    assert deal.status == DealStatus.IN_PROGRESS


def test_lose_win_close_reopen_and_the_timeline(client, manager):
    deal = DealFactory(manager=manager)
    reason = LostReasonFactory()
    competitor = PartnerFactory(is_competitor=True)

    lost = client.post(
        detail(deal, "lose/"),
        {"lost_reason": reason.pk, "competitor": competitor.pk, "version": 1},
        format="json",
    )
    closed = client.post(detail(deal, "close/"), {"version": 2}, format="json")
    reopened = client.post(detail(deal, "reopen/"), {"version": 3}, format="json")
    won = client.post(detail(deal, "win/"), {"version": 4}, format="json")
    events = client.get(detail(deal, "events/"))

    assert [r.status_code for r in (lost, closed, reopened, won)] == [200] * 4
    assert (lost.json()["lost_reason"], lost.json()["competitor"]) == (reason.pk, competitor.pk)
    assert won.json()["status"] == "won"
    assert [e["kind"] for e in events.json()] == [
        "status_changed",
        "closed",
        "reopened",
        "status_changed",
        "status_changed",
    ]
    assert events.json()[0]["user_name"] == manager.get_full_name()


def test_goods_of_interest_and_primary_demand(client, manager):
    deal = DealFactory(manager=manager, kind=DealKindFactory(record_primary_demand=True))
    product = ProductFactory()

    put = client.put(
        detail(deal, "products/"),
        {"version": 1, "lines": [{"product": product.pk, "quantity": "2.5", "price": "10.00"}]},
        format="json",
    )
    recorded = client.post(detail(deal, "record-primary-demand/"), {"version": 2}, format="json")
    again = client.post(detail(deal, "record-primary-demand/"), {"version": 3}, format="json")

    assert put.status_code == 200, put.content
    assert put.json()[0]["amount"] == "25.00"
    assert client.get(detail(deal, "products/")).json()[0]["quantity"] == "2.500"
    assert recorded.status_code == 200
    assert again.status_code == 400
    assert client.get(detail(deal, "primary-demand/")).json()[0]["product"] == product.pk


@pytest.mark.parametrize("line", [{"quantity": "0", "price": "1"}, {"quantity": "1", "price": "-1"}])
def test_a_bad_goods_line_is_400(line, client, manager):
    deal = DealFactory(manager=manager)

    response = client.put(
        detail(deal, "products/"),
        {"version": 1, "lines": [{"product": ProductFactory().pk, **line}]},
        format="json",
    )

    assert response.status_code == 400


def test_history_lists_the_changes(client, manager):
    deal = DealFactory(manager=manager)
    client.patch(detail(deal), {"expected_amount": "10.00", "version": 1}, format="json")

    response = client.get(detail(deal, "history/"))

    assert response.status_code == 200
    changes = {change["field"]: change["new"] for change in response.json()[0]["changes"]}
    assert Decimal(changes["expected_amount"]) == Decimal("10.00")
    assert response.json()[0]["user"] == manager.pk
