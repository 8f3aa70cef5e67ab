"""The funnel board: columns with counts and sums, scope, filters, and the move / win / lose endpoints."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of

pytestmark = pytest.mark.django_db

BOARD = reverse("deals_board:board")


def column_of(response, stage):
    """The HTML of the column of ``stage`` on the board."""
    html = response.content.decode()
    match = re.search(rf'<section class="board-column" data-stage="{stage.pk}".*?</section>', html, re.S)
    assert match, f"no column for {stage}"
    return match.group(0)


def columns(response):
    return {column.stage.pk: column for column in response.context["columns"]}


@pytest.fixture
def kind(db):
    return DealKindFactory(name="Typical", process_type=ProcessType.TYPICAL)


def test_columns_count_and_sum_the_deals_at_each_stage(page_client_for, manager, kind):
    first, second, *_ = stages_of(kind)
    DealFactory(manager=manager, kind=kind, stage=first, probability=10, expected_amount=Decimal("1000.00"))
    DealFactory(manager=manager, kind=kind, stage=first, probability=50, expected_amount=Decimal("300.50"))
    DealFactory(manager=manager, kind=kind, stage=second, probability=30, expected_amount=Decimal("200.00"))
    DealFactory(
        manager=manager, kind=kind, stage=second, status=DealStatus.WON, expected_amount=Decimal("999.00")
    )

    response = page_client_for(manager).get(BOARD, {"kind": kind.pk})

    assert response.status_code == 200
    cols = columns(response)
    assert [c.stage for c in response.context["columns"]] == stages_of(kind)
    assert cols[first.pk].count == 2
    assert [(s.currency, s.total, s.weighted) for s in cols[first.pk].sums] == [
        ("RUB", Decimal("1300.50"), Decimal("250.25"))
    ]
    assert cols[second.pk].count == 1
    assert [(s.total, s.weighted) for s in cols[second.pk].sums] == [(Decimal("200.00"), Decimal("60.00"))]
    assert "1,300.50" in column_of(response, first)
    assert "250.25" in column_of(response, first)
    assert "999.00" not in response.content.decode()


def test_the_board_shows_only_visible_deals(page_client_for, manager, outsider, kind):
    mine = DealFactory(manager=manager, kind=kind, name="Mine")
    DealFactory(manager=outsider, kind=kind, name="Foreign")

    response = page_client_for(manager).get(BOARD, {"kind": kind.pk})

    cards = [d for c in response.context["columns"] for d in c.deals]
    assert cards == [mine]
    assert "Foreign" not in response.content.decode()


def test_the_first_kind_with_stages_is_the_default(page_client_for, manager, kind):
    DealKindFactory(name="AAA no stages", process_type=ProcessType.NON_PROCESS)

    response = page_client_for(manager).get(BOARD)

    assert response.context["kind"] == kind


def test_filters_by_manager_and_period(page_client_for, head, manager, teammate, kind):
    old = DealFactory(manager=manager, kind=kind, start_date=datetime.date(2026, 1, 10))
    new = DealFactory(manager=manager, kind=kind, start_date=datetime.date(2026, 3, 10))
    other = DealFactory(manager=teammate, kind=kind, start_date=datetime.date(2026, 3, 12))
    client = page_client_for(head)

    def cards(**params):
        response = client.get(BOARD, {"kind": kind.pk, **params})
        return {d for c in response.context["columns"] for d in c.deals}

    assert cards() == {old, new, other}
    assert cards(manager=manager.pk) == {old, new}
    assert cards(date_from="2026-02-01") == {new, other}
    assert cards(date_to="2026-02-01") == {old}
    assert cards(manager=teammate.pk, date_from="2026-03-01", date_to="2026-03-31") == {other}


def test_moving_to_the_next_stage_goes_through_the_service(page_client_for, manager, kind):
    second = stages_of(kind)[1]
    deal = DealFactory(manager=manager, kind=kind)

    response = page_client_for(manager).post(
        reverse("deals_board:move"), {"deal": deal.pk, "stage": second.pk, "version": deal.version}
    )

    assert response.status_code == 200
    deal.refresh_from_db()
    assert (deal.stage, deal.probability, deal.version) == (second, second.probability, 2)
    assert deal.events.filter(to_stage=second, user=manager).exists()
    assert f'id="board-card-{deal.pk}"' in column_of(response, second)


def test_a_skip_on_a_typical_sale_is_refused_with_the_reason(page_client_for, manager, kind):
    first, _second, third, _fourth = stages_of(kind)
    deal = DealFactory(manager=manager, kind=kind)

    response = page_client_for(manager).post(
        reverse("deals_board:move"), {"deal": deal.pk, "stage": third.pk, "version": deal.version}
    )

    assert response.status_code == 400
    assert "only to the next stage" in response.json()["error"]
    deal.refresh_from_db()
    assert (deal.stage, deal.version) == (first, 1)
    assert not deal.events.filter(to_stage=third).exists()


def test_a_stale_version_is_a_conflict(page_client_for, manager, kind):
    second = stages_of(kind)[1]
    deal = DealFactory(manager=manager, kind=kind)

    response = page_client_for(manager).post(
        reverse("deals_board:move"), {"deal": deal.pk, "stage": second.pk, "version": 7}
    )

    assert response.status_code == 409
    assert response.json()["error"]
    deal.refresh_from_db()
    assert deal.stage == stages_of(kind)[0]


def test_a_foreign_deal_is_not_found(page_client_for, manager, outsider, kind):
    second = stages_of(kind)[1]
    deal = DealFactory(manager=outsider, kind=kind)

    client = page_client_for(manager)
    url_data = {"deal": deal.pk, "version": deal.version}
    assert client.post(reverse("deals_board:move"), {**url_data, "stage": second.pk}).status_code == 404
    assert client.post(reverse("deals_board:win"), url_data).status_code == 404
    deal.refresh_from_db()
    assert (deal.stage, deal.status, deal.version) == (stages_of(kind)[0], DealStatus.IN_PROGRESS, 1)


def test_a_read_only_role_cannot_drag_or_move(page_client_for, marketer, kind):
    deal = DealFactory(kind=kind)
    client = page_client_for(marketer)

    response = client.get(BOARD)
    assert response.context["can_drag"] is False
    assert f'id="board-card-{deal.pk}"' in response.content.decode()
    assert 'draggable="true"' not in response.content.decode()
    response = client.post(
        reverse("deals_board:move"), {"deal": deal.pk, "stage": stages_of(kind)[1].pk, "version": 1}
    )
    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.version == 1


def test_won_drop_marks_the_deal_won(page_client_for, manager, kind):
    deal = DealFactory(manager=manager, kind=kind)

    response = page_client_for(manager).post(reverse("deals_board:win"), {"deal": deal.pk, "version": 1})

    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON
    assert f"board-card-{deal.pk}" not in response.content.decode()


def test_lose_without_a_reason_is_refused(page_client_for, manager, kind):
    deal = DealFactory(manager=manager, kind=kind)

    response = page_client_for(manager).post(
        reverse("deals_board:lose"), {"deal": deal.pk, "version": 1, "lost_reason": ""}
    )

    assert response.status_code == 400
    assert "reason" in response.json()["error"]
    deal.refresh_from_db()
    assert (deal.status, deal.version) == (DealStatus.IN_PROGRESS, 1)


def test_lose_with_a_reason_marks_the_deal_lost(page_client_for, manager, kind):
    deal = DealFactory(manager=manager, kind=kind)
    reason = LostReasonFactory(name="Too expensive")

    response = page_client_for(manager).post(
        reverse("deals_board:lose"), {"deal": deal.pk, "version": 1, "lost_reason": reason.pk}
    )

    assert response.status_code == 200
    deal.refresh_from_db()
    assert (deal.status, deal.lost_reason) == (DealStatus.LOST, reason)


def test_the_page_offers_the_lost_dialog_and_drop_zones(page_client_for, manager, kind):
    LostReasonFactory(name="Too expensive")
    LostReasonFactory(name="Retired reason", active=False)

    html = page_client_for(manager).get(BOARD).content.decode()

    assert "<dialog" in html
    assert 'data-drop="won"' in html and 'data-drop="lost"' in html
    assert "Too expensive" in html
    assert "Retired reason" not in html


def board_queries(client, kind) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOARD, {"kind": kind.pk})
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_deals(page_client_for, manager, kind):
    client = page_client_for(manager)
    stages = stages_of(kind)
    DealFactory(manager=manager, kind=kind)
    client.get(BOARD, {"kind": kind.pk})  # warm up the session and caches
    one = board_queries(client, kind)

    for index in range(49):
        DealFactory(manager=manager, kind=kind, stage=stages[index % len(stages)])
    assert Deal.objects.count() == 50
    fifty = board_queries(client, kind)

    assert one == fifty
