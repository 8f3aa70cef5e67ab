"""Actions done in place on the deal card's tabs: environment, expenses, goods; errors, conflicts, permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.deals import services
from sdelka.deals.models import DealParticipant
from sdelka.deals.tests.factories import DealFactory
from sdelka.documents import services as document_services
from sdelka.documents.models import DealExpense
from sdelka.documents.tests.factories import deal_with_goods
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name, deal, *args):
    return reverse(f"deals:{name}", args=[deal.pk, *args])


def _expense(deal, user, amount="10.00"):
    return document_services.expense_create(
        actor=user,
        data={"deal": deal, "date": deal.start_date, "kind": "delivery", "amount": Decimal(amount)},
    )


# --- environment ----------------------------------------------------------------------------------------------


def test_a_participant_is_added_in_place(page_client_for, manager):
    deal = DealFactory(manager=manager)
    agent = PartnerFactory(manager=manager, name="Agent Ltd")

    response = page_client_for(manager).post(
        _url("deal_participant_add", deal), {"partner": agent.pk, "role": " Agent "}, **HTMX
    )

    assert response.status_code == 200
    assert list(deal.participants.values_list("partner__name", "role")) == [("Agent Ltd", "Agent")]
    html = response.content.decode()
    assert 'id="deal-tabs"' in html and "<html" not in html
    assert "Agent Ltd takes part in the deal." in html


def test_a_participant_without_a_partner_is_refused_beside_the_field(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(_url("deal_participant_add", deal), {"role": "Agent"}, **HTMX)

    assert response.status_code == 400
    assert response.context["participant_form"].errors["partner"] == ["This field is required."]
    assert 'id="field-partner"' in response.content.decode() and "has-error" in response.content.decode()
    assert not deal.participants.exists()


def test_a_partner_the_user_does_not_see_cannot_be_added(page_client_for, manager, outsider):
    deal = DealFactory(manager=manager)
    hidden = PartnerFactory(manager=outsider)

    response = page_client_for(manager).post(
        _url("deal_participant_add", deal), {"partner": hidden.pk}, **HTMX
    )

    assert response.status_code == 400 and "partner" in response.context["participant_form"].errors
    assert not deal.participants.exists()


def test_a_service_refusal_is_shown_beside_the_partner(page_client_for, manager, monkeypatch):
    deal = DealFactory(manager=manager)
    agent = PartnerFactory(manager=manager)
    DealParticipant.objects.create(deal=deal, partner=agent)
    # The form no longer offers a partner taking part; the service's own check must still reach the field.
    from sdelka.deals import forms

    monkeypatch.setattr(forms.ParticipantForm, "__init__", _offer_every_partner)

    response = page_client_for(manager).post(
        _url("deal_participant_add", deal), {"partner": agent.pk}, **HTMX
    )

    assert response.status_code == 400
    assert response.context["participant_form"].errors["partner"] == [
        f"{agent} already takes part in this deal."
    ]
    assert deal.participants.count() == 1


def _offer_every_partner(self, *args, actor, deal, **kwargs):
    from django import forms as django_forms

    from sdelka.partners.models import Partner

    django_forms.Form.__init__(self, *args, **kwargs)
    self.fields["partner"].queryset = Partner.objects.all()


def test_a_participant_is_removed(page_client_for, manager):
    deal = DealFactory(manager=manager)
    participant = DealParticipant.objects.create(deal=deal, partner=PartnerFactory(name="Gone Ltd"))

    response = page_client_for(manager).post(_url("deal_participant_remove", deal, participant.pk), **HTMX)

    assert response.status_code == 200 and not deal.participants.exists()
    assert "Gone Ltd no longer takes part in the deal." in response.content.decode()


def test_a_participant_of_another_deal_is_404(page_client_for, manager):
    deal = DealFactory(manager=manager)
    other = DealParticipant.objects.create(deal=DealFactory(manager=manager), partner=PartnerFactory())

    response = page_client_for(manager).post(_url("deal_participant_remove", deal, other.pk))

    assert response.status_code == 404 and DealParticipant.objects.filter(pk=other.pk).exists()


def test_without_htmx_an_add_redirects_back_to_the_tab(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(
        _url("deal_participant_add", deal), {"partner": PartnerFactory(manager=manager).pk}
    )

    assert response.status_code == 302 and response.url.endswith("?tab=participants")


# --- expenses -------------------------------------------------------------------------------------------------


def test_an_expense_is_added_in_place_dated_today_by_default(page_client_for, manager):
    deal = DealFactory(manager=manager)
    client = page_client_for(manager)
    form = client.get(f"{reverse('deals:deal_detail', args=[deal.pk])}?tab=expenses").context["expense_form"]

    response = client.post(
        _url("deal_expense_add", deal),
        {
            "date": form["date"].value().isoformat(),
            "kind": "delivery",
            "amount": "1 500.50",
            "comment": "Truck",
        },
        **HTMX,
    )

    assert response.status_code == 200
    expense = DealExpense.objects.get(deal=deal)
    assert (expense.date, expense.amount, expense.comment, expense.created_by) == (
        deal.start_date,
        Decimal("1500.50"),
        "Truck",
        manager,
    )
    assert "1,500.50 RUB" in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Ensure this value is greater than or equal to 0.01."),
        ("-5", "Ensure this value is greater than or equal to 0.01."),
        ("abc", "Enter a number."),
        ("", "This field is required."),
    ],
)
def test_a_bad_expense_amount_is_refused_beside_the_field_and_nothing_is_stored(
    page_client_for, manager, amount, message
):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(
        _url("deal_expense_add", deal), {"date": "2026-03-01", "kind": "delivery", "amount": amount}, **HTMX
    )

    assert response.status_code == 400
    assert response.context["expense_form"].errors["amount"] == [message]
    assert message in response.content.decode()
    assert not DealExpense.objects.exists()


def test_an_expense_is_deleted_in_place(page_client_for, manager):
    deal = DealFactory(manager=manager)
    expense = _expense(deal, manager)

    response = page_client_for(manager).post(_url("deal_expense_delete", deal, expense.pk), **HTMX)

    assert response.status_code == 200 and not DealExpense.objects.exists()


def test_an_expense_of_another_deal_is_404(page_client_for, manager):
    deal = DealFactory(manager=manager)
    other = _expense(DealFactory(manager=manager), manager)

    assert page_client_for(manager).post(_url("deal_expense_delete", deal, other.pk)).status_code == 404
    assert DealExpense.objects.filter(pk=other.pk).exists()


# --- goods of interest ----------------------------------------------------------------------------------------


def test_a_line_is_added_in_place(page_client_for, manager):
    deal = DealFactory(manager=manager)
    product = ProductFactory(name="Valve")

    response = page_client_for(manager).post(
        _url("deal_products", deal),
        {"version": 1, "product": product.pk, "quantity": "2", "price": "10.00"},
        **HTMX,
    )

    assert response.status_code == 200
    assert list(deal.products.values_list("product__name", "quantity", "price")) == [
        ("Valve", Decimal("2.000"), Decimal("10.00"))
    ]
    html = response.content.decode()
    assert "Valve" in html and 'name="version" value="2"' in html


def test_a_line_changes_its_quantity_and_price_in_place(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    first, second = deal.products.order_by("id")

    response = page_client_for(manager).post(
        _url("deal_products", deal),
        {"version": 1, "line": first.pk, "quantity": "5", "price": "90.00"},
        **HTMX,
    )

    assert response.status_code == 200
    lines = list(deal.products.order_by("id").values_list("product_id", "quantity", "price"))
    assert lines == [
        (first.product_id, Decimal("5.000"), Decimal("90.00")),
        (second.product_id, second.quantity, second.price),
    ]
    assert "The line is saved." in response.content.decode()


def test_a_line_with_a_bad_quantity_shows_the_error_in_its_row_and_changes_nothing(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    first = deal.products.order_by("id").first()

    response = page_client_for(manager).post(
        _url("deal_products", deal), {"version": 1, "line": first.pk, "quantity": "-1", "price": "90"}, **HTMX
    )

    assert response.status_code == 400
    row = next(row for row in response.context["goods_rows"] if row["line"].pk == first.pk)
    assert row["form"].errors["quantity"] == ["Ensure this value is greater than or equal to 0."]
    deal.refresh_from_db()
    assert deal.version == 1 and deal.products.get(pk=first.pk).quantity == Decimal("2.000")


def test_a_zero_quantity_is_refused_by_the_service_with_its_message(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    first = deal.products.order_by("id").first()

    response = page_client_for(manager).post(
        _url("deal_products", deal), {"version": 1, "line": first.pk, "quantity": "0", "price": "90"}, **HTMX
    )

    assert response.status_code == 400
    assert "Line 1:" in response.content.decode()
    deal.refresh_from_db()
    assert deal.version == 1


def test_a_new_line_without_a_product_is_refused_beside_the_field(page_client_for, manager):
    deal = DealFactory(manager=manager)

    response = page_client_for(manager).post(
        _url("deal_products", deal), {"version": 1, "quantity": "1", "price": "1"}, **HTMX
    )

    assert response.status_code == 400
    assert response.context["line_form"].errors["product"] == ["This field is required."]
    assert not deal.products.exists()


def test_a_line_is_removed_in_place(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    first = deal.products.order_by("id").first()

    response = page_client_for(manager).post(
        _url("deal_products", deal), {"version": 1, "remove": first.pk}, **HTMX
    )

    assert response.status_code == 200 and deal.products.count() == 1
    assert not deal.products.filter(pk=first.pk).exists()


def test_a_change_from_a_stale_version_shows_the_conflict_with_a_reload_link(
    page_client_for, manager, teammate
):
    deal = deal_with_goods(manager=manager)
    first = deal.products.order_by("id").first()
    teammate.first_name, teammate.last_name = "Tess", "Mate"
    teammate.save()
    services.deal_update(actor=teammate, deal=deal, data={"expected_amount": Decimal("5")}, version=1)

    response = page_client_for(manager).post(
        _url("deal_products", deal), {"version": 1, "line": first.pk, "quantity": "9", "price": "1"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "The deal was changed by Tess Mate at" in html and "Your changes were not saved." in html
    assert f'hx-get="{reverse("deals:deal_detail", args=[deal.pk])}?tab=goods">Reload</a>' in html
    assert deal.products.get(pk=first.pk).quantity == Decimal("2.000")


def test_a_line_of_another_deal_is_404(page_client_for, manager):
    deal = deal_with_goods(manager=manager)
    other = deal_with_goods(manager=manager).products.first()

    response = page_client_for(manager).post(
        _url("deal_products", deal), {"version": 1, "line": other.pk, "quantity": "1", "price": "1"}
    )

    assert response.status_code == 404


# --- permissions ----------------------------------------------------------------------------------------------

ACTIONS = ("deal_participant_add", "deal_expense_add", "deal_products")


def test_an_outsider_gets_404_on_every_action_and_nothing_changes(page_client_for, manager, outsider):
    deal = deal_with_goods(manager=manager)
    participant = DealParticipant.objects.create(deal=deal, partner=PartnerFactory())
    expense = _expense(deal, manager)
    client = page_client_for(outsider)
    data = {"version": 1, "partner": PartnerFactory(manager=outsider).pk, "kind": "delivery", "amount": "1"}

    for name in ACTIONS:
        assert client.post(_url(name, deal), data).status_code == 404
    assert client.post(_url("deal_participant_remove", deal, participant.pk)).status_code == 404
    assert client.post(_url("deal_expense_delete", deal, expense.pk)).status_code == 404
    assert deal.participants.count() == 1 and DealExpense.objects.count() == 1 and deal.products.count() == 2


def test_a_marketer_is_refused_every_action(page_client_for, marketer, admin_user):
    deal = deal_with_goods(manager=admin_user)
    participant = DealParticipant.objects.create(deal=deal, partner=PartnerFactory())
    expense = _expense(deal, admin_user)
    client = page_client_for(marketer)
    data = {"version": 1, "partner": PartnerFactory().pk, "kind": "delivery", "amount": "1", "remove": "1"}

    for name in ACTIONS:
        assert client.post(_url(name, deal), data).status_code == 403
    assert client.post(_url("deal_participant_remove", deal, participant.pk)).status_code == 403
    assert client.post(_url("deal_expense_delete", deal, expense.pk)).status_code == 403
    assert deal.participants.count() == 1 and DealExpense.objects.count() == 1 and deal.products.count() == 2


@pytest.mark.parametrize("name", ACTIONS)
def test_the_actions_answer_only_post(page_client_for, manager, name):
    deal = DealFactory(manager=manager)

    assert page_client_for(manager).get(_url(name, deal)).status_code == 405
