"""Settings pages of deal kinds, stages and lost reasons: everyone reads, administrators change."""

import pytest
from django.urls import reverse

from sdelka.deals.models import DealKind, LostReason, Stage
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory

pytestmark = pytest.mark.django_db


def test_everyone_sees_the_kinds_but_only_an_admin_gets_the_buttons(manager, admin_user, page_client_for):
    kind = DealKindFactory(name="Project sale")
    LostReasonFactory(name="Too expensive")
    page = page_client_for(manager).get(reverse("deal_kinds:kind_list")).content.decode()
    assert "Project sale" in page and "Too expensive" in page
    assert reverse("deal_kinds:kind_create") not in page
    admin_page = page_client_for(admin_user).get(reverse("deal_kinds:kind_list")).content.decode()
    assert reverse("deal_kinds:kind_create") in admin_page
    detail = page_client_for(manager).get(reverse("deal_kinds:kind_detail", args=[kind.pk]))
    assert detail.status_code == 200 and "Primary contact" in detail.content.decode()


def test_a_manager_cannot_change_kinds_stages_or_reasons(manager, page_client_for):
    kind = DealKindFactory()
    stage = kind.stages.first()
    reason = LostReasonFactory()
    client = page_client_for(manager)
    assert (
        client.post(reverse("deal_kinds:kind_create"), {"name": "X", "process_type": "manual"}).status_code
        == 403
    )
    assert client.post(reverse("deal_kinds:stage_add", args=[kind.pk]), {"new-name": "Y"}).status_code == 403
    url = reverse("deal_kinds:stage_delete", args=[kind.pk, stage.pk])
    assert client.post(url).status_code == 403
    assert client.post(reverse("deal_kinds:reason_delete", args=[reason.pk])).status_code == 403
    assert Stage.objects.filter(pk=stage.pk).exists() and LostReason.objects.filter(pk=reason.pk).exists()


def test_admin_creates_a_kind_and_its_stages(admin_user, page_client_for):
    client = page_client_for(admin_user)
    response = client.post(
        reverse("deal_kinds:kind_create"),
        {"name": "Tender", "process_type": "typical", "active": "on", "record_primary_demand": "on"},
    )
    kind = DealKind.objects.get(name="Tender")
    assert response.status_code == 302 and kind.record_primary_demand
    client.post(
        reverse("deal_kinds:stage_add", args=[kind.pk]), {"new-name": "Application", "new-probability": "20"}
    )
    client.post(
        reverse("deal_kinds:stage_add", args=[kind.pk]), {"new-name": "Auction", "new-probability": "50"}
    )
    assert [(s.name, s.order, s.probability) for s in kind.stages.order_by("order")] == [
        ("Application", 1, 20),
        ("Auction", 2, 50),
    ]
    auction = kind.stages.get(name="Auction")
    client.post(
        reverse("deal_kinds:stage_edit", args=[kind.pk, auction.pk]),
        {
            f"stage-{auction.pk}-name": "E-auction",
            f"stage-{auction.pk}-order": "2",
            f"stage-{auction.pk}-probability": "55",
        },
    )
    auction.refresh_from_db()
    assert (auction.name, auction.probability) == ("E-auction", 55)


def test_bad_input_is_refused_with_a_message(admin_user, page_client_for):
    kind = DealKindFactory()
    stage = kind.stages.first()
    client = page_client_for(admin_user)
    response = client.post(reverse("deal_kinds:kind_create"), {"name": "", "process_type": "typical"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(
        reverse("deal_kinds:stage_edit", args=[kind.pk, stage.pk]),
        {f"stage-{stage.pk}-name": "X", f"stage-{stage.pk}-probability": "150"},
        follow=True,
    )
    assert "not saved" in response.content.decode()
    stage.refresh_from_db()
    assert stage.probability != 150


def test_a_stage_in_use_is_not_deleted_and_the_page_says_why(admin_user, page_client_for):
    deal = DealFactory()
    stage = deal.stage
    response = page_client_for(admin_user).post(
        reverse("deal_kinds:stage_delete", args=[stage.kind_id, stage.pk]), follow=True
    )
    assert "cannot be deleted" in response.content.decode()
    assert Stage.objects.filter(pk=stage.pk).exists()


def test_process_type_of_a_kind_with_deals_cannot_change(admin_user, page_client_for):
    deal = DealFactory()
    kind = deal.kind
    response = page_client_for(admin_user).post(
        reverse("deal_kinds:kind_edit", args=[kind.pk]),
        {"name": kind.name, "process_type": "manual", "active": "on"},
    )
    assert response.status_code == 200 and "cannot change" in response.content.decode()
    kind.refresh_from_db()
    assert kind.process_type == "typical"


def test_lost_reasons_are_added_and_a_used_one_is_kept(admin_user, page_client_for):
    client = page_client_for(admin_user)
    client.post(reverse("deal_kinds:reason_create"), {"name": "No budget", "active": "on"})
    assert LostReason.objects.filter(name="No budget", active=True).exists()
    reason = LostReasonFactory()
    DealFactory(status="lost", lost_reason=reason)
    response = client.post(reverse("deal_kinds:reason_delete", args=[reason.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert LostReason.objects.filter(pk=reason.pk).exists()


def test_the_list_takes_a_fixed_number_of_queries(manager, page_client_for, django_assert_max_num_queries):
    for _ in range(5):
        DealKindFactory()
    client = page_client_for(manager)
    client.get(reverse("deal_kinds:kind_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("deal_kinds:kind_list"))
