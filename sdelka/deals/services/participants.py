"""The deal's environment ("окружение сделки"): other partners taking part in it, each with a role."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.services import ensure_role_can
from sdelka.deals.models import Deal, DealParticipant
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_list


@transaction.atomic
def deal_participant_add(*, actor, deal: Deal, partner: Partner, role: str = "") -> DealParticipant:
    """Add a partner the actor can see to the deal's environment (not the client, not twice)."""
    ensure_role_can(actor, "change", "deal")
    role = (role or "").strip()
    if isinstance(actor, User) and not partner_list(user=actor).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("Partner not found.")})
    if partner.pk == deal.partner_id:
        raise ValidationError(
            {"partner": _("The client of the deal is not a participant of its environment.")}
        )
    if deal.participants.filter(partner=partner).exists():
        raise ValidationError(
            {"partner": _("%(partner)s already takes part in this deal.") % {"partner": partner}}
        )
    participant = DealParticipant(deal=deal, partner=partner, role=role)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def deal_participant_remove(*, actor, participant: DealParticipant) -> None:
    ensure_role_can(actor, "change", "deal")
    participant.delete()
