"""The deal kinds, stages and lost reasons API."""

import pytest

from sdelka.deals.tests.factories import DealFactory, DealKindFactory

pytestmark = pytest.mark.django_db


def test_a_kind_lists_its_stages_in_order(manager, api_client_for):
    kind = DealKindFactory()

    body = api_client_for(manager).get(f"/api/v1/deal-kinds/{kind.pk}/").json()

    assert [(s["order"], s["probability"]) for s in body["stages"]] == [(1, 10), (2, 30), (3, 60), (4, 90)]


def test_an_admin_adds_a_stage_at_the_end(admin_user, api_client_for):
    kind = DealKindFactory()

    response = api_client_for(admin_user).post(
        "/api/v1/deal-stages/", {"kind": kind.pk, "name": "Payment", "probability": 95}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["order"] == 5


def test_deleting_a_stage_in_use_is_400_with_the_reason(admin_user, api_client_for):
    deal = DealFactory()

    response = api_client_for(admin_user).delete(f"/api/v1/deal-stages/{deal.stage_id}/")

    assert response.status_code == 400
    assert "cannot be deleted" in response.json()["non_field_errors"][0]


def test_a_manager_cannot_add_stages(manager, api_client_for):
    response = api_client_for(manager).post(
        "/api/v1/deal-stages/", {"kind": DealKindFactory().pk, "name": "X"}, format="json"
    )

    assert response.status_code == 403


def test_a_taken_order_is_400(admin_user, api_client_for):
    kind = DealKindFactory()

    response = api_client_for(admin_user).post(
        "/api/v1/deal-stages/", {"kind": kind.pk, "name": "Twin", "order": 2}, format="json"
    )

    assert response.status_code == 400
