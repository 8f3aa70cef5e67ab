"""Administrators keep the deal kinds, their stages and the lost reasons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sdelka.deals.choices import ProcessType
from sdelka.deals.services import (
    deal_kind_create,
    deal_kind_delete,
    deal_kind_update,
    deal_mark_lost,
    lost_reason_delete,
    stage_create,
    stage_delete,
)
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of

pytestmark = pytest.mark.django_db


def test_an_admin_creates_a_kind_and_its_stages(admin_user):
    kind = deal_kind_create(actor=admin_user, data={"name": "Tender", "process_type": ProcessType.MANUAL})

    stage_create(actor=admin_user, data={"kind": kind, "name": "Bid", "probability": 20})
    stage_create(actor=admin_user, data={"kind": kind, "name": "Award", "probability": 80})

    assert [(s.name, s.order) for s in stages_of(kind)] == [("Bid", 1), ("Award", 2)]


def test_a_manager_cannot_create_kinds(manager):
    with pytest.raises(PermissionDenied):
        deal_kind_create(actor=manager, data={"name": "Mine"})


def test_a_non_process_kind_gets_no_stages(admin_user):
    kind = DealKindFactory(process_type=ProcessType.NON_PROCESS)

    with pytest.raises(ValidationError):
        stage_create(actor=admin_user, data={"kind": kind, "name": "Bid"})


def test_a_probability_above_100_is_refused(admin_user):
    with pytest.raises(ValidationError):
        stage_create(actor=admin_user, data={"kind": DealKindFactory(), "name": "Bid", "probability": 101})


def test_a_stage_in_use_cannot_be_deleted(admin_user):
    deal = DealFactory()

    with pytest.raises(ValidationError, match="current stage of 1 deal"):
        stage_delete(actor=admin_user, stage=deal.stage)

    assert deal.kind.stages.filter(pk=deal.stage_id).exists()


def test_an_unused_stage_is_deleted(admin_user):
    kind = DealKindFactory()
    last = stages_of(kind)[-1]

    stage_delete(actor=admin_user, stage=last)

    assert len(stages_of(kind)) == 3


def test_a_kind_with_deals_keeps_its_process_type_and_is_not_deleted(admin_user):
    deal = DealFactory()

    with pytest.raises(ValidationError):
        deal_kind_update(actor=admin_user, kind=deal.kind, data={"process_type": ProcessType.MANUAL})
    with pytest.raises(ValidationError):
        deal_kind_delete(actor=admin_user, kind=deal.kind)


def test_a_used_lost_reason_is_not_deleted(admin_user):
    deal = DealFactory()
    reason = LostReasonFactory()
    deal_mark_lost(actor=None, deal=deal, version=deal.version, lost_reason=reason)

    with pytest.raises(ValidationError):
        lost_reason_delete(actor=admin_user, reason=reason)
