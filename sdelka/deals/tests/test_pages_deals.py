"""The deal pages: list, form, detail with its tabs, and the actions (all through the services)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.deals import services
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.models import Deal, DealEvent
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("deals:deal_list")


def _detail(deal, tab="main"):
    return f"{reverse('deals:deal_detail', args=[deal.pk])}?tab={tab}"


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the list -----------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_users_deals(page_client_for, manager, outsider):
    mine = DealFactory(manager=manager, name="Mine")
    foreign = DealFactory(manager=outsider, name="Foreign")

    html = page_client_for(manager).get(LIST).content.decode()

    assert mine.number in html and "Mine" in html
    assert foreign.number not in html and "Foreign" not in html


def test_the_list_filters_and_searches(page_client_for, manager):
    manual = DealKindFactory(process_type=ProcessType.MANUAL)
    boiler = DealFactory(manager=manager, name="Boiler", partner=PartnerFactory(name="Acme"))
    pump = DealFactory(manager=manager, name="Pump", kind=manual, partner=PartnerFactory(name="Zeta"))
    DealFactory(manager=manager, name="Closed one", closed=True, status=DealStatus.WON)
    client = page_client_for(manager)

    def names(**params):
        return [deal.name for deal in client.get(LIST, params).context["page"].object_list]

    assert names(q="boil") == ["Boiler"]
    assert names(q=pump.number) == ["Pump"]
    assert names(partner="acm") == ["Boiler"]
    assert names(kind=manual.pk) == ["Pump"]
    assert names(stage=boiler.stage_id) == ["Boiler"]
    assert names(status="won") == ["Closed one"]
    assert sorted(names(closed="no")) == ["Boiler", "Pump"]
    assert names(closed="yes") == ["Closed one"]
    assert names(start_from="2000-01-01", start_to="2000-12-31") == []
    assert len(names(manager=manager.pk)) == 3


def test_the_list_sorts_by_a_column(page_client_for, manager):
    DealFactory(manager=manager, name="B", expected_amount=Decimal("300"))
    DealFactory(manager=manager, name="A", expected_amount=Decimal("100"))
    DealFactory(manager=manager, name="C", expected_amount=Decimal("200"))
    client = page_client_for(manager)

    def names(sort):
        return [deal.name for deal in client.get(LIST, {"sort": sort}).context["page"].object_list]

    assert names("name") == ["A", "B", "C"]
    assert names("-name") == ["C", "B", "A"]
    assert names("amount") == ["A", "C", "B"]


def test_the_list_makes_as_many_queries_for_50_deals_as_for_1(page_client_for, manager, teammate):
    client = page_client_for(manager)
    DealFactory(manager=manager).collaborators.add(teammate)
    client.get(LIST)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for _ in range(49):
        DealFactory(manager=manager, kind=DealKindFactory()).collaborators.add(teammate)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50
    assert len(fifty) == len(one)


# --- the form -----------------------------------------------------------------------------------------------


def test_a_deal_is_created_through_the_page(page_client_for, manager):
    kind = DealKindFactory()
    partner = PartnerFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("deals:deal_create"),
        {
            "name": "New boiler",
            "partner": partner.pk,
            "kind": kind.pk,
            "manager": manager.pk,
            "expected_amount": "1500.00",
            "currency": "RUB",
        },
    )

    deal = Deal.objects.get(name="New boiler")
    assert response.status_code == 302 and response.url == reverse("deals:deal_detail", args=[deal.pk])
    assert deal.stage == stages_of(kind)[0] and deal.probability == 10 and not deal.probability_manual
    assert deal.events.filter(kind="created").exists()


def test_the_form_offers_only_visible_clients(page_client_for, manager, outsider):
    mine = PartnerFactory(manager=manager, name="My client")
    PartnerFactory(manager=outsider, name="Their client")

    html = page_client_for(manager).get(reverse("deals:deal_create")).content.decode()

    assert mine.name in html and "Their client" not in html


def _edit_data(deal, **changes):
    data = {
        "name": deal.name,
        "partner": deal.partner_id,
        "manager": deal.manager_id,
        "expected_amount": str(deal.expected_amount),
        "currency": deal.currency,
        "version": deal.version,
    }
    data.update(changes)
    return data


def test_an_edit_saves_through_the_service(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("deals:deal_edit", args=[deal.pk]), _edit_data(deal, expected_amount="900.00")
    )

    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.expected_amount == Decimal("900.00") and deal.version == 2
    assert deal.events.filter(kind="amount_changed").exists()


def test_an_edit_from_a_stale_version_shows_the_conflict_and_changes_nothing(
    page_client_for, manager, teammate
):
    deal = DealFactory(manager=manager)
    stale = _edit_data(deal, name="My new name")
    teammate.first_name, teammate.last_name = "Tess", "Mate"
    teammate.save()
    services.deal_update(actor=teammate, deal=deal, data={"expected_amount": Decimal("50")}, version=1)

    response = page_client_for(manager).post(reverse("deals:deal_edit", args=[deal.pk]), stale)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The deal was changed by Tess Mate at" in html
    assert "Reload" in html and 'value="My new name"' in html
    deal.refresh_from_db()
    assert deal.name != "My new name" and deal.expected_amount == Decimal("50") and deal.version == 2


# --- one deal -----------------------------------------------------------------------------------------------


def test_a_foreign_deal_is_404_on_every_page_and_action(page_client_for, manager, outsider):
    deal = DealFactory(manager=outsider)
    client = page_client_for(manager)

    assert client.get(reverse("deals:deal_detail", args=[deal.pk])).status_code == 404
    assert client.get(reverse("deals:deal_edit", args=[deal.pk])).status_code == 404
    for name in ("deal_move", "deal_won", "deal_lost", "deal_close", "deal_reopen", "deal_products"):
        assert client.post(reverse(f"deals:{name}", args=[deal.pk]), {"version": 1}).status_code == 404
    deal.refresh_from_db()
    assert deal.version == 1 and deal.status == DealStatus.IN_PROGRESS


@pytest.mark.parametrize("tab", ["main", "goods", "demand", "history"])
def test_every_tab_renders_as_a_page_and_as_a_fragment(page_client_for, manager, tab):
    deal = DealFactory(manager=manager)
    client = page_client_for(manager)

    page = client.get(_detail(deal, tab))
    fragment = client.get(_detail(deal, tab), HTTP_HX_REQUEST="true")

    assert page.status_code == fragment.status_code == 200
    assert "<html" in page.content.decode() and "<html" not in fragment.content.decode()
    assert 'id="deal-tabs"' in fragment.content.decode()


def test_the_process_plan_marks_the_current_stage_and_offers_the_next(page_client_for, manager):
    deal = DealFactory(manager=manager)

    html = page_client_for(manager).get(_detail(deal)).content.decode()

    assert 'class="current" aria-current="step">Primary contact' in html
    assert "Next stage: Commercial proposal" in html


def test_a_typical_sale_goes_to_the_next_stage(page_client_for, manager):
    deal = DealFactory(manager=manager)
    second = stages_of(deal.kind)[1]

    response = page_client_for(manager).post(
        reverse("deals:deal_move", args=[deal.pk]), {"stage": second.pk, "version": 1}, follow=True
    )

    deal.refresh_from_db()
    assert deal.stage == second and deal.probability == 30
    assert "The deal moved to the stage “Commercial proposal”." in _messages(response)


def test_a_skip_on_a_typical_sale_is_refused_with_the_reason(page_client_for, manager):
    deal = DealFactory(manager=manager)
    third = stages_of(deal.kind)[2]

    response = page_client_for(manager).post(
        reverse("deals:deal_move", args=[deal.pk]), {"stage": third.pk, "version": 1}, follow=True
    )

    deal.refresh_from_db()
    assert deal.stage == stages_of(deal.kind)[0] and deal.version == 1
    assert "A typical sale moves only to the next stage, “Commercial proposal”." in _messages(response)


def test_a_manual_kind_goes_to_the_selected_stage(page_client_for, manager):
    deal = DealFactory(manager=manager, kind=DealKindFactory(process_type=ProcessType.MANUAL))
    last = stages_of(deal.kind)[3]
    client = page_client_for(manager)

    assert "Go to the selected stage" in client.get(_detail(deal)).content.decode()
    client.post(reverse("deals:deal_move", args=[deal.pk]), {"stage": last.pk, "version": 1})

    deal.refresh_from_db()
    assert deal.stage == last


def test_losing_without_a_reason_shows_the_error(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("deals:deal_lost", args=[deal.pk]), {"version": 1}, follow=True
    )

    deal.refresh_from_db()
    assert deal.status == DealStatus.IN_PROGRESS
    assert "Give the reason the deal was lost." in _messages(response)


def test_losing_with_a_reason(page_client_for, manager):
    deal = DealFactory(manager=manager)
    reason = LostReasonFactory(name="Too expensive")

    page_client_for(manager).post(
        reverse("deals:deal_lost", args=[deal.pk]), {"version": 1, "lost_reason": reason.pk}
    )

    deal.refresh_from_db()
    assert deal.status == DealStatus.LOST and deal.lost_reason == reason


def test_won_close_and_reopen(page_client_for, manager):
    deal = DealFactory(manager=manager)
    client = page_client_for(manager)

    client.post(reverse("deals:deal_won", args=[deal.pk]), {"version": 1})
    deal.refresh_from_db()
    assert deal.status == DealStatus.WON and deal.probability == 100

    client.post(reverse("deals:deal_close", args=[deal.pk]), {"version": deal.version})
    deal.refresh_from_db()
    assert deal.closed and deal.actual_close_date is not None

    client.post(reverse("deals:deal_reopen", args=[deal.pk]), {"version": deal.version})
    deal.refresh_from_db()
    assert not deal.closed and deal.status == DealStatus.IN_PROGRESS
    kinds = list(DealEvent.objects.filter(deal=deal).values_list("kind", flat=True))
    assert {"status_changed", "closed", "reopened"} <= set(kinds)


def test_an_action_from_a_stale_version_is_refused_with_the_conflict(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(
        reverse("deals:deal_won", args=[deal.pk]), {"version": 7}, follow=True
    )

    deal.refresh_from_db()
    assert deal.status == DealStatus.IN_PROGRESS
    assert any("The deal was changed by" in message for message in _messages(response))


def test_goods_are_added_and_removed_and_primary_demand_recorded(page_client_for, manager):
    deal = DealFactory(manager=manager, kind=DealKindFactory(record_primary_demand=True))
    product = ProductFactory(name="Valve")
    client = page_client_for(manager)
    url = reverse("deals:deal_products", args=[deal.pk])

    client.post(url, {"version": 1, "product": product.pk, "quantity": "2", "price": "10.00"})
    assert list(deal.products.values_list("product__name", "quantity")) == [("Valve", Decimal("2.000"))]
    assert "Record primary demand" in client.get(_detail(deal, "demand")).content.decode()

    client.post(reverse("deals:deal_primary_demand", args=[deal.pk]), {"version": 2})
    assert deal.primary_demand.count() == 1

    client.post(url, {"version": 3, "remove": deal.products.get().pk})
    assert not deal.products.exists()
    html = client.get(_detail(deal, "demand")).content.decode()
    assert "Valve" in html and "Record primary demand" not in html


def test_the_history_tab_shows_the_timeline(page_client_for, manager):
    deal = DealFactory(manager=manager)
    services.deal_move_to_stage(actor=manager, deal=deal, stage=stages_of(deal.kind)[1], version=1)

    html = page_client_for(manager).get(_detail(deal, "history")).content.decode()

    assert "Stage changed" in html and "Primary contact" in html and "Commercial proposal" in html


def test_a_role_without_deal_writes_gets_403_on_the_form(page_client_for, marketer):
    assert page_client_for(marketer).get(reverse("deals:deal_create")).status_code == 403


def test_the_forms_render(page_client_for, manager):
    deal = DealFactory(manager=manager, description="Notes")
    client = page_client_for(manager)

    assert client.get(reverse("deals:deal_create")).status_code == 200
    html = client.get(reverse("deals:deal_edit", args=[deal.pk])).content.decode()
    assert 'name="version"' in html and 'value="1"' in html and 'name="kind"' not in html
