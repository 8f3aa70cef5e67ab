"""Writes of customer claims: register, change, start, settle, delete.

The partner, its counterparty, the basis (a sale or customer order), the deal and the responsible must all be
the actor's to use and must belong together (the model's ``clean`` checks they are the same partner's).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.activities.services.tasks import ensure_assignable
from sdelka.claims.choices import ClaimResult, ClaimStatus
from sdelka.claims.models import Claim, ClaimNumberCounter
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save

CLAIM_FIELDS = (
    "partner",
    "counterparty",
    "sale",
    "sales_order",
    "deal",
    "description",
    "demand",
    "responsible",
    "registered_at",
    "deadline",
)
#: days to answer a claim when no deadline is given (the Russian consumer law's ten days)
DEFAULT_DEADLINE_DAYS = 10


def _next_number(year: int) -> str:
    """ "2026-000012": the sequence restarts every year, as 1C numbers documents."""
    ClaimNumberCounter.objects.get_or_create(year=year)
    # The UPDATE locks the year's row, so concurrent registrations take turns and never share a number.
    ClaimNumberCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ClaimNumberCounter.objects.get(year=year).last
    return f"{year}-{last:06d}"


def _check_visible(actor, claim: Claim, changed) -> None:
    """Records newly linked to the claim must be ones the actor sees: another team's are "not found"."""
    if not isinstance(actor, User):
        return
    from sdelka.deals.models import Deal
    from sdelka.deals.selectors import deal_scope
    from sdelka.documents.models import Sale, SalesOrder
    from sdelka.documents.selectors import document_scope
    from sdelka.partners.models import Partner
    from sdelka.partners.selectors import partner_scope

    checks = {
        "partner": (Partner, partner_scope(actor), _("Partner not found.")),
        "sale": (Sale, document_scope(actor), _("Sale not found.")),
        "sales_order": (SalesOrder, document_scope(actor), _("Customer order not found.")),
        "deal": (Deal, deal_scope(actor), _("Deal not found.")),
    }
    errors = {}
    for field, (model, scope, message) in checks.items():
        value_id = getattr(claim, f"{field}_id")
        if field in changed and value_id and not model.objects.filter(scope, pk=value_id).exists():
            errors[field] = message
    if errors:
        raise ValidationError(errors)


def _set_products(claim: Claim, products) -> None:
    if products is not None:
        claim.products.set(products)


@transaction.atomic
def claim_create(*, actor, data: dict) -> Claim:
    """Register a claim: numbered in the year of registration, the actor responsible unless given."""
    ensure_role_can(actor, "add", "claim")
    data = dict(data)
    products = data.pop("products", None)
    claim = Claim()
    model_assign(claim, {key: value for key, value in data.items() if value is not None}, CLAIM_FIELDS)
    if claim.responsible_id is None and isinstance(actor, User):
        claim.responsible = actor
    ensure_assignable(actor, claim.responsible if claim.responsible_id else None, field="responsible")
    if claim.deadline is None:
        claim.deadline = timezone.localdate(claim.registered_at) + timedelta(days=DEFAULT_DEADLINE_DAYS)
    _check_visible(actor, claim, CLAIM_FIELDS)
    claim.year = timezone.localdate(claim.registered_at).year
    claim.number = _next_number(claim.year)
    validate_and_save(claim, actor=actor)
    _set_products(claim, products)
    return claim


@transaction.atomic
def claim_update(*, actor, claim: Claim, data: dict) -> Claim:
    """Change a claim that is not settled yet; its number stays."""
    ensure_role_can(actor, "change", "claim")
    locked = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if locked.status == ClaimStatus.SETTLED:
        raise ValidationError(_("The claim is settled; it can no longer be changed."))
    data = dict(data)
    products = data.pop("products", None)
    changed = model_assign(locked, data, CLAIM_FIELDS)
    if "responsible" in changed:
        ensure_assignable(actor, locked.responsible, field="responsible")
    _check_visible(actor, locked, changed)
    products_changed = products is not None and {p.pk for p in products} != set(
        locked.products.values_list("pk", flat=True)
    )
    if changed or products_changed:
        validate_and_save(locked, actor=actor)
        _set_products(locked, products if products_changed else None)
    return locked


@transaction.atomic
def claim_start(*, actor, claim: Claim) -> Claim:
    ensure_role_can(actor, "change", "claim")
    locked = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if locked.status != ClaimStatus.REGISTERED:
        raise ValidationError(_("Only a registered claim can be taken into work."))
    locked.status = ClaimStatus.IN_PROGRESS
    validate_and_save(locked, actor=actor)
    return locked


@transaction.atomic
def claim_settle(*, actor, claim: Claim, result: str, comment: str = "", compensation=None) -> Claim:
    """Settle the claim with a result (required); a rejected claim gets no compensation."""
    ensure_role_can(actor, "change", "claim")
    locked = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if locked.status == ClaimStatus.SETTLED:
        raise ValidationError(_("The claim is settled already."))
    if result not in ClaimResult.values:
        raise ValidationError({"result": _("Give the result of the claim to settle it.")})
    locked.status = ClaimStatus.SETTLED
    locked.result = result
    locked.settlement_comment = comment
    if compensation is not None:
        locked.compensation = compensation
    locked.settled_at = timezone.now()
    validate_and_save(locked, actor=actor)
    return locked


@transaction.atomic
def claim_delete(*, actor, claim: Claim) -> None:
    ensure_role_can(actor, "delete", "claim")
    claim._history_user = actor
    try:
        claim.delete()
    except ProtectedError as error:  # pragma: no cover - nothing protects a claim yet
        raise ValidationError(_("The claim is referred to and cannot be deleted.")) from error
