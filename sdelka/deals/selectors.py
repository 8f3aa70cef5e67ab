"""Reads of deals, always through the user's scope, and of the deal kinds and lost reasons catalogs.

A deal outside the scope is indistinguishable from a missing one: the getters raise ``DoesNotExist``
(the pages and the API answer 404), and the lists simply do not include it.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from sdelka.accounts.selectors import covered_user_ids
from sdelka.deals.models import Deal, DealEvent, DealKind, DealParticipant, DealProduct, LostReason, Stage


def deal_scope(user) -> Q:
    """Deals whose manager or a collaborator is covered by ``user``: their own, a head's team's, or all.

    Collaborators are matched through a subquery, not a join, so a deal with several is listed once.
    """
    covered = covered_user_ids(user)
    if covered is None:
        return Q()
    taking_part = Deal.collaborators.through.objects.filter(user_id__in=covered).values("deal_id")
    return Q(manager__in=covered) | Q(pk__in=taking_part)


def deal_list(*, user) -> QuerySet[Deal]:
    return (
        Deal.objects.filter(deal_scope(user))
        .select_related(
            "kind", "stage", "partner", "counterparty", "contract", "manager", "lost_reason", "competitor"
        )
        .prefetch_related("contacts", "collaborators")
    )


def deal_get(*, user, pk) -> Deal:
    return deal_list(user=user).get(pk=pk)


def deal_events(*, deal: Deal) -> QuerySet[DealEvent]:
    return deal.events.select_related("user", "from_stage", "to_stage").order_by("at", "id")


def deal_participants(*, deal: Deal) -> QuerySet[DealParticipant]:
    return deal.participants.select_related("partner").order_by("id")


def deal_products(*, deal: Deal) -> QuerySet[DealProduct]:
    return deal.products.select_related("product").order_by("id")


def deal_kind_list(*, active_only: bool = False) -> QuerySet[DealKind]:
    kinds = DealKind.objects.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("order", "id"))
    )
    return kinds.filter(active=True) if active_only else kinds


def stage_list() -> QuerySet[Stage]:
    return Stage.objects.select_related("kind")


def lost_reason_list(*, active_only: bool = False) -> QuerySet[LostReason]:
    reasons = LostReason.objects.all()
    return reasons.filter(active=True) if active_only else reasons
