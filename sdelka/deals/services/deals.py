"""Writes of deals: create, change, move through stages, win, lose, close, reopen, goods of interest.

Every deal write takes the ``version`` the caller last read. The deal row is locked (``select_for_update``)
and its version compared inside the transaction, so of two writes made from the same version exactly one
succeeds and the other raises ``DealVersionConflict`` — nothing is overwritten. Each change of stage,
status, manager, amount or the closed flag writes one ``DealEvent``; every save leaves a history row.
A refused action raises ``ValidationError`` with the reason, inside the transaction, so nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.models import (
    Deal,
    DealEvent,
    DealKind,
    DealNumberCounter,
    DealProduct,
    LostReason,
    PrimaryDemandLine,
    Stage,
)
from sdelka.marketing import interest
from sdelka.marketing.services import primary_interest_from_data, primary_interest_of
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_list

DEAL_CREATE_FIELDS = (
    "name",
    "partner",
    "counterparty",
    "contract",
    "kind",
    "manager",
    "expected_amount",
    "currency",
    "start_date",
    "planned_close_date",
    "description",
    *interest.ALL_FIELDS,
)
# The kind is fixed once a deal exists: its stages and events only make sense within that kind.
DEAL_UPDATE_FIELDS = tuple(name for name in DEAL_CREATE_FIELDS if name != "kind")


@dataclass
class DealVersionConflict(Exception):
    """The deal changed since the caller read it (``expected`` is the version they had)."""

    deal_id: int
    expected: int | None
    version: int
    changed_by: str
    changed_at: datetime | None

    def __str__(self) -> str:
        return _("The deal was changed by %(user)s meanwhile; reload it and repeat your change.") % {
            "user": self.changed_by
        }


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else _("system")


def _lock(deal: Deal, version: int | None) -> Deal:
    """The deal's row, locked until the transaction ends; refused when it is not at ``version``."""
    locked = Deal.objects.select_for_update(of=("self",)).select_related("kind", "stage").get(pk=deal.pk)
    if version is None or locked.version != version:
        last = locked.history.select_related("history_user").order_by("-history_date", "-history_id").first()
        raise DealVersionConflict(
            deal_id=locked.pk,
            expected=version,
            version=locked.version,
            changed_by=_user_name(last.history_user if last else None),
            changed_at=last.history_date if last else None,
        )
    return locked


def _save(deal: Deal, *, actor) -> None:
    deal.version += 1
    validate_and_save(deal, actor=actor)


def _event(deal: Deal, *, actor, kind: str, at: datetime, **values) -> DealEvent:
    return DealEvent.objects.create(
        deal=deal, at=at, user=actor if isinstance(actor, User) else None, kind=kind, **values
    )


def _next_number(year: int) -> str:
    """ "2026-000123": the sequence restarts every year, as 1C numbers documents."""
    DealNumberCounter.objects.get_or_create(year=year)
    # The UPDATE locks the year's row, so concurrent creations take turns and never share a number.
    DealNumberCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = DealNumberCounter.objects.get(year=year).last
    return f"{year}-{last:06d}"


def _ensure_manager_assignable(actor, manager: User | None) -> None:
    """A manager may make only themself responsible; a head anyone of the team; an admin anyone."""
    if manager is None:
        return
    if not manager.is_active:
        raise ValidationError(
            {"manager": _("%(user)s is deactivated and cannot be responsible.") % {"user": manager}}
        )
    covered = covered_user_ids(actor) if isinstance(actor, User) else None
    if covered is not None and not covered.filter(pk=manager.pk).exists():
        raise ValidationError(
            {
                "manager": _("You cannot make %(user)s responsible: they are outside your team.")
                % {"user": manager}
            }
        )


def _check_relations(actor, deal: Deal, *, contacts, collaborators, new_partner: bool = True) -> None:
    """A new client must be one the actor sees; counterparty and contacts must be the client's own.

    A collaborator may not see the client of a deal they take part in, so an unchanged client is not checked.
    """
    errors: dict[str, str] = {}
    if deal.partner_id:
        check_scope = new_partner and isinstance(actor, User)
        if check_scope and not partner_list(user=actor).filter(pk=deal.partner_id).exists():
            errors["partner"] = _("Partner not found.")
        elif not deal.partner.is_client:
            errors["partner"] = _("This partner is not marked as a client.")
        if deal.counterparty_id and deal.counterparty.partner_id != deal.partner_id:
            errors["counterparty"] = _("The counterparty belongs to another partner.")
        if contacts is not None and any(contact.partner_id != deal.partner_id for contact in contacts):
            errors["contacts"] = _("A contact person belongs to another partner.")
    if collaborators is not None and any(not user.is_active for user in collaborators):
        errors["collaborators"] = _("A deactivated user cannot take part in a deal.")
    if deal.competitor_id and not deal.competitor.is_competitor:
        errors["competitor"] = _("This partner is not marked as a competitor.")
    if errors:
        raise ValidationError(errors)


def _ensure_in_progress(deal: Deal) -> None:
    if deal.closed:
        raise ValidationError(_("The deal is closed; reopen it first."))
    if deal.status != DealStatus.IN_PROGRESS:
        raise ValidationError(
            _("The deal is %(status)s already; reopen it first.")
            % {"status": deal.get_status_display().lower()}
        )


def _assign_probability(deal: Deal, probability: int | None) -> list[str]:
    """A number is kept by hand from now on; None makes the probability follow the stage again."""
    before = (deal.probability, deal.probability_manual)
    if probability is None:
        deal.probability_manual = False
        deal.probability = deal.stage.probability if deal.stage else deal.probability
    else:
        deal.probability, deal.probability_manual = probability, True
    return ["probability"] if (deal.probability, deal.probability_manual) != before else []


def _process_step(deal: Deal, *, actor, event: str) -> None:
    """Let the deal's business process react (a typical sale's stage tasks), in the same transaction.

    Imported here, not at the top: the activities app depends on deals, not the other way round.
    """
    from sdelka.activities.process import on_deal_changed

    on_deal_changed(deal, actor=actor, event=event)


def _first_stage(kind: DealKind) -> Stage | None:
    return kind.stages.order_by("order", "id").first()


# --- deals ---------------------------------------------------------------------------------------------


@transaction.atomic
def deal_create(*, actor, data: dict) -> Deal:
    """A new deal in progress; a deal of a kind with stages starts at its first stage.

    The manager is the actor unless given; probability comes from the stage unless given.
    """
    ensure_role_can(actor, "add", "deal")
    data = dict(data)
    contacts = data.pop("contacts", None)
    collaborators = data.pop("collaborators", None)
    probability = data.pop("probability", None)
    deal = Deal(start_date=timezone.localdate())
    data.update(primary_interest_from_data(deal, data, actor=actor))
    model_assign(deal, data, DEAL_CREATE_FIELDS)
    if deal.primary_interest_channel_id is None and deal.partner_id:
        # The client's first interest is the deal's too unless the deal names its own.
        model_assign(deal, primary_interest_of(deal.partner), interest.ALL_FIELDS)
    if deal.manager_id is None and isinstance(actor, User):
        deal.manager = actor
    if deal.kind_id:
        kind = deal.kind
        if not kind.active:
            raise ValidationError({"kind": _("The deal kind “%(kind)s” is not in use.") % {"kind": kind}})
        if kind.has_stages:
            deal.stage = _first_stage(kind)
            if deal.stage is None:
                raise ValidationError(
                    {"kind": _("The deal kind “%(kind)s” has no stages yet.") % {"kind": kind}}
                )
    if probability is not None:
        deal.probability, deal.probability_manual = probability, True
    else:
        deal.probability = deal.stage.probability if deal.stage else 0
    _check_relations(actor, deal, contacts=contacts, collaborators=collaborators)
    _ensure_manager_assignable(actor, deal.manager)
    deal.number = _next_number(timezone.localdate().year)
    validate_and_save(deal, actor=actor)
    if contacts:
        deal.contacts.set(contacts)
    if collaborators:
        deal.collaborators.set(collaborators)
    _event(
        deal,
        actor=actor,
        kind=DealEventKind.CREATED,
        at=timezone.now(),
        to_stage=deal.stage,
        to_status=deal.status,
        to_value=str(deal.expected_amount),
    )
    _process_step(deal, actor=actor, event="created")
    return deal


@transaction.atomic
def deal_update(*, actor, deal: Deal, data: dict, version: int | None) -> Deal:
    """Change the deal's fields. Stage, status and the closed flag change only by their own actions.

    ``probability`` set to a number is kept by hand from then on; set to None it follows the stage again.
    """
    ensure_role_can(actor, "change", "deal")
    data = dict(data)
    if "kind" in data:
        given = data.pop("kind")
        if (given.pk if given else None) != deal.kind_id:
            raise ValidationError({"kind": _("The kind of an existing deal cannot be changed.")})
    locked = _lock(deal, version)
    contacts = data.pop("contacts", None)
    collaborators = data.pop("collaborators", None)
    has_probability, probability = "probability" in data, data.pop("probability", None)
    old_manager, old_amount = locked.manager, locked.expected_amount
    data.update(primary_interest_from_data(locked, data, actor=actor))
    changed = model_assign(locked, data, DEAL_UPDATE_FIELDS)
    if has_probability:
        changed += _assign_probability(locked, probability)
    current_contacts = list(locked.contacts.all())
    # A new client with the old contacts kept must still own them.
    contacts_to_check = current_contacts if contacts is None and "partner" in changed else contacts
    if "manager" in changed:
        _ensure_manager_assignable(actor, locked.manager)
    _check_relations(
        actor,
        locked,
        contacts=contacts_to_check,
        collaborators=collaborators,
        new_partner="partner" in changed,
    )
    contacts_changed = contacts is not None and {c.pk for c in contacts} != {c.pk for c in current_contacts}
    collaborators_changed = collaborators is not None and {u.pk for u in collaborators} != set(
        locked.collaborators.values_list("pk", flat=True)
    )
    if not (changed or contacts_changed or collaborators_changed):
        return locked
    _save(locked, actor=actor)
    if contacts_changed:
        locked.contacts.set(contacts)
    if collaborators_changed:
        locked.collaborators.set(collaborators)
    now = timezone.now()
    if "manager" in changed:
        _event(
            locked,
            actor=actor,
            kind=DealEventKind.MANAGER_CHANGED,
            at=now,
            from_value=_user_name(old_manager),
            to_value=_user_name(locked.manager),
        )
        _process_step(locked, actor=actor, event="manager_changed")
    if "expected_amount" in changed:
        _event(
            locked,
            actor=actor,
            kind=DealEventKind.AMOUNT_CHANGED,
            at=now,
            from_value=str(old_amount),
            to_value=str(locked.expected_amount),
        )
    return locked


@transaction.atomic
def deal_move_to_stage(*, actor, deal: Deal, stage: Stage, version: int | None) -> Deal:
    """Move the deal to ``stage`` of its own kind, as the kind's process allows.

    Manual stages: any other stage, forward or back. Typical sale: only the next stage (no skipping, no
    going back). Non-process kinds have no stages. A closed, won or lost deal does not move.
    """
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    _ensure_in_progress(locked)
    kind = locked.kind
    if not kind.has_stages:
        raise ValidationError(_("Deals of the kind “%(kind)s” have no stages.") % {"kind": kind})
    if stage.kind_id != kind.pk:
        raise ValidationError({"stage": _("The stage belongs to another deal kind.")})
    if stage.pk == locked.stage_id:
        raise ValidationError({"stage": _("The deal is at this stage already.")})
    if kind.process_type == ProcessType.TYPICAL:
        following = kind.stages.order_by("order", "id")
        if locked.stage is not None:
            following = following.filter(order__gt=locked.stage.order)
        expected = following.first()
        if expected is None:
            raise ValidationError({"stage": _("The deal is at the last stage of a typical sale already.")})
        if stage.pk != expected.pk:
            raise ValidationError(
                {
                    "stage": _("A typical sale moves only to the next stage, “%(stage)s”.")
                    % {"stage": expected}
                }
            )
    previous = locked.stage
    locked.stage = stage
    if not locked.probability_manual:
        locked.probability = stage.probability
    _save(locked, actor=actor)
    _event(
        locked,
        actor=actor,
        kind=DealEventKind.STAGE_CHANGED,
        at=timezone.now(),
        from_stage=previous,
        to_stage=stage,
    )
    _process_step(locked, actor=actor, event="stage_changed")
    return locked


def _set_status(locked: Deal, *, actor, status: str) -> None:
    previous = locked.status
    locked.status = status
    _save(locked, actor=actor)
    _event(
        locked,
        actor=actor,
        kind=DealEventKind.STATUS_CHANGED,
        at=timezone.now(),
        from_status=previous,
        to_status=status,
        from_stage=locked.stage,
        to_stage=locked.stage,
    )


@transaction.atomic
def deal_mark_won(*, actor, deal: Deal, version: int | None) -> Deal:
    """The client said yes: the deal is won, with a probability of 100 %."""
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    _ensure_in_progress(locked)
    locked.probability, locked.probability_manual = 100, False
    _set_status(locked, actor=actor, status=DealStatus.WON)
    _process_step(locked, actor=actor, event="won")
    return locked


@transaction.atomic
def deal_mark_lost(
    *,
    actor,
    deal: Deal,
    version: int | None,
    lost_reason: LostReason | None,
    competitor: Partner | None = None,
) -> Deal:
    """The deal is lost, for a reason (required) and optionally to a competitor; probability becomes 0 %."""
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    _ensure_in_progress(locked)
    if lost_reason is None:
        raise ValidationError({"lost_reason": _("Give the reason the deal was lost.")})
    if not lost_reason.active:
        raise ValidationError({"lost_reason": _("This lost reason is not in use.")})
    if competitor is not None and not competitor.is_competitor:
        raise ValidationError({"competitor": _("This partner is not marked as a competitor.")})
    locked.lost_reason, locked.competitor = lost_reason, competitor
    locked.probability, locked.probability_manual = 0, False
    _set_status(locked, actor=actor, status=DealStatus.LOST)
    _process_step(locked, actor=actor, event="lost")
    return locked


@transaction.atomic
def deal_close(*, actor, deal: Deal, version: int | None) -> Deal:
    """Close the deal (whatever its status); the actual close date is today unless given before."""
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    if locked.closed:
        raise ValidationError(_("The deal is closed already."))
    locked.closed = True
    if locked.actual_close_date is None:
        locked.actual_close_date = timezone.localdate()
    _save(locked, actor=actor)
    _event(
        locked,
        actor=actor,
        kind=DealEventKind.CLOSED,
        at=timezone.now(),
        from_status=locked.status,
        to_status=locked.status,
    )
    _process_step(locked, actor=actor, event="closed")
    return locked


@transaction.atomic
def deal_reopen(*, actor, deal: Deal, version: int | None) -> Deal:
    """Back to work: not closed, in progress, without a lost reason or close date, at the stage it had."""
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    if not locked.closed and locked.status == DealStatus.IN_PROGRESS:
        raise ValidationError(_("The deal is open and in progress already."))
    previous = locked.status
    locked.closed = False
    locked.status = DealStatus.IN_PROGRESS
    locked.lost_reason = locked.competitor = locked.actual_close_date = None
    if not locked.probability_manual:
        locked.probability = locked.stage.probability if locked.stage else 0
    _save(locked, actor=actor)
    now = timezone.now()
    _event(
        locked,
        actor=actor,
        kind=DealEventKind.REOPENED,
        at=now,
        from_status=previous,
        to_status=locked.status,
    )
    if previous != locked.status:
        _event(
            locked,
            actor=actor,
            kind=DealEventKind.STATUS_CHANGED,
            at=now,
            from_status=previous,
            to_status=locked.status,
            from_stage=locked.stage,
            to_stage=locked.stage,
        )
    _process_step(locked, actor=actor, event="reopened")
    return locked


@transaction.atomic
def deal_delete(*, actor, deal: Deal) -> None:
    ensure_role_can(actor, "delete", "deal")
    deal._history_user = actor
    try:
        deal.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The deal has documents or sales and cannot be deleted; close it instead.")
        ) from error


@transaction.atomic
def deal_set_products(*, actor, deal: Deal, lines: Iterable[dict], version: int | None) -> Deal:
    """Replace the goods of interest with ``lines`` ({"product", "quantity", "price"}); a new deal version."""
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    rows = []
    for index, line in enumerate(lines):
        row = DealProduct(
            deal=locked, product=line["product"], quantity=line["quantity"], price=line["price"]
        )
        try:
            row.full_clean(exclude=["deal"])
        except ValidationError as error:
            raise ValidationError(
                {
                    "lines": [
                        _("Line %(n)d: %(errors)s") % {"n": index + 1, "errors": "; ".join(error.messages)}
                    ]
                }
            ) from error
        rows.append(row)
    locked.products.all().delete()
    DealProduct.objects.bulk_create(rows)
    _save(locked, actor=actor)
    return locked


@transaction.atomic
def deal_record_primary_demand(*, actor, deal: Deal, version: int | None) -> Deal:
    """Copy the current goods of interest as the primary demand, once; it never changes afterwards."""
    ensure_role_can(actor, "change", "deal")
    locked = _lock(deal, version)
    if not locked.kind.record_primary_demand:
        raise ValidationError(
            _("Deals of the kind “%(kind)s” do not record primary demand.") % {"kind": locked.kind}
        )
    if locked.primary_demand.exists():
        raise ValidationError(_("The primary demand is recorded already and cannot be changed."))
    products = list(locked.products.all())
    if not products:
        raise ValidationError(_("Add the goods of interest first: the primary demand is copied from them."))
    PrimaryDemandLine.objects.bulk_create(
        PrimaryDemandLine(deal=locked, product_id=line.product_id, quantity=line.quantity, price=line.price)
        for line in products
    )
    _save(locked, actor=actor)
    return locked
