"""Writes of the deal kinds, their stages and the lost reasons: catalogs administrators keep.

A kind's process type is fixed once it has deals; a stage or reason some deal uses is never deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.deals.choices import ProcessType
from sdelka.deals.models import DealKind, LostReason, Stage

DEAL_KIND_FIELDS = ("name", "process_type", "separate_goods_accounting", "record_primary_demand", "active")
STAGE_FIELDS = ("kind", "name", "order", "probability")
LOST_REASON_FIELDS = ("name", "active")


@transaction.atomic
def deal_kind_create(*, actor, data: dict) -> DealKind:
    ensure_role_can(actor, "add", "deal_kind")
    kind = DealKind()
    model_assign(kind, data, DEAL_KIND_FIELDS)
    validate_and_save(kind, actor=actor)
    return kind


@transaction.atomic
def deal_kind_update(*, actor, kind: DealKind, data: dict) -> DealKind:
    """The process type is fixed once deals of the kind exist: their stages and timeline depend on it."""
    ensure_role_can(actor, "change", "deal_kind")
    changed = model_assign(kind, data, DEAL_KIND_FIELDS)
    if "process_type" in changed:
        if kind.deals.exists():
            raise ValidationError({"process_type": _("The process type cannot change: the kind has deals.")})
        if kind.process_type == ProcessType.NON_PROCESS and kind.stages.exists():
            raise ValidationError(
                {"process_type": _("A kind without stages cannot keep stages: delete them first.")}
            )
    if changed:
        validate_and_save(kind, actor=actor)
    return kind


@transaction.atomic
def deal_kind_delete(*, actor, kind: DealKind) -> None:
    ensure_role_can(actor, "delete", "deal_kind")
    kind._history_user = actor
    try:
        kind.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The deal kind has deals and cannot be deleted; make it inactive instead.")
        ) from error


@transaction.atomic
def stage_create(*, actor, data: dict) -> Stage:
    """A new stage of a kind with stages; without an ``order`` it goes last."""
    ensure_role_can(actor, "change", "deal_kind")
    stage = Stage()
    model_assign(stage, data, STAGE_FIELDS)
    if stage.kind_id and not stage.kind.has_stages:
        raise ValidationError(
            {"kind": _("Deals of the kind “%(kind)s” have no stages.") % {"kind": stage.kind}}
        )
    if stage.order is None and stage.kind_id:
        last = stage.kind.stages.order_by("-order").values_list("order", flat=True).first()
        stage.order = (last or 0) + 1
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def stage_update(*, actor, stage: Stage, data: dict) -> Stage:
    ensure_role_can(actor, "change", "deal_kind")
    data = dict(data)
    if "kind" in data:
        given = data.pop("kind")
        if (given.pk if given else None) != stage.kind_id:
            raise ValidationError({"kind": _("A stage cannot move to another deal kind.")})
    if model_assign(stage, data, STAGE_FIELDS):
        stage.full_clean()
        stage.save()
    return stage


@transaction.atomic
def stage_delete(*, actor, stage: Stage) -> None:
    """A stage some deal is at, or was at (its timeline refers to it), cannot be deleted."""
    ensure_role_can(actor, "change", "deal_kind")
    in_use = stage.deals.count()
    if in_use:
        raise ValidationError(
            _("The stage “%(stage)s” is the current stage of %(count)d deal(s) and cannot be deleted.")
            % {"stage": stage, "count": in_use}
        )
    try:
        stage.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The stage “%(stage)s” is in the history of deals and cannot be deleted.") % {"stage": stage}
        ) from error


@transaction.atomic
def lost_reason_create(*, actor, data: dict) -> LostReason:
    ensure_role_can(actor, "add", "lost_reason")
    reason = LostReason()
    model_assign(reason, data, LOST_REASON_FIELDS)
    reason.full_clean()
    reason.save()
    return reason


@transaction.atomic
def lost_reason_update(*, actor, reason: LostReason, data: dict) -> LostReason:
    ensure_role_can(actor, "change", "lost_reason")
    if model_assign(reason, data, LOST_REASON_FIELDS):
        reason.full_clean()
        reason.save()
    return reason


@transaction.atomic
def lost_reason_delete(*, actor, reason: LostReason) -> None:
    ensure_role_can(actor, "delete", "lost_reason")
    try:
        reason.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The lost reason is used by deals and cannot be deleted; make it inactive instead.")
        ) from error
